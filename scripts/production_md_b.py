"""Snakemake adapter: production NPT MD of one interface or bulk phase at one temperature.

engine gpumd (clusters): run.in + model.xyz + nep.txt, then `gpumd`; engine cpunep: the same
run.in is written as the record and calorine CPUNEP under ASE runs it.
"""

from pathlib import Path

from ionflow.io import read_frames
from ionflow.logs import log_to
from ionflow.nep_md import Condition, Stage, gpumd_run_in, run_cpunep, run_gpumd
from ionflow.structures import supercell

with log_to(snakemake.log[0]) as log:
    md = snakemake.params.md
    name, temperature = snakemake.wildcards.mdsys, float(snakemake.wildcards.temperature)
    directory = Path(snakemake.output.dump).parent
    atoms = read_frames(snakemake.input.structure)[0]
    if name not in snakemake.params.interfaces:
        atoms = supercell(atoms, snakemake.params.supercell)
    dt = md["timestep_fs"]
    length_ps = md["interface_ps"] if name in snakemake.params.interfaces else md["bulk_ps"]
    condition = Condition("npt", temperature, md["pressure_bar"])
    stages = [Stage(condition, round(md["equilibration_ps"] * 1000 / dt)),
              Stage(condition, round(length_ps * 1000 / dt), max(1, round(md["dump_every_fs"] / dt)))]
    common = dict(timestep_fs=dt, tau_T_fs=md["tau_T_fs"], tau_p_fs=md["tau_p_fs"],
                  correct_velocity_every=md["correct_velocity_every"], thermo_every=stages[1].dump_every)
    Path(snakemake.output.run_in).write_text(gpumd_run_in(stages, elastic_GPa=md["elastic_GPa"], **common))
    if md["engine"] == "gpumd":
        run_gpumd(atoms, snakemake.input.model, directory, md.get("gpumd_command", "gpumd"), snakemake.log[0])
    else:
        n = run_cpunep(atoms, snakemake.input.model, stages, compressibility_per_bar=1e-4 / md["elastic_GPa"],
                       seed=md["seed"] + int(temperature), directory=directory, **common)
        log.info("%s at %g K: %d atoms, %d frames", name, temperature, len(atoms), n)
