"""Snakemake adapter: parity data, RMSE table and Fig. 2a-c of the final NEP on its training data,
the random hold-out of the labelled data (test) and the target-region MD frames (target)."""

import csv

import numpy as np

from ionflow.io import atomic_path, read_frames
from ionflow.logs import log_to
from ionflow.plotting import save_figure
from ionflow.potentials.nep.errors import parity_data, rmse
from ionflow.potentials.nep.figures import plot_parity
from ionflow.provenance import name_inputs

MEASURES = {
    "train": "fit to the data the model was trained on",
    "test": "random hold-out of all labelled data (strained cells, 300-2000 K MD, selected frames)",
    "target": "foundation-model MD frames in the target temperature range, never trained on",
}

with log_to(snakemake.log[0]) as log:
    rows, parity = [], {}
    for name in ("train", "test", "target"):
        data = parity_data(snakemake.input.model, read_frames(snakemake.input[name]))
        errors = rmse(data)
        row = {"set": name, "frames": len(data["energy_target"]), **{k: f"{v:.2f}" for k, v in errors.items()}}
        rows.append({**row, "measures": MEASURES[name]})
        parity.update({f"{name}_{key}": value for key, value in data.items()})
        log.info("%s: %s", name, errors)
    with atomic_path(snakemake.output.parity) as tmp:
        np.savez(tmp, **parity)
    with atomic_path(snakemake.output.table) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    test = {key.removeprefix("test_"): value for key, value in parity.items() if key.startswith("test_")}
    save_figure(plot_parity(test, rmse(test)), snakemake.output.figure)

name_inputs(snakemake.output, snakemake.input)
