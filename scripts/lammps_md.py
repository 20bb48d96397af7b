"""Snakemake adapter: LAMMPS + DeePMD NVT run for one (phase, temperature, seed)."""

import os
from pathlib import Path

from ionflow.io import read_frames
from ionflow.lammps import check_no_collapse, md_input, run_lammps, write_data_file
from ionflow.transport import iter_frames
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
    partial = workdir / "traj.lammpstrj.part"
    last = None
    for last in iter_frames(str(partial), fmt="lammps-dump"):
        pass
    check_no_collapse(last, md["min_distance_A"], str(partial))
    os.replace(partial, snakemake.output.trajectory)
