"""Residence times from occupancy autocorrelation functions (Eqs. 17-19, Table 3, Fig. S8)
and the Chudley-Elliott jump length (Eq. 20).

β_ij(t) = 1 when a criterion holds for the pair (i, j) at time t (Eq. 17). Two criteria:
Li i within ``r_site`` of site j (residence in one site), and Li j within ``cutoff`` of
Li i (residence next to an adjacent Li). Each frame is reduced to the sorted integer keys
of its pairs with β = 1, so c(τ) costs one sorted-array intersection per lag and frame.
"""

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import numpy as np
from ase import Atoms
from scipy.spatial import cKDTree

from ionflow.analysis.statistics import accumulate_blocks
from ionflow.plotting import figure_style, panel_grid, save_figure
from ionflow.trajectory.frames import periodic_images, species_indices

CM2_PER_S_TO_ANGSTROM2_PER_PS = 1.0e16 * 1.0e-12


def site_occupancy_keys(
    frames: Iterable[Atoms], sites: np.ndarray, r_site: float, species: str = "Li"
) -> Iterator[np.ndarray]:
    """Per frame, sorted keys i·n_sites + j of the (Li i, site j) pairs with |r_i − s_j| ≤ r_site.

    ``sites`` are Cartesian positions (Å) in the simulation cell, given by the caller: the
    Li sites of the starting crystal (ideal sites) or the maxima of the time-averaged Li
    density (``density.density_maxima`` mapped into the supercell). Distances use the
    periodic images of the frame's cell.
    """
    sites = np.asarray(sites, dtype=float)
    indices = None
    for atoms in frames:
        if indices is None:
            indices = species_indices(atoms, species)
        cell = np.asarray(atoms.cell)
        wrapped, _, _ = periodic_images(atoms.positions[indices], cell, 0.0)
        _, padded_sites, site_of_image = periodic_images(sites, cell, r_site)
        pairs = cKDTree(wrapped).sparse_distance_matrix(cKDTree(padded_sites), r_site, output_type="ndarray")
        yield np.unique(pairs["i"].astype(np.int64) * len(sites) + site_of_image[pairs["j"]])


def neighbour_occupancy_keys(frames: Iterable[Atoms], cutoff: float, species: str = "Li") -> Iterator[np.ndarray]:
    """Per frame, sorted keys i·N + j of the ordered (Li i, Li j) pairs, i ≠ j, within ``cutoff`` (Å)."""
    indices = None
    for atoms in frames:
        if indices is None:
            indices = species_indices(atoms, species)
        wrapped, padded, atom_of_image = periodic_images(atoms.positions[indices], np.asarray(atoms.cell), cutoff)
        pairs = cKDTree(wrapped).sparse_distance_matrix(cKDTree(padded), cutoff, output_type="ndarray")
        i, j = pairs["i"].astype(np.int64), atom_of_image[pairs["j"]]
        yield np.unique(i[i != j] * len(indices) + j[i != j])


def _count_common(a: np.ndarray, b: np.ndarray) -> int:
    """Number of keys present in both sorted unique arrays."""
    if a.size == 0 or b.size == 0:
        return 0
    position = np.minimum(np.searchsorted(b, a), b.size - 1)
    return int(np.count_nonzero(b[position] == a))


class _OccupancyOverlap:
    """Running sums of Eq. 18 over the frames given to ``add``: overlap and origin counts per lag."""

    def __init__(self, max_lag: int):
        self.overlap = np.zeros(max_lag + 1)
        self.n_origins = np.zeros(max_lag + 1)
        self.history = deque(maxlen=max_lag + 1)

    def add(self, keys: np.ndarray) -> None:
        self.history.appendleft(keys)
        for lag, earlier in enumerate(self.history):
            self.overlap[lag] += _count_common(earlier, keys)
            self.n_origins[lag] += 1

    def correlation(self, max_lag_ps: float) -> np.ndarray:
        if self.n_origins[-1] == 0:
            raise ValueError(f"trajectory shorter than max_lag_ps = {max_lag_ps}; lower it")
        if self.overlap[0] == 0:
            raise ValueError("no occupied pair in any frame; raise r_site or cutoff")
        mean_overlap = self.overlap / self.n_origins
        return mean_overlap / mean_overlap[0]


def occupancy_autocorrelation(
    key_frames: Iterable[np.ndarray], max_lag_ps: float, frame_interval_ps: float
) -> tuple[np.ndarray, np.ndarray]:
    """Intermittent occupancy autocorrelation c(τ) of Eq. 18, normalised to c(0) = 1.

    c(τ) = Σ_ij <β_ij(t) β_ij(t + τ)>_t / Σ_ij <β_ij(t)²>_t, averaged over every frame as
    time origin; the 1/N² of Eq. 18 cancels in the normalisation. ``key_frames`` is the
    output of ``site_occupancy_keys`` or ``neighbour_occupancy_keys``; only the last
    max_lag + 1 frames are held.

    Returns τ (ps) on the frame grid up to ``max_lag_ps`` and c(τ) (dimensionless).
    """
    tau, c, _ = occupancy_autocorrelation_blocks(key_frames, max_lag_ps, frame_interval_ps)
    return tau, c


def occupancy_autocorrelation_blocks(
    key_frames: Iterable[np.ndarray], max_lag_ps: float, frame_interval_ps: float, block_frames: int | None = None
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """c(τ) of the whole run (as :func:`occupancy_autocorrelation`) and of each block of
    ``block_frames`` consecutive frames, in one pass: (τ in ps, c, [c of block 1, ...]).

    Each block's c(τ) uses only time origins and lags inside that block, so the blocks are the
    independent samples a standard error is taken over. A last block shorter than
    ``block_frames`` is left out of the list; no block at all when ``block_frames`` is None or
    not longer than the longest lag.
    """
    max_lag = int(round(max_lag_ps / frame_interval_ps))
    if block_frames is not None and block_frames <= max_lag:
        block_frames = None  # no block holds the longest lag: no blocks, and no standard error
    whole, blocks = accumulate_blocks(key_frames, lambda: _OccupancyOverlap(max_lag), block_frames)
    correlations = [block.correlation(max_lag_ps) for block in blocks]
    return np.arange(max_lag + 1) * frame_interval_ps, whole.correlation(max_lag_ps), correlations


def residence_time(tau_ps: np.ndarray, c: np.ndarray, convention: str = "eq19") -> float:
    """Residence time (ps) from c(τ) integrated (trapezoid) over the given window.

    ``convention="eq19"``: T = 2 ∫ c dτ as printed in Eq. 19. ``convention="plain"``:
    ∫ c dτ, which for an exponential c(τ) = exp(−τ/τ0) equals the mean dwell time τ0.

    Which one Table 3 used cannot be read from the paper alone: its jump lengths follow
    from Eq. 20 with τ = T_table and D_i = H_R·D at 950 K (Tables 2, S5), which gives
    3.0, 3.6, 8.7 Å against the printed 3.44, 3.34, 8.85 Å, so T_table is the τ of Eq. 20.
    A Chudley-Elliott τ is the mean dwell time, and with the Li-Li site spacing (3.63 Å,
    first Li-Li RDF peak) it is l²/(6 D_i) = 7.9 ps (ordered α) and 5.2 ps (disordered
    α), close to T_table (5.49, 5.24 ps) and not to half of it: the plain integral matches
    Table 3 best if our c(τ) decays like TRAVIS's; compare both against Table 3 once the
    950 K trajectories exist. Truncate ``tau_ps`` where c has decayed (c(τ_max) ≈ 0);
    a residual plateau adds ≈ c(τ_max)·τ_max.
    """
    factor = {"eq19": 2.0, "plain": 1.0}
    if convention not in factor:
        raise ValueError(f"convention must be 'eq19' or 'plain', got {convention!r}")
    return factor[convention] * float(np.trapezoid(c, tau_ps))


def jump_length_angstrom(D_self_cm2_s: float, tau_ps: float) -> float:
    """Chudley-Elliott jump length l = sqrt(6 D_i τ) (Eq. 20) in Å, D_i in cm²/s, τ in ps."""
    return float(np.sqrt(6.0 * D_self_cm2_s * CM2_PER_S_TO_ANGSTROM2_PER_PS * tau_ps))


def plot_residence_autocorrelation(curves: Mapping[str, tuple[np.ndarray, np.ndarray]], path: str | Path) -> Path:
    """Fig. S8: c(τ) vs τ (ps) for each labelled curve ``{label: (tau_ps, c)}``."""
    with figure_style():
        fig, axes = panel_grid(1, 1)
        ax = axes[0, 0]
        for label, (tau_ps, c) in curves.items():
            ax.plot(tau_ps, c, label=label)
        ax.set_xlabel("τ (ps)")
        ax.set_ylabel("c(τ)")
        ax.set_ylim(0.0, 1.02)
        ax.set_xlim(left=0.0)
        ax.legend()
        fig.tight_layout()
        return save_figure(fig, path)
