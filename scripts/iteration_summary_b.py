"""Snakemake adapter: one active-learning iteration in numbers (selection, labels, committee errors
on the random hold-out ``test`` and on the target-region MD frames ``target``)."""

import csv
import json
from pathlib import Path

import numpy as np

from ionflow.io import read_frames, write_json
from ionflow.logs import log_to
from ionflow.potentials.nep.errors import parity_data, rmse

with log_to(snakemake.log[0]) as log:
    summary = json.loads(Path(snakemake.input.selection).read_text())
    summary.pop("selected_frames")
    with open(snakemake.input.failures) as handle:
        summary["label_failures"] = sum(1 for _ in csv.DictReader(handle))
    summary["labelled"] = len(read_frames(snakemake.input.labels))
    train, test = read_frames(snakemake.input.train), read_frames(snakemake.input.test)
    summary["train_frames"], summary["test_frames"] = len(train), len(test)
    members = [json.loads((Path(m).parent / "trainer.json").read_text())["trainer"] for m in snakemake.input.models]
    summary["trainer"] = ", ".join(sorted(set(members)))
    target = read_frames(snakemake.input.target)
    for name, frames in (("test", test), ("target", target)):
        errors = [rmse(parity_data(model, frames)) for model in snakemake.input.models]
        for key in errors[0]:
            summary[f"{name}_{key}"] = float(np.mean([e[key] for e in errors]))
    summary["train_" + "force_rmse_meV_A"] = rmse(parity_data(snakemake.input.models[0], train))["force_rmse_meV_A"]
    log.info("%s", summary)
    write_json(summary, snakemake.output[0])
