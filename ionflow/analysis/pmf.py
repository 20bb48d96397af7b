"""Potential of mean force: 1D W(r) = −k_B T ln g(r) with its barrier (Eqs. 25-26) and 2D
maps −k_B T ln ρ of Li in slabs of the folded density (Fig. 11) with percolation barriers."""

from collections.abc import Mapping
from pathlib import Path

import numpy as np
from ase.units import kB as BOLTZMANN_EV_PER_K
from scipy.ndimage import label
from scipy.signal import find_peaks

from ionflow.analysis.density import AXIS_NAMES, plane_mesh
from ionflow.analysis.figures import figure_style, panel_grid, save_figure

PLANES = {"xy": (0, 1), "xz": (0, 2), "yz": (1, 2)}


def potential_of_mean_force(g: np.ndarray, temperature_K: float) -> np.ndarray:
    """W = −k_B T ln g in eV (Eq. 25 with C = 0); +inf where g = 0. g may be g(r) or ρ/ρ̄."""
    with np.errstate(divide="ignore"):
        return -BOLTZMANN_EV_PER_K * temperature_K * np.log(np.asarray(g, dtype=float))


def free_energy_barrier(r: np.ndarray, W: np.ndarray, min_prominence: float = 0.01) -> tuple[float, float, float]:
    """Barrier ΔG = W(r_max) − W(r_min) (Eq. 26) in eV, with r_min and r_max in Å.

    r_min is the first local minimum of W (prominence ≥ ``min_prominence`` eV, so noise
    wiggles are skipped), r_max the highest point of W between it and the next such
    minimum (or the following local maximum when there is no later minimum).
    """
    finite = np.isfinite(W)
    W_finite = np.where(finite, W, np.nanmax(W[finite]))
    minima, _ = find_peaks(-W_finite, prominence=min_prominence)
    if minima.size == 0:
        raise ValueError("W(r) has no local minimum; check g(r) and min_prominence")
    first = minima[0]
    if minima.size > 1:
        top = first + int(np.argmax(W_finite[first : minima[1] + 1]))
    else:
        maxima, _ = find_peaks(W_finite[first:], prominence=min_prominence)
        if maxima.size == 0:
            raise ValueError("W(r) has no maximum after its first minimum; extend r_max")
        top = first + maxima[0]
    return float(W_finite[top] - W_finite[first]), float(r[first]), float(r[top])


def pmf_slice(
    density: np.ndarray,
    unit_cell: np.ndarray,
    plane: str,
    center_fraction: float,
    thickness_angstrom: float,
    temperature_K: float,
) -> np.ndarray:
    """2D PMF map W = −k_B T ln(ρ_slab / ρ̄_slab) in eV from a folded density grid.

    ``density`` and ``unit_cell`` come from ``density.folded_density``. The slab holds the
    voxel layers whose centres lie within ``thickness_angstrom``/2 (measured along the
    plane normal, periodic) of fractional coordinate ``center_fraction`` along the third
    cell vector (c for "xy", b for "xz", a for "yz"); ρ_slab is their mean and ρ̄_slab its
    average over the map, so W = 0 is the mean-density level. Returns an array over the two
    in-plane cell vectors; +inf where no Li was seen.
    """
    if plane not in PLANES:
        raise ValueError(f"plane must be one of {sorted(PLANES)}, got {plane!r}")
    normal_axis = 3 - sum(PLANES[plane])
    in_plane = [unit_cell[k] for k in PLANES[plane]]
    layer_spacing = abs(np.linalg.det(unit_cell)) / np.linalg.norm(np.cross(*in_plane))
    n_layers = density.shape[normal_axis]
    offset = (np.arange(n_layers) + 0.5) / n_layers - center_fraction
    offset -= np.round(offset)
    chosen = np.abs(offset) * layer_spacing <= 0.5 * thickness_angstrom
    if not chosen.any():
        raise ValueError(
            f"slab of {thickness_angstrom} Å holds no voxel layer; raise thickness_angstrom above "
            f"{layer_spacing / n_layers:.3f} Å"
        )
    slab = np.compress(chosen, density, axis=normal_axis).mean(axis=normal_axis)
    return potential_of_mean_force(slab / slab.mean(), temperature_K)


def _spans(mask: np.ndarray, axis: int) -> bool:
    """True if a 4-connected cluster of ``mask`` crosses the periodic cell along ``axis``."""
    tiled = np.tile(mask, (3, 3))
    labels, _ = label(tiled)
    n0, n1 = mask.shape
    centre = labels[n0 : 2 * n0, n1 : 2 * n1]
    neighbour = labels[2 * n0 :, n1 : 2 * n1] if axis == 0 else labels[n0 : 2 * n0, 2 * n1 :]
    return bool(np.any((centre > 0) & (centre == neighbour)))


def map_barrier(W: np.ndarray, axis: int) -> float:
    """Migration barrier (eV) of a periodic 2D PMF map along in-plane ``axis`` (0 or 1).

    The lowest level at which the region {W ≤ level} percolates through the periodic map
    along ``axis``, minus min W: the saddle of the best path, i.e. Eq. 26 for a map.
    Returns +inf when no path crosses through visited voxels (finite W).
    """
    levels = np.unique(W[np.isfinite(W)])
    low, high = 0, levels.size - 1
    if not _spans(W <= levels[high], axis):
        return float("inf")
    while low < high:
        middle = (low + high) // 2
        if _spans(W <= levels[middle], axis):
            high = middle
        else:
            low = middle + 1
    return float(levels[low] - levels[0])


def plot_pmf_profiles(r: np.ndarray, W_by_label: Mapping[str, np.ndarray], path: str | Path) -> Path:
    """W(r) (eV) vs r (Å), one line per label (e.g. Li-Li at 300 K and 950 K)."""
    with figure_style():
        fig, axes = panel_grid(1, 1)
        ax = axes[0, 0]
        for name, W in W_by_label.items():
            ax.plot(r, W, label=name)
        ax.set_xlabel("r (Å)")
        ax.set_ylabel("W(r) (eV)")
        ax.legend()
        fig.tight_layout()
        return save_figure(fig, path)


def plot_pmf_maps(
    maps: Mapping[str, tuple[np.ndarray, str]], unit_cell: np.ndarray, path: str | Path
) -> Path:
    """Fig. 11: one panel per ``{title: (W map from pmf_slice, plane)}``, colour bar in eV.

    Colour scale shared by all panels, from min W to the 98th percentile of finite W,
    so that a few rarely visited voxels do not wash out the landscape; voxels never
    visited (W = +inf) are grey.
    """
    finite = np.concatenate([W[np.isfinite(W)] for W, _ in maps.values()])
    vmin, vmax = finite.min(), np.percentile(finite, 98)
    with figure_style():
        fig, axes = panel_grid(1, len(maps))
        for ax, (title, (W, plane)) in zip(axes[0], maps.items()):
            p, q = PLANES[plane]
            x, y = plane_mesh(unit_cell, (p, q), W.shape)
            mesh = ax.pcolormesh(x, y, np.ma.masked_invalid(W), vmin=vmin, vmax=vmax, cmap="magma", shading="flat")
            ax.set_facecolor("0.8")
            ax.set_aspect("equal")
            ax.set_xlabel(f"{AXIS_NAMES[p]} (Å)")
            ax.set_ylabel(f"{AXIS_NAMES[q]} (Å)")
            ax.set_title(title)
        fig.subplots_adjust(wspace=0.4)
        fig.colorbar(mesh, ax=axes[0].tolist(), label="W (eV)", shrink=0.7)
        return save_figure(fig, path)
