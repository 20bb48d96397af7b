"""Snakemake adapter: exploration MD of one system at one condition with the first committee member.

engine gpumd (clusters): GPUMD runs the chunks in the run directory; engine cpunep (here):
calorine CPUNEP under ASE. Either way run.in is the record of the whole run (ionflow.md.nep).
"""

from pathlib import Path

from ionflow.io import read_frames
from ionflow.logs import log_to
from ionflow.md.nep import run_md
from ionflow.md.nep_inputs import MDSettings, Stage
from ionflow.plan import Condition

with log_to(snakemake.log[0]) as log:
    block = snakemake.params.exploration
    condition = Condition.parse(snakemake.wildcards.condition)
    settings = MDSettings.from_config(block, seed=block["seed"] + int(snakemake.wildcards.it))
    stages = [Stage(condition, settings.steps(block["duration_ps"]), settings.thermo_every)]
    n_frames = run_md(
        read_frames(snakemake.input.system)[0],
        snakemake.input.model,
        stages,
        settings,
        Path(snakemake.output.dump).parent,
        snakemake.log[0],
    )
    log.info("%s %s: %d frames", snakemake.wildcards.system, condition.name, n_frames)
