"""Snakemake adapter: strained copies and foundation-model NVT frames of one system."""

from ionflow.io import read_frames, write_frames
from ionflow.logs import log_to
from ionflow.potentials.initial_set import strained_copies
from ionflow.reference import make_calculator
from ionflow.reference.sampling import run_nvt

with log_to(snakemake.log[0]) as log:
    settings = snakemake.params.initial
    name = snakemake.wildcards.system
    system = read_frames(snakemake.input.system)[0]
    system.info = {"system": name}
    frames = strained_copies(system, settings["strains"], settings["strained_copies"], settings["seed"])
    for frame in frames:
        frame.info.update(origin="strained")
    calculator = make_calculator(snakemake.params.foundation)
    for n, temperature in enumerate(settings["md_temperatures"]):
        md = run_nvt(
            system,
            calculator,
            temperature,
            settings["md_duration_ps"],
            settings["timestep_fs"],
            settings["md_sample_every_ps"] * 1000.0,
            settings["md_equilibration_ps"],
            seed=settings["seed"] + n,
            provenance={"system": name, "origin": "foundation_md"},
        )
        log.info("%s: %d frames of foundation MD at %g K", name, len(md), temperature)
        frames += md
    write_frames(frames, snakemake.output[0])
