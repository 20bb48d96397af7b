"""Snakemake adapter: LAMMPS + DeePMD NVT run for one (phase, temperature, seed), in restartable chunks."""

import os
from pathlib import Path

from ionflow.io import read_frames
from ionflow.logs import log_to
from ionflow.md.chunks import NVTRun, run_chunked_md
from ionflow.structures.orderings import supercell

with log_to(snakemake.log[0]) as log:
    md = snakemake.params.md
    run = NVTRun.from_config(
        md,
        os.path.abspath(snakemake.input.model),
        snakemake.params.type_map,
        float(snakemake.wildcards.temperature),
        int(snakemake.wildcards.seed),
    )
    atoms = supercell(read_frames(snakemake.input.unit_cell)[0], snakemake.params.supercell)
    log.info("%d atoms, %s", len(atoms), snakemake.wildcards)
    run_chunked_md(
        run,
        atoms,
        Path(snakemake.params.chunks),
        snakemake.output.trajectory,
        snakemake.output.thermo,
        md["min_distance_A"],
        snakemake.threads,
        os.path.abspath(snakemake.log[0]),
    )
