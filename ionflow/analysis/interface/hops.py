"""Li hops vs z (Figs. 3e, 4c-d, S10c) and classes of net Li displacement (Figs. 3f, 4e-f).

Displacements use ``ionflow.trajectory.frames.unwrapped_positions`` over every frame given,
so wrapped and unwrapped trajectories give the same result.
"""

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
from ase import Atoms

from ionflow.analysis.interface.slab import slab_height, z_bin_centres, z_bin_count, z_bin_index
from ionflow.trajectory.frames import unwrapped_positions

DISPLACEMENT_CLASSES = ("z", "xy", "mixed z", "mixed xy", "static")


class HopProfile(NamedTuple):
    """Hops per z bin for each interval between compared frames.

    z_A: (n_bins,) bin centres (Å) over the mean z period.
    hops: (n_intervals, n_bins) Li that hopped in the interval, binned by their z at its start.
    occupancy: (n_intervals, n_bins) Li per bin at the start of the interval (hops / occupancy
        is the hop probability per Li and interval).
    """

    z_A: np.ndarray
    hops: np.ndarray
    occupancy: np.ndarray


def hop_counts_vs_z(
    frames: Iterable[Atoms],
    dt_frames: int,
    threshold_A: float = 1.25,
    bin_A: float = 0.5,
    species: str = "Li",
) -> HopProfile:
    """Hops per z bin between frames ``dt_frames`` apart (frames 0, dt, 2dt, … compared in turn).

    A hop is a displacement longer than ``threshold_A`` (Å; 1.25 Å, about half the Li–Cl bond,
    between frames 10 ps apart in paper 2), counted in the bin of the atom's z at the start
    of the interval. Paper 2 averages 100 intervals from t = 1 ns: pass those frames.
    Every frame is read (for unwrapping); only every ``dt_frames``-th is compared.
    """
    if dt_frames < 1:
        raise ValueError(f"dt_frames must be a positive number of frames, got {dt_frames}")
    hops, occupancy = [], []
    start = n_bins = None
    height_sum, n_compared = 0.0, 0
    for k, (positions, cell) in enumerate(unwrapped_positions(frames, species)):
        if k % dt_frames:
            continue
        height = slab_height(cell)
        if n_bins is None:
            n_bins = z_bin_count(height, bin_A)
        if start is not None:
            hopped = np.linalg.norm(positions - start[0], axis=1) > threshold_A
            hops.append(np.bincount(start[1][hopped], minlength=n_bins))
            occupancy.append(np.bincount(start[1], minlength=n_bins))
        start = positions, z_bin_index(positions[:, 2], height, n_bins)
        height_sum += height
        n_compared += 1
    if not hops:
        raise ValueError(
            f"hop_counts_vs_z needs at least {dt_frames + 1} frames (two frames dt_frames = {dt_frames} apart); "
            "pass a longer trajectory or a smaller dt_frames"
        )
    return HopProfile(z_bin_centres(height_sum / n_compared, n_bins), np.array(hops), np.array(occupancy))


def net_displacement(
    frames: Iterable[Atoms], species: str = "Li", start_frame: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Unwrapped positions (Å) of ``species`` at frame ``start_frame`` and at the last frame.

    Paper 2 takes the net displacement from t = 2 ns to the end of the 20 ns run.
    Returns (start, end), each (n_atoms, 3), for ``displacement_classes``.
    """
    start = end = None
    for k, (positions, _) in enumerate(unwrapped_positions(frames, species)):
        if k == start_frame:
            start = positions
        end = positions
    if start is None:
        raise ValueError(f"trajectory has fewer than start_frame + 1 = {start_frame + 1} frames; lower start_frame")
    return start, end


def displacement_components(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """In-plane and normal lengths (Å) of the displacements end − start (unwrapped, (N, 3) Å):
    R_xy = |(Δx, Δy)| and R_z = |Δz|."""
    displacement = np.asarray(end, dtype=float) - np.asarray(start, dtype=float)
    return np.linalg.norm(displacement[:, :2], axis=1), np.abs(displacement[:, 2])


def displacement_classes(
    start: np.ndarray, end: np.ndarray, threshold_A: float = 1.0
) -> tuple[np.ndarray, dict[str, int]]:
    """Class of each net displacement end − start (unwrapped positions, (N, 3) Å), as in paper 2:

    - "z": R_xy < 1 Å and R_z > 1 Å
    - "xy": R_xy ≥ 1 Å and R_z < 1 Å
    - "mixed z": R_z > R_xy ≥ 1 Å
    - "mixed xy": R_xy > R_z ≥ 1 Å
    - "static": the rest (both below 1 Å, plus the measure-zero ties the paper leaves out)

    with 1 Å = ``threshold_A``. Returns per-atom labels (N,) and counts in the order of
    ``DISPLACEMENT_CLASSES``.
    """
    r_xy, r_z = displacement_components(start, end)
    conditions = [
        (r_xy < threshold_A) & (r_z > threshold_A),
        (r_xy >= threshold_A) & (r_z < threshold_A),
        (r_z > r_xy) & (r_xy >= threshold_A),
        (r_xy > r_z) & (r_z >= threshold_A),
    ]
    labels = np.select(conditions, DISPLACEMENT_CLASSES[:4], default=DISPLACEMENT_CLASSES[4])
    return labels, {name: int(np.count_nonzero(labels == name)) for name in DISPLACEMENT_CLASSES}
