"""LAMMPS + DeePMD production MD (paper 1 §2.4): NVT Nosé–Hoover, unwrapped Li positions.

Units are LAMMPS ``metal``: Å, ps, eV, K. The dump holds every atom's unwrapped coordinates
(``xu yu zu``) and element, sorted by id, which the transport readers expect.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ase import Atoms
from ase.data import atomic_masses, atomic_numbers
from ase.io.lammpsdata import write_lammps_data


def write_data_file(atoms: Atoms, path: str | Path, type_map: list[str]) -> None:
    """LAMMPS data file (atom_style atomic, metal units) with types ordered as ``type_map``."""
    write_lammps_data(str(path), atoms, specorder=type_map, masses=True, units="metal",
                      atom_style="atomic")


def steps(duration_fs: float, timestep_fs: float) -> int:
    """Number of MD steps in ``duration_fs`` (both in fs); must be a whole number of steps."""
    n = duration_fs / timestep_fs
    if abs(n - round(n)) > 1e-6:
        raise ValueError(f"{duration_fs} fs is not a whole number of {timestep_fs} fs steps")
    return int(round(n))


def md_input(
    data_file: str,
    model: str,
    type_map: list[str],
    temperature_K: float,
    seed: int,
    timestep_fs: float,
    tdamp_fs: float,
    equilibration_ps: float,
    production_ps: float,
    dump_every_fs: float,
    dump_file: str,
) -> str:
    """LAMMPS input: velocities at T, NVT equilibration, then production with a dump.

    Tdamp is given in fs and written in ps (metal units); the production timestep counter
    starts at 0 so frame k of the dump is at time k × dump_every_fs.
    """
    dt_ps = timestep_fs / 1000.0
    equilibration_steps = steps(equilibration_ps * 1000.0, timestep_fs)
    production_steps = steps(production_ps * 1000.0, timestep_fs)
    dump_every_steps = steps(dump_every_fs, timestep_fs)
    tdamp_ps = tdamp_fs / 1000.0
    masses = "\n".join(
        f"mass {i} {atomic_masses[atomic_numbers[s]]:.4f}" for i, s in enumerate(type_map, start=1)
    )
    return f"""# ionflow: DeePMD NVT molecular dynamics
units metal
boundary p p p
atom_style atomic
read_data {data_file}
{masses}
pair_style deepmd {model}
pair_coeff * *
neighbor 1.0 bin
timestep {dt_ps}
velocity all create {temperature_K} {seed} mom yes rot yes dist gaussian
fix thermostat all nvt temp {temperature_K} {temperature_K} {tdamp_ps}
thermo_style custom step temp pe etotal press vol
thermo {max(1, production_steps // 20)}
run {equilibration_steps}
reset_timestep 0
dump traj all custom {dump_every_steps} {dump_file} id type element xu yu zu
dump_modify traj sort id element {' '.join(type_map)}
run {production_steps}
"""


def check_no_collapse(atoms: Atoms, min_distance_A: float, source: str) -> None:
    """Raise if two atoms of a frame are closer than ``min_distance_A`` (Å).

    A potential that lets atoms fuse (a Deep Potential asked to extrapolate far from its
    training data) gives trajectories whose transport numbers are meaningless; stop there.
    """
    from ase.neighborlist import neighbor_list

    i, j, d = neighbor_list("ijd", atoms, min_distance_A)
    if len(d):
        k = int(d.argmin())
        raise RuntimeError(
            f"{source}: atoms {i[k]} ({atoms.symbols[i[k]]}) and {j[k]} ({atoms.symbols[j[k]]}) are "
            f"{d[k]:.2f} A apart in the last frame: the potential let the structure collapse; "
            "train the model longer or on more data (deepmd.numb_steps, aimd.*)"
        )


def run_lammps(input_file: str | Path, cwd: str | Path, log: str | Path, threads: int = 1,
               ranks: int = 1) -> None:
    """Run the ``lmp`` binary that comes with deepmd-kit[lmp]; raise naming the log on failure."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), TF_CPP_MIN_LOG_LEVEL="2",
               DP_INTRA_OP_PARALLELISM_THREADS=str(threads), DP_INTER_OP_PARALLELISM_THREADS="1")
    command = ["lmp", "-in", str(input_file), "-log", "log.lammps", "-screen", "none"]
    if ranks > 1:
        command = ["mpirun", "-np", str(ranks), *command]
    with open(log, "a") as handle:
        result = subprocess.run(command, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT, env=env)
    if result.returncode != 0:
        raise RuntimeError(
            f"LAMMPS failed with exit code {result.returncode}; see {Path(cwd) / 'log.lammps'} and {log}"
        )
