"""Unwrapped, centre-of-mass-corrected positions of one species, read in one streaming pass.

Only the selected species is kept (float64, Å), plus the centre of mass per frame, so
memory is n_frames × n_ions × 24 bytes whatever the number of other atoms.
"""

from collections.abc import Callable
from dataclasses import dataclass
from math import ceil

import numpy as np
from ase.data import atomic_masses, atomic_numbers, chemical_symbols

from ionflow.trajectory.frame import Frame, TrajectoryError
from ionflow.trajectory.frames import minimum_image
from ionflow.trajectory.readers import iter_raw_frames

ProgressCallback = Callable[[str, int, float | None], None]
"""Called as progress(path, frames_read, fraction_of_file_read_or_None) during a read."""


@dataclass
class SpeciesTrajectory:
    """Positions of one species relative to the system's centre of mass.

    positions: (n_frames, n_ions, 3) unwrapped positions minus the centre of mass, Å.
    com: (n_frames, 3) mass-weighted centre of mass of all atoms (unwrapped, lab frame), Å.
    volume_A3: cell volume averaged over frames, Å³.
    n_atoms: number of atoms of all species.
    """

    path: str
    species: str
    positions: np.ndarray
    com: np.ndarray
    volume_A3: float
    n_atoms: int


class _Unwrapper:
    """Turns each frame's positions into positions continuous in time (Å)."""

    def __init__(self):
        self.previous_file = self.previous = None

    @staticmethod
    def _direct(frame: Frame):
        if frame.unwrapped:
            return frame.positions
        if frame.images is not None:
            return frame.positions + frame.images @ frame.cell
        return None

    def __call__(self, frame: Frame) -> np.ndarray:
        unwrapped = self._direct(frame)
        if unwrapped is None and self.previous is None:
            unwrapped = frame.positions
        elif unwrapped is None:
            # minimum image between consecutive frames, valid while no atom moves half a cell
            unwrapped = self.previous + minimum_image(frame.positions - self.previous_file, frame.cell)
        self.previous_file, self.previous = frame.positions, unwrapped
        return unwrapped


def _selector(mask: np.ndarray) -> slice | np.ndarray:
    """The atoms of `mask` as a slice when they are contiguous (a dump sorted by id, one species
    after another), which copies them 3x faster than a boolean mask, else as indices."""
    indices = np.flatnonzero(mask)
    contiguous = len(indices) and indices[-1] - indices[0] + 1 == len(indices)
    return slice(int(indices[0]), int(indices[-1]) + 1) if contiguous else indices


def _check_timestep(path, index: int, timesteps: list[int], timestep) -> None:
    if timestep is None:
        return
    timesteps.append(timestep)
    if len(timesteps) >= 3 and timesteps[-1] - timesteps[-2] != timesteps[1] - timesteps[0]:
        raise TrajectoryError(
            f"{path}: frame {index} is at step {timesteps[-1]}, {timesteps[-1] - timesteps[-2]} "
            f"after the previous frame, but frames 0-1 are {timesteps[1] - timesteps[0]} apart; "
            "the MSD needs evenly spaced frames (remove duplicated frames from restarts)"
        )


def read_species_trajectory(
    path,
    species: str = "Li",
    fmt: str = "auto",
    type_map=None,
    max_frames: int | None = None,
    progress: ProgressCallback | None = None,
) -> SpeciesTrajectory:
    """Read `path` once and keep the unwrapped, centre-of-mass-relative positions of `species`.

    Wrapped coordinates are unwrapped with image flags when the file has them, else by
    the minimum image between consecutive frames (general triclinic cells). The centre of
    mass uses all atoms weighted by `ase.data.atomic_masses`. `max_frames` stops early.
    """
    return read_species_trajectories(path, (species,), fmt, type_map, max_frames, progress)[species]


def read_species_trajectories(
    path,
    species=("Li",),
    fmt: str = "auto",
    type_map=None,
    max_frames: int | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, SpeciesTrajectory]:
    """:func:`read_species_trajectory` of each element of `species` from one read of `path`."""
    if max_frames is not None and max_frames < 1:
        raise ValueError(f"max_frames must be ≥ 1, got {max_frames}")
    frames = iter_raw_frames(path, fmt, type_map)
    first, fraction = next(frames, (None, None))
    if first is None:
        raise TrajectoryError(f"{path}: no frames; check the file and --format")
    for element in species:
        if element not in atomic_numbers:
            raise ValueError(f"species {element!r} is not an element symbol (e.g. 'Li')")
        if not (first.numbers == atomic_numbers[element]).any():
            present = sorted({chemical_symbols[number] for number in first.numbers})
            raise TrajectoryError(
                f"{path}: no {element} atoms (elements present: {present}); check --species / --type-map"
            )
    selected = {element: _selector(first.numbers == atomic_numbers[element]) for element in species}
    masses = atomic_masses[first.numbers]
    weights = masses / masses.sum()
    capacity = ceil(1.02 / fraction) + 1 if fraction else 1024
    if max_frames is not None:
        capacity = min(capacity, max_frames)
    counts = {element: int((first.numbers == atomic_numbers[element]).sum()) for element in species}
    positions = {element: np.empty((capacity, counts[element], 3)) for element in species}
    com = np.empty((capacity, 3))
    volume_sum, timesteps = 0.0, []
    unwrap = _Unwrapper()
    frame, count = first, 0
    while frame is not None:
        if frame.numbers is not first.numbers and not np.array_equal(frame.numbers, first.numbers):
            raise TrajectoryError(f"{path}: frame {count} has other atoms than frame 0")
        _check_timestep(path, count, timesteps, frame.timestep)
        if count == len(com):
            grown = int(len(com) * 1.25) + 1
            positions = {element: np.resize(p, (grown, *p.shape[1:])) for element, p in positions.items()}
            com = np.resize(com, (grown, 3))
        unwrapped = unwrap(frame)
        com[count] = weights @ unwrapped
        for element, chosen in selected.items():
            np.subtract(unwrapped[chosen], com[count], out=positions[element][count])
        volume_sum += abs(np.linalg.det(frame.cell))
        count += 1
        if progress is not None:
            progress(str(path), count, fraction)
        if count == max_frames:
            break
        frame, fraction = next(frames, (None, None))
    n_atoms = len(first.numbers)
    return {
        element: SpeciesTrajectory(str(path), element, p[:count], com[:count], volume_sum / count, n_atoms)
        for element, p in positions.items()
    }
