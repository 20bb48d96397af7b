"""Potential of mean force: 1D W(r) = −k_B T ln g(r) with its barrier (Eqs. 25-26), 2D
maps −k_B T ln ρ of Li in slabs of the folded density (Fig. 11) with percolation barriers,
and lowest-saddle barriers between two sites on the periodic 3D PMF (named Li–Li paths)."""

from collections import defaultdict, deque
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from ase.units import kB as BOLTZMANN_EV_PER_K
from scipy.ndimage import generate_binary_structure, label
from scipy.signal import find_peaks

from ionflow.analysis.structure.density import AXIS_NAMES, plane_mesh
from ionflow.plotting import figure_style, panel_grid, save_figure

PLANES = {"xy": (0, 1), "xz": (0, 2), "yz": (1, 2)}


def potential_of_mean_force(g: np.ndarray, temperature_K: float) -> np.ndarray:
    """W = −k_B T ln g in eV (Eq. 25 with C = 0); +inf where g = 0. g may be g(r) or ρ/ρ̄."""
    with np.errstate(divide="ignore"):
        return -BOLTZMANN_EV_PER_K * temperature_K * np.log(np.asarray(g, dtype=float))


def free_energy_barrier(r: np.ndarray, W: np.ndarray, min_prominence: float = 0.01) -> tuple[float, float, float]:
    """Barrier ΔG = W(r_max) − W(r_min) (Eq. 26) in eV, with r_min and r_max in Å.

    r_min is the first local minimum of W (prominence ≥ ``min_prominence`` eV, so noise
    wiggles are skipped) in a shell at least as dense as the average (W ≤ 0, g ≥ 1): a stray
    close pair in a few frames makes a minimum of W where g ≈ 0, which is no coordination
    shell. r_max is the highest point of W between r_min and the next such minimum (or the
    following local maximum when there is no later minimum).
    """
    finite = np.isfinite(W)
    W_finite = np.where(finite, W, np.nanmax(W[finite]))
    minima, _ = find_peaks(-W_finite, prominence=min_prominence)
    minima = minima[W_finite[minima] <= 0.0]
    if minima.size == 0:
        raise ValueError("W(r) has no local minimum with g ≥ 1; check g(r) and min_prominence")
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


def _periodic_clusters(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Face-connected clusters of a periodic boolean grid (2D or 3D).

    Returns the labels of the clusters of the grid taken without wrapping (0 outside
    ``mask``) and the links that wrapping adds: rows (u, v, axis) meaning that cluster u
    touches, across the upper face along ``axis``, cluster v of the next cell along ``axis``.
    """
    labels, _ = label(mask, structure=generate_binary_structure(mask.ndim, 1))
    links = [np.empty((0, 3), dtype=int)]
    for axis in range(mask.ndim):
        upper, lower = labels.take(-1, axis=axis).ravel(), labels.take(0, axis=axis).ravel()
        touching = (upper > 0) & (lower > 0)
        pairs = np.unique(np.stack([upper[touching], lower[touching]], axis=1), axis=0)
        links.append(np.column_stack([pairs, np.full(len(pairs), axis)]))
    return labels, np.concatenate(links)


def _unfold(links: np.ndarray, ndim: int) -> tuple[dict, dict]:
    """Place the linked clusters in the infinite periodic repetition of the grid.

    Returns ``placed`` {cluster: (set, cell)}: the connected set the cluster belongs to
    (named by its first cluster) and the cell (integer vector) of the copy that joins the
    set's first cluster in cell 0; and ``translations`` {set: [lattice vectors in cells
    that map the connected set onto itself, one per loop]}. Unlinked clusters are absent.
    """
    steps = np.eye(ndim, dtype=int)
    neighbours: dict[int, list] = defaultdict(list)
    for u, v, axis in links:
        neighbours[u].append((v, steps[axis]))
        neighbours[v].append((u, -steps[axis]))
    placed: dict[int, tuple[int, np.ndarray]] = {}
    translations: dict[int, list] = defaultdict(list)
    for first in neighbours:
        if first in placed:
            continue
        placed[first] = (first, np.zeros(ndim, dtype=int))
        queue = deque([first])
        while queue:
            u = queue.popleft()
            for v, step in neighbours[u]:
                cell = placed[u][1] + step
                if v in placed:
                    translations[first].append(cell - placed[v][1])
                else:
                    placed[v] = (first, cell)
                    queue.append(v)
    return placed, translations


def _in_lattice(vector: np.ndarray, generators: list[np.ndarray]) -> bool:
    """True if integer ``vector`` is an integer combination of the integer ``generators``.

    Column by column, Euclid's algorithm on the generators (row operations that keep the
    lattice) leaves one pivot row; ``vector`` must be a whole multiple of it in that column.
    """
    residual = np.array(vector, dtype=int)
    rows = [np.asarray(g, dtype=int) for g in generators if np.any(g)]
    for axis in range(residual.size):
        active = [r for r in rows if r[axis] != 0]
        rows = [r for r in rows if r[axis] == 0]
        while len(active) > 1:
            active.sort(key=lambda r: abs(r[axis]))
            pivot, others = active[0], [r - (r[axis] // active[0][axis]) * active[0] for r in active[1:]]
            rows += [r for r in others if r[axis] == 0]
            active = [pivot] + [r for r in others if r[axis] != 0]
        if active:
            if residual[axis] % active[0][axis]:
                return False
            residual -= (residual[axis] // active[0][axis]) * active[0]
        elif residual[axis]:
            return False
    return not residual.any()


def _spans(mask: np.ndarray, axis: int) -> bool:
    """True if a face-connected cluster of periodic ``mask`` crosses the cell along ``axis``
    (straight or slanted: a lattice translation of the cluster has a component along it)."""
    _, translations = _unfold(_periodic_clusters(mask)[1], mask.ndim)
    return any(t[axis] for loops in translations.values() for t in loops)


def map_barrier(W: np.ndarray, axis: int) -> float:
    """Migration barrier (eV) of a periodic 2D PMF map along in-plane ``axis`` (0 or 1).

    The lowest level at which the region {W ≤ level} percolates through the periodic map
    along ``axis``, minus min W: the saddle of the best path, i.e. Eq. 26 for a map.
    Returns +inf when no path crosses through visited voxels (finite W).
    """
    levels = np.unique(W[np.isfinite(W)])
    saddle = _lowest_level(levels, lambda level: _spans(W <= level, axis))
    return saddle - levels[0] if np.isfinite(saddle) else saddle


def _lowest_level(levels: np.ndarray, reached) -> float:
    """Smallest of the sorted ``levels`` at which the monotone test ``reached(level)`` holds
    (bisection); +inf if it fails at the highest level or there are no levels."""
    if levels.size == 0 or not reached(levels[-1]):
        return float("inf")
    low, high = 0, levels.size - 1
    while low < high:
        middle = (low + high) // 2
        if reached(levels[middle]):
            high = middle
        else:
            low = middle + 1
    return float(levels[low])


def path_barrier(W: np.ndarray, start_index, end_index) -> float:
    """Barrier (eV) of the best path between two voxels of a periodic PMF grid (Eq. 26 along a path).

    ``W`` is a 2D or 3D grid over one cell, e.g. −k_B T ln(ρ/ρ̄) of the folded density (eV,
    +inf where no Li was seen). ``start_index`` and ``end_index`` are integer voxel indices,
    unwrapped: an index outside [0, n) along an axis is the voxel's image in a neighbouring
    cell, so a site and its own image one cell along c are two distinct end points.

    The saddle level L is the lowest level at which both voxels belong to one face-connected
    (6 neighbours in 3D) set {W ≤ L} of the infinite periodic repetition of the grid: the
    highest point of the best path. The barrier is L minus the lowest W of the start and end
    basins, the clusters of {W < L} that hold them (the lowest W the best path can visit).
    +inf when no path through visited voxels joins them.
    """
    W = np.asarray(W, dtype=float)
    shape = np.asarray(W.shape)
    start_index, end_index = np.asarray(start_index, dtype=int), np.asarray(end_index, dtype=int)
    shift = end_index // shape - start_index // shape
    start, end = tuple(start_index % shape), tuple(end_index % shape)
    origin = np.zeros(W.ndim, dtype=int)

    def joined(level: float) -> bool:
        labels, links = _periodic_clusters(W <= level)
        placed, translations = _unfold(links, W.ndim)
        (set_start, cell_start), (set_end, cell_end) = (
            placed.get(labels[v], (labels[v], origin)) for v in (start, end)
        )
        return set_start == set_end and _in_lattice(shift - cell_end + cell_start, translations[set_start])

    levels = np.unique(W[np.isfinite(W)])
    saddle = _lowest_level(levels[levels >= max(W[start], W[end])], joined)
    if not np.isfinite(saddle):
        return saddle
    labels, links = _periodic_clusters(W < saddle)
    set_of = np.arange(labels.max() + 1)
    for cluster, (connected_set, _) in _unfold(links, W.ndim)[0].items():
        set_of[cluster] = connected_set
    basins = [set_of[labels[v]] for v in (start, end) if labels[v]]
    floor = min(W[start], W[end], W[np.isin(set_of[labels], basins)].min(initial=np.inf))
    return float(saddle - floor)


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


def plot_pmf_maps(maps: Mapping[str, tuple[np.ndarray, str]], unit_cell: np.ndarray, path: str | Path) -> Path:
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
