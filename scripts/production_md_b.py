"""Snakemake adapter: production NPT MD of one interface or bulk phase at one temperature.

engine gpumd (clusters): GPUMD runs the chunks in the run directory; engine cpunep (here):
calorine CPUNEP under ASE. Either way run.in is the record of the whole run (ionflow.md.nep).
"""

from pathlib import Path

from ionflow.io import read_frames
from ionflow.logs import log_to
from ionflow.md.nep import run_md
from ionflow.md.nep_inputs import MDSettings, Stage, production_ps
from ionflow.plan import Condition
from ionflow.structures.orderings import supercell

with log_to(snakemake.log[0]) as log:
    md = snakemake.params.md
    name, temperature = snakemake.wildcards.mdsys, float(snakemake.wildcards.temperature)
    atoms = read_frames(snakemake.input.structure)[0]
    interface = name in snakemake.params.interfaces
    if not interface:
        atoms = supercell(atoms, snakemake.params.supercell)
    length_ps = production_ps(md, interface, temperature)
    settings = MDSettings.from_config(md, seed=md["seed"] + int(temperature))
    condition = Condition("npt", temperature, md["pressure_bar"])
    stages = [
        Stage(condition, settings.steps(md["equilibration_ps"])),
        Stage(condition, settings.steps(length_ps), settings.thermo_every),
    ]
    n_frames = run_md(
        atoms, snakemake.input.model, stages, settings, Path(snakemake.output.dump).parent, snakemake.log[0]
    )
    log.info("%s at %g K: %d atoms, %g ps, %d frames", name, temperature, len(atoms), length_ps, n_frames)
