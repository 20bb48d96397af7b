"""Parse a long extended-XYZ trajectory once into memory-mapped arrays, then replay it cheaply.

Analyses that each stream the whole trajectory (coordination, density, hops, displacements,
polyhedra) would otherwise pay the extxyz text parse once per pass; a memory map keeps the
resident memory to the pages in use, so a 10^4-atom, 2,000-frame run does not have to fit
in RAM (cost in docs/performance.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from ase import Atoms

from ionflow.trajectory import extxyz
from ionflow.trajectory.readers import iter_extxyz


class FrameCache:
    """Positions (Å, float64), cells (Å) and ``time_ps`` of every frame, on disk in ``directory``.

    Atom numbers and order must not change between frames (they never do in MD dumps).
    """

    def __init__(self, numbers: np.ndarray, positions: np.ndarray, cells: np.ndarray, times_ps: np.ndarray):
        self.numbers, self.positions, self.cells, self.times_ps = numbers, positions, cells, times_ps

    @classmethod
    def from_extxyz(cls, path: str | Path, directory: str | Path) -> "FrameCache":
        """One pass over ``path``; arrays written as ``.npy`` memory maps under ``directory``."""
        path, directory = Path(path), Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        frames = _frames(path)  # a corrupt or truncated frame is named there
        try:
            first = next(frames)
        except StopIteration:
            raise ValueError(f"{path}: no frames; rerun the MD that writes it") from None
        n_atoms = len(first[0])
        n_frames = _count_lines(path) // (n_atoms + 2)
        positions = np.lib.format.open_memmap(directory / "positions.npy", "w+", np.float64, (n_frames, n_atoms, 3))
        cells = np.empty((n_frames, 3, 3))
        times = np.full(n_frames, np.nan)
        for index, (numbers, frame_positions, cell, info) in enumerate(itertools.chain([first], frames)):
            if len(numbers) != n_atoms or not np.array_equal(numbers, first[0]) or index >= n_frames:
                raise ValueError(f"{path}: frame {index} holds other atoms than frame 0; one MD run per file")
            positions[index] = frame_positions
            cells[index] = cell
            times[index] = info.get("time_ps", np.nan)
        if index + 1 != n_frames:
            raise ValueError(
                f"{path}: {index + 1} frames but {n_frames} by line count; the file is truncated "
                "or has blank lines; rerun the MD that writes it"
            )
        positions.flush()
        return cls(np.array(first[0]), positions, cells, times)

    def __len__(self) -> int:
        return len(self.positions)

    def frames(self, start: int = 0, stop: int | None = None, step: int = 1) -> Iterator[Atoms]:
        """Frames ``start:stop:step`` as ``Atoms`` (pbc, ``info['time_ps']``); negative start counts from the end."""
        for index in range(*slice(start, stop, step).indices(len(self))):
            atoms = Atoms(self.numbers, positions=self.positions[index], cell=self.cells[index], pbc=True)
            atoms.info["time_ps"] = float(self.times_ps[index])
            yield atoms


def _frames(path: Path) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, dict]]:
    """(atomic numbers, positions in Å, cell, info) of each frame: the block reader where it
    covers the file, else ASE's."""
    if extxyz.supports(path):
        for frame, _, info in extxyz.iter_extxyz_frames(path):
            yield frame.numbers, frame.positions, frame.cell, info
        return
    for atoms in iter_extxyz(path):
        yield atoms.numbers, atoms.positions, atoms.cell.array, atoms.info


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 24), b""):
            count += block.count(b"\n")
    return count
