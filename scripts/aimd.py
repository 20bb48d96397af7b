"""Snakemake adapter: one AIMD-protocol NVT run (phase, temperature, cell scale)."""

from ionflow.io import read_frames, write_frames
from ionflow.logs import log_to
from ionflow.reference import make_calculator
from ionflow.reference.sampling import rescaled, run_nvt
from ionflow.structures.orderings import supercell

with log_to(snakemake.log[0]) as log:
    aimd = snakemake.params.aimd
    temperature = float(snakemake.wildcards.temperature)
    scale = float(snakemake.wildcards.scale)
    cell = rescaled(supercell(read_frames(snakemake.input.unit_cell)[0], snakemake.params.supercell), scale)
    seed = aimd["seed"] + int(temperature) + int(round(scale * 100))
    provenance = {
        "phase": snakemake.wildcards.phase,
        "scale": scale,
        "reference": snakemake.params.reference["backend"],
    }
    frames = run_nvt(
        cell,
        make_calculator(snakemake.params.reference, phase=snakemake.wildcards.phase),
        temperature,
        snakemake.params.duration_ps,
        aimd["timestep_fs"],
        aimd["sample_every_fs"],
        aimd["equilibration_ps"],
        seed,
        provenance,
    )
    log.info("%d frames at %.0f K, scale %.2f", len(frames), temperature, scale)
    write_frames(frames, snakemake.output[0])
