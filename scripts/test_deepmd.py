"""Snakemake adapter: `dp --tf test` on the test set; RMSE/MAE summary and parity data."""

import os
from pathlib import Path

import numpy as np

from ionflow.io import atomic_path, write_json
from ionflow.logs import log_to
from ionflow.potentials.deepmd import run_dp
from ionflow.potentials.deepmd_data import read_dp_test, system_elements, test_errors

with log_to(snakemake.log[0]):
    workdir = Path(snakemake.output.summary).parent
    run_dp(
        [
            "test",
            "-m",
            os.path.abspath(snakemake.input.model),
            "-s",
            os.path.abspath(snakemake.input.test),
            "-d",
            "dp_test",
        ],
        workdir,
        os.path.abspath(snakemake.log[0]),
        snakemake.threads,
    )
    data = read_dp_test(workdir / "dp_test")
    n_frames = len(data["energy_per_atom"][0])
    summary = {"phase": snakemake.wildcards.phase, "n_frames": n_frames, **test_errors(data)}
    write_json(summary, snakemake.output.summary)
    arrays = {f"{name}_{side}": values[i] for name, values in data.items() for i, side in enumerate(("ref", "pred"))}
    with atomic_path(snakemake.output.parity) as tmp:
        np.savez(tmp, element=system_elements(snakemake.input.test, n_frames), **arrays)
