"""Snakemake adapter: write input.json, `dp --tf train`, `dp --tf freeze`."""

import json
import os
from pathlib import Path

from ionflow.deepmd import run_dp, training_input
from ionflow.logs import log_to

with log_to(snakemake.log[0]):
    workdir = Path(snakemake.output.model).parent
    workdir.mkdir(parents=True, exist_ok=True)
    settings = training_input(
        snakemake.params.deepmd,
        snakemake.params.rcut,
        [os.path.abspath(snakemake.input.train)],
        [os.path.abspath(snakemake.input.test)],
    )
    Path(snakemake.output.input_json).write_text(json.dumps(settings, indent=2))
    log = os.path.abspath(snakemake.log[0])
    run_dp(["train", "input.json"], workdir, log, snakemake.threads)
    run_dp(["freeze", "-o", "model.part.pb"], workdir, log, snakemake.threads)
    os.replace(workdir / "model.part.pb", snakemake.output.model)
