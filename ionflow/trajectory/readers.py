"""Trajectory readers: LAMMPS text and binary dumps, GPUMD xyz output, extended XYZ and ASE .traj.

`iter_frames` is the public helper; it yields `ase.Atoms` with positions as written in
the file, the cell set and pbc True. LAMMPS text dumps go through the block reader in
`lammps_dump`, binary ones (`.bin`) through `lammps_binary`, extended XYZ with a Lattice
(ASE's, GPUMD's `dump_exyz`) through the block reader in `extxyz`; the other formats through
`ase.io`. The text formats may be gzip-compressed (`name.lammpstrj.gz`, as LAMMPS' `dump
custom/gz` writes; `name.extxyz.gz`), read as they are decompressed. A frame with non-finite
coordinates is an error naming the file and the frame, in every format.
"""

import io
from collections.abc import Iterator
from pathlib import Path

import ase
import numpy as np

from ionflow.trajectory import extxyz
from ionflow.trajectory.compressed import open_trajectory
from ionflow.trajectory.frame import Frame, TrajectoryError, corrupt_frame, non_finite_frame
from ionflow.trajectory.lammps_binary import iter_binary_dump_frames
from ionflow.trajectory.lammps_dump import iter_dump_frames

FORMATS = ("extxyz", "lammps-dump", "lammps-binary", "gpumd", "ase")
_SUFFIXES = {
    ".lammpstrj": "lammps-dump",
    ".dump": "lammps-dump",
    ".bin": "lammps-binary",  # LAMMPS writes a binary dump when the file name ends in .bin
    ".traj": "ase",
    ".extxyz": "extxyz",
    ".xyz": "extxyz",
}
_GPUMD_NAMES = ("movie.xyz", "dump.xyz")


def detect_format(path) -> str:
    """Name the format of `path` (one of FORMATS) from its name (a `.gz` ending aside), else
    from its first line."""
    path = Path(path)
    name = Path(path.stem) if path.suffix == ".gz" else path
    if name.name in _GPUMD_NAMES:
        return "gpumd"
    if name.suffix in _SUFFIXES:
        return _SUFFIXES[name.suffix]
    if name.name.startswith("dump.") or name.name.startswith("traj."):
        return "lammps-dump"
    content, raw = open_trajectory(path)
    with raw, content:
        if content.readline().startswith(b"ITEM: TIMESTEP"):
            return "lammps-dump"
    raise TrajectoryError(
        f"{path}: cannot tell the trajectory format from the name; pass fmt / --format, one of {FORMATS}"
    )


def _frame_from_atoms(path: Path, index: int, atoms: ase.Atoms) -> Frame:
    if atoms.cell.rank < 3:
        raise TrajectoryError(
            f"{path}: frame {index} has no cell, which unwrapping and the volume need; write "
            "the trajectory with its lattice (extxyz Lattice=..., GPUMD dump_xyz)"
        )
    return Frame(atoms.numbers, atoms.positions, atoms.cell.array, None, False, None)


def _iter_ase_frames(path: Path, fmt: str) -> Iterator[tuple[Frame, float | None]]:
    if fmt == "ase":
        from ase.io.trajectory import Trajectory

        with Trajectory(str(path)) as trajectory:
            total = len(trajectory)
            for index in range(total):
                try:
                    atoms = trajectory[index]
                except Exception as exc:  # ase raises many types for damaged files; name the frame
                    raise corrupt_frame(path, index, str(exc)) from exc
                yield _frame_from_atoms(path, index, atoms), (index + 1) / total
        return
    if extxyz.supports(path):
        for frame, fraction, _ in extxyz.iter_extxyz_frames(path):
            yield frame, fraction
        return
    size = max(path.stat().st_size, 1)
    content, raw = open_trajectory(path)
    with raw, content, io.TextIOWrapper(content) as handle:
        for index, atoms in enumerate(iter_extxyz(path, handle)):
            yield _frame_from_atoms(path, index, atoms), raw.tell() / size


def iter_extxyz(path, handle=None) -> Iterator[ase.Atoms]:
    """Stream the frames of the extended XYZ file ``path`` as written, with ``info`` (such as
    ``time_ps``) and pbc kept. A file with a ``Lattice`` and ``species``/``pos`` columns (every
    dump ionflow and GPUMD write) goes through the block reader, which keeps species, positions
    and cell only; any other file, or an open text ``handle`` on ``path`` (which lets the caller
    follow progress), through ASE, which keeps per-atom arrays and calculator results too. A
    corrupt or truncated frame raises TrajectoryError naming the file and the frame (0-based)."""
    if handle is None and extxyz.supports(path):
        for frame, _, info in extxyz.iter_extxyz_frames(path):
            atoms = ase.Atoms(numbers=frame.numbers, positions=frame.positions, cell=frame.cell, pbc=True)
            pbc = info.pop("pbc", None)
            if pbc is not None:
                atoms.pbc = pbc
            atoms.info.update(info)
            yield atoms
        return
    from ase.io import iread  # 0.35 s of imports that a LAMMPS dump does not need

    frames = iread(str(path) if handle is None else handle, index=":", format="extxyz")
    index = 0
    while True:
        try:
            atoms = next(frames)
        except StopIteration:
            return
        except Exception as exc:  # ase raises many types for corrupt text; name the frame
            raise corrupt_frame(path, index, str(exc)) from exc
        if not np.isfinite(atoms.positions).all():
            raise non_finite_frame(path, index)
        yield atoms
        index += 1


def iter_raw_frames(path, fmt="auto", type_map=None) -> Iterator[tuple[Frame, float | None]]:
    """Yield (Frame, fraction of the file read, or None if unknown) for each frame of `path`.

    `fmt` is one of FORMATS or "auto"; `type_map` (e.g. ["Li", "Zr", "Cl"]) names the
    elements of LAMMPS types 1, 2, ... for dumps without an `element` column.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such trajectory file")
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt == "lammps-dump":
        return iter_dump_frames(path, type_map)
    if fmt == "lammps-binary":
        return iter_binary_dump_frames(path, type_map)
    if fmt in ("extxyz", "gpumd", "ase"):
        return _iter_ase_frames(path, fmt)
    raise ValueError(f"{path}: unknown trajectory format {fmt!r}; use one of {FORMATS} or 'auto'")


def iter_frames(path, fmt="auto", type_map=None) -> Iterator[ase.Atoms]:
    """Yield each frame of `path` as `ase.Atoms` (positions in Å as in the file, cell set, pbc True).

    LAMMPS image flags (ix iy iz), when present, are kept in `atoms.arrays["image"]`.
    """
    for frame, _ in iter_raw_frames(path, fmt, type_map):
        atoms = ase.Atoms(numbers=frame.numbers, positions=frame.positions, cell=frame.cell, pbc=True)
        if frame.images is not None:
            atoms.set_array("image", frame.images)
        yield atoms
