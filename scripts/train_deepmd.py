"""Snakemake adapter: input.json, `dp --tf train` (resuming from its checkpoint), `dp --tf freeze`."""

import os
from pathlib import Path

import numpy as np

from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.potentials.deepmd import (
    TRAIN_DIR,
    ZBL_TABLE_FILE,
    learning_curve,
    run_dp,
    train,
    training_input,
    zbl_table,
)
from ionflow.potentials.deepmd_data import system_frames

with log_to(snakemake.log[0]):
    for system in (snakemake.input.train, snakemake.input.test):
        system_frames(system)
    workdir = Path(snakemake.output.model).parent
    workdir.mkdir(parents=True, exist_ok=True)
    settings = training_input(
        snakemake.params.deepmd,
        snakemake.params.rcut,
        [os.path.abspath(snakemake.input.train)],
        [os.path.abspath(snakemake.input.test)],
        snakemake.params.type_map,
    )
    if snakemake.params.deepmd.get("zbl_switch_A"):
        np.savetxt(workdir / ZBL_TABLE_FILE, zbl_table(snakemake.params.type_map, r_max_A=snakemake.params.rcut + 2.0))
    log = os.path.abspath(snakemake.log[0])
    train(settings, snakemake.output.input_json, log, snakemake.threads)
    run_dp(["freeze", "-c", TRAIN_DIR, "-o", "model.part.pb"], workdir, log, snakemake.threads)
    with atomic_path(snakemake.output.lcurve) as tmp:
        tmp.write_text(learning_curve(workdir / TRAIN_DIR / "lcurve.out"))
    os.replace(workdir / "model.part.pb", snakemake.output.model)
