"""Snakemake adapter: `dp --tf compress` (tabulated embedding net, faster MD)."""

import os
from pathlib import Path

from ionflow.logs import log_to
from ionflow.potentials.deepmd import run_dp

with log_to(snakemake.log[0]):
    workdir = Path(snakemake.output[0]).parent
    part = "model_compressed.part.pb"
    run_dp(
        ["compress", "-i", Path(snakemake.input.model).name, "-o", part],
        workdir,
        os.path.abspath(snakemake.log[0]),
        snakemake.threads,
    )
    os.replace(workdir / part, snakemake.output[0])
