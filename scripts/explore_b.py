"""Snakemake adapter: exploration MD of one system at one condition with the first committee member.

engine gpumd (clusters): run.in + model.xyz + nep.txt in the run directory, then `gpumd`.
engine cpunep (here): the same run.in is written as the record, calorine CPUNEP under ASE runs it.
"""

from pathlib import Path

from ionflow.io import read_frames
from ionflow.logs import log_to
from ionflow.nep_md import Condition, Stage, gpumd_run_in, run_cpunep, run_gpumd

with log_to(snakemake.log[0]) as log:
    settings = snakemake.params.exploration
    directory = Path(snakemake.output.dump).parent
    condition = Condition.parse(snakemake.wildcards.condition)
    dt = settings["timestep_fs"]
    dump_every = max(1, round(settings["dump_every_fs"] / dt))
    stages = [Stage(condition, round(settings["duration_ps"] * 1000 / dt), dump_every)]
    common = dict(timestep_fs=dt, tau_T_fs=settings["tau_T_fs"], tau_p_fs=settings["tau_p_fs"],
                  correct_velocity_every=settings["correct_velocity_every"], thermo_every=dump_every)
    Path(snakemake.output.run_in).write_text(gpumd_run_in(stages, elastic_GPa=settings["elastic_GPa"], **common))
    system = read_frames(snakemake.input.system)[0]
    if settings["engine"] == "gpumd":
        run_gpumd(system, snakemake.input.model, directory, settings.get("gpumd_command", "gpumd"), snakemake.log[0])
    else:
        n_frames = run_cpunep(system, snakemake.input.model, stages,
                              compressibility_per_bar=1e-4 / settings["elastic_GPa"],
                              seed=settings["seed"] + int(snakemake.wildcards.it), directory=directory,
                              min_distance_A=settings.get("min_distance_A", 0.0), **common)
        log.info("%s %s: %d frames", snakemake.wildcards.system, condition.name, n_frames)
