"""Snakemake adapter: write input.json, `dp --tf train`, `dp --tf freeze`."""

import json
import os
from pathlib import Path

import numpy as np

from ionflow.deepmd import TYPE_MAP, ZBL_TABLE_FILE, run_dp, training_input, zbl_table
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
    if snakemake.params.deepmd.get("zbl_switch_A"):
        np.savetxt(workdir / ZBL_TABLE_FILE, zbl_table(TYPE_MAP, r_max_A=snakemake.params.rcut + 2.0))
    Path(snakemake.output.input_json).write_text(json.dumps(settings, indent=2))
    log = os.path.abspath(snakemake.log[0])
    run_dp(["train", "input.json"], workdir, log, snakemake.threads)
    run_dp(["freeze", "-o", "model.part.pb"], workdir, log, snakemake.threads)
    os.replace(workdir / "model.part.pb", snakemake.output.model)
