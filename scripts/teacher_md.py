"""Snakemake adapter: the teacher's MD for the dynamics validation — the reference calculator
itself drives NVT on the validation cell of one phase at one temperature."""

from ionflow.io import read_frames, write_frames
from ionflow.logs import log_to
from ionflow.reference import make_calculator
from ionflow.reference.sampling import run_nvt
from ionflow.structures.orderings import supercell

with log_to(snakemake.log[0]) as log:
    run = snakemake.params.run
    atoms = supercell(read_frames(snakemake.input.unit_cell)[0], snakemake.params.supercell)
    temperature = float(snakemake.wildcards.temperature)
    log.info("teacher MD: %d atoms at %.0f K for %g ps", len(atoms), temperature, run["production_ps"])
    frames = run_nvt(
        atoms,
        make_calculator(snakemake.params.reference, phase=snakemake.wildcards.phase),
        temperature,
        run["production_ps"],
        run["timestep_fs"],
        run["dump_every_fs"],
        run["equilibration_ps"],
        run["seed"],
        {"phase": snakemake.wildcards.phase, "role": "teacher"},
    )
    write_frames(frames, snakemake.output[0])
