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


def _unreadable_frame(path, index: int, what: str, detail: str) -> TrajectoryError:
    return TrajectoryError(
        f"{path}: frame {index} is {what} ({detail}); rerun the MD or drop the last frame with --max-frames {index}"
    )


def truncated_frame(path, index: int, detail: str) -> TrajectoryError:
    """Frame `index` of `path` ends early; `detail` says how."""
    return _unreadable_frame(path, index, "truncated", detail)


def corrupt_frame(path, index: int, detail: str) -> TrajectoryError:
    """Frame `index` of `path` does not parse (or ends early); `detail` says why."""
    return _unreadable_frame(path, index, "corrupt or truncated", detail)


def non_finite_frame(path, index: int) -> TrajectoryError:
    """Frame `index` of `path` holds nan or inf coordinates."""
    return TrajectoryError(
        f"{path}: frame {index}: non-finite coordinates (nan or inf); the MD blew up there: "
        f"drop the frames from {index} on (--max-frames {index}) and check the run"
    )
