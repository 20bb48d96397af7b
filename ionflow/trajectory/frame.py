"""One decoded trajectory frame, and the error raised for unreadable trajectories."""

from typing import NamedTuple

import numpy as np


class TrajectoryError(ValueError):
    """A trajectory file is corrupt, truncated or lacks what the analysis needs.

    The message names the file, the frame (0-based) and the fix.
    """


class Frame(NamedTuple):
    """Atoms of one frame, sorted by atom id where the file has ids.

    numbers: (n_atoms,) atomic numbers.
    positions: (n_atoms, 3) Cartesian positions in Å, as written in the file.
    cell: (3, 3) lattice vectors in Å, one per row.
    images: (n_atoms, 3) integer image flags, or None when the file has none.
    unwrapped: True when `positions` are already continuous in time (LAMMPS xu/xsu).
    timestep: MD step number written in the file, or None.
    """

    numbers: np.ndarray
    positions: np.ndarray
    cell: np.ndarray
    images: np.ndarray | None
    unwrapped: bool
    timestep: int | None
