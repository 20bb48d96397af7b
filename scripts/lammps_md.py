"""Snakemake adapter: LAMMPS + DeePMD NVT run for one (phase, temperature, seed)."""

import os
from pathlib import Path

from ionflow.io import read_frames
from ionflow.lammps import md_input, run_lammps, write_data_file
from ionflow.logs import log_to
from ionflow.structures import supercell

with log_to(snakemake.log[0]) as log:
    md = snakemake.params.md
    workdir = Path(snakemake.output.trajectory).parent
    workdir.mkdir(parents=True, exist_ok=True)
    atoms = supercell(read_frames(snakemake.input.unit_cell)[0], snakemake.params.supercell)
    write_data_file(atoms, workdir / "system.data", snakemake.params.type_map)
    text = md_input(
        "system.data", os.path.abspath(snakemake.input.model), snakemake.params.type_map,
        float(snakemake.wildcards.temperature), int(snakemake.wildcards.seed), md["timestep_fs"],
        md["tdamp_fs"], md["equilibration_ps"], md["production_ps"], md["dump_every_fs"],
        "traj.lammpstrj.part",
    )
    (workdir / "in.lammps").write_text(text)
    log.info("%d atoms, %s", len(atoms), snakemake.wildcards)
    run_lammps("in.lammps", workdir, os.path.abspath(snakemake.log[0]), snakemake.threads)
    os.replace(workdir / "traj.lammpstrj.part", snakemake.output.trajectory)
