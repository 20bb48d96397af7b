"""Self part of the van Hove function G_s(r, t) (Eq. 16, Fig. 8a) and the map of the
distance from each Li to its nearest Li versus time (Fig. 8b)."""

from collections import deque
from collections.abc import Iterable, Sequence
from pathlib import Path

import matplotlib
import numpy as np
from ase import Atoms
from matplotlib.colors import LogNorm
from scipy.spatial import cKDTree

from ionflow.plotting import figure_style, panel_grid, save_figure
from ionflow.trajectory.frames import periodic_images, species_indices, unwrapped_positions


def self_van_hove(
    frames: Iterable[Atoms],
    lag_times_ps: Sequence[float],
    frame_interval_ps: float,
    species: str = "Li",
    r_max: float = 15.0,
    bin_width: float = 0.05,
    origin_stride: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Self van Hove function G_s(r, t) of ``species`` at the given lag times (Eq. 16).

    G_s(r, t) = < Σ_i δ(r − |r_i(t0 + t) − r_i(t0)|) > / (N 4π r²), averaged over all
    time origins t0 that are multiples of ``origin_stride`` frames. Normalisation:
    ∫ 4π r² G_s(r, t) dr = 1 over [0, ∞); displacements beyond ``r_max`` (Å) fall outside
    the histogram, so the integral over the returned range is the fraction below r_max.

    Frames are streamed: only a ring buffer of the last max(lag) + 1 unwrapped frames of
    ``species`` is held (max_lag × N × 24 bytes). Wrapped input is unwrapped on the fly
    (see ``frames.unwrapped_positions``). Lag times are rounded to whole frames of
    ``frame_interval_ps`` (ps).

    Returns bin centres r (Å) and G_s (Å⁻³) of shape (len(lag_times_ps), n_bins).
    """
    lags = np.rint(np.asarray(lag_times_ps, dtype=float) / frame_interval_ps).astype(int)
    if np.any(lags < 1):
        raise ValueError(f"lag_times_ps {list(lag_times_ps)} must be ≥ frame_interval_ps = {frame_interval_ps}")
    n_bins = int(round(r_max / bin_width))
    edges = np.arange(n_bins + 1) * bin_width
    counts = np.zeros((lags.size, n_bins))
    n_origins = np.zeros(lags.size)
    history = deque(maxlen=int(lags.max()) + 1)
    n_atoms = 0
    for t, (positions, _) in enumerate(unwrapped_positions(frames, species)):
        history.append(positions)
        n_atoms = len(positions)
        for k, lag in enumerate(lags):
            origin = t - lag
            if origin < 0 or origin % origin_stride:
                continue
            distance = np.linalg.norm(positions - history[-1 - lag], axis=1)
            inside = distance < edges[-1]
            counts[k] += np.bincount((distance[inside] / bin_width).astype(int), minlength=n_bins)[:n_bins]
            n_origins[k] += 1
    if np.any(n_origins == 0):
        raise ValueError(f"trajectory too short for lag times {list(lag_times_ps)} ps; drop the longest lags")
    shell_volumes = 4.0 / 3.0 * np.pi * np.diff(edges**3)
    g_self = counts / (n_atoms * n_origins[:, None] * shell_volumes)
    return edges[:-1] + 0.5 * bin_width, g_self


def nearest_neighbour_distance_map(
    frames: Iterable[Atoms], species: str = "Li", r_max: float = 6.0, bin_width: float = 0.02
) -> tuple[np.ndarray, np.ndarray]:
    """Histogram per frame of the distance from each ``species`` atom to its nearest other one.

    Distances use all periodic images (minimum image for the nearest neighbour). Atoms with
    no neighbour within ``r_max`` (Å) are counted in no bin. Each row is a probability
    density in Å⁻¹ over the atoms of that frame: row.sum() × bin_width = fraction of atoms
    with a neighbour closer than r_max.

    Returns bin centres r (Å) and the map of shape (n_frames, n_bins).
    """
    n_bins = int(round(r_max / bin_width))
    rows = []
    indices = None
    for atoms in frames:
        if indices is None:
            indices = species_indices(atoms, species)
        wrapped, padded, _ = periodic_images(atoms.positions[indices], np.asarray(atoms.cell), r_max)
        # k = 2: the closest point is the atom itself
        nearest = cKDTree(padded).query(wrapped, k=2, distance_upper_bound=r_max)[0][:, 1]
        found = nearest[np.isfinite(nearest)]
        histogram = np.bincount(np.minimum((found / bin_width).astype(int), n_bins - 1), minlength=n_bins)
        rows.append(histogram / (len(wrapped) * bin_width))
    return (np.arange(n_bins) + 0.5) * bin_width, np.array(rows)


def plot_self_van_hove(r: np.ndarray, lag_times_ps: Sequence[float], g_self: np.ndarray, path: str | Path) -> Path:
    """Fig. 8a: radial displacement probability 4πr² G_s(r, t) (Å⁻¹) vs r, one line per lag."""
    with figure_style():
        fig, axes = panel_grid(1, 1)
        ax = axes[0, 0]
        colours = matplotlib.colormaps["viridis"](np.linspace(0.0, 0.9, len(lag_times_ps)))
        for lag, row, colour in zip(lag_times_ps, g_self, colours):
            ax.plot(r, 4.0 * np.pi * r**2 * row, color=colour, label=f"t = {lag:g} ps")
        ax.set_xlabel("r (Å)")
        ax.set_ylabel(r"$4\pi r^2 G_s(r,t)$ (Å$^{-1}$)")
        ax.set_xlim(0.0, r[-1])
        ax.set_ylim(bottom=0.0)
        ax.legend()
        fig.tight_layout()
        return save_figure(fig, path)


def plot_nearest_neighbour_map(times_ps: np.ndarray, r: np.ndarray, distance_map: np.ndarray, path: str | Path) -> Path:
    """Fig. 8b: time × nearest-neighbour distance map, logarithmic colour scale."""
    positive = distance_map[distance_map > 0]
    with figure_style():
        fig, axes = panel_grid(1, 2)
        axes[0, 1].remove()
        ax = axes[0, 0]
        mesh = ax.pcolormesh(
            times_ps,
            r,
            np.ma.masked_less_equal(distance_map.T, 0.0),
            norm=LogNorm(vmin=positive.min(), vmax=positive.max()),
            shading="nearest",
        )
        fig.colorbar(mesh, ax=ax, label="probability density (Å$^{-1}$)")
        ax.set_xlabel("t (ps)")
        ax.set_ylabel("distance to nearest Li (Å)")
        fig.tight_layout()
        return save_figure(fig, path)
