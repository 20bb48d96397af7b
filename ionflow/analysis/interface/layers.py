"""Atomic layers along a stacking direction: the layers of a sublattice (Zr or Cl planes of
Li2ZrCl6, used by ``glide``), the Li population of the cation layers between Cl planes
(Fig. S12: Li-rich : Li-poor ≈ 2 : 1 in α) and the Li planes of an interface (Fig. S8).

The stacking normal n is the unit reciprocal vector of one cell vector (``stacking_axis``,
default 2: c*, perpendicular to a and b, the stacking direction of the α, β and ideal
Li2ZrCl6 cells). Heights along n are fractional coordinates along that axis times the
interplanar spacing d = 1/|reciprocal vector| (Å), so layers are periodic with period d.
"""

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
from ase import Atoms

from ionflow.trajectory.frames import species_indices


class Layers(NamedTuple):
    """Layers of a sublattice, ordered bottom to top along the stacking normal.

    members: atom indices of each layer.
    centre_fraction: (n_layers,) fractional coordinate of each layer centre along the stacking
        axis, increasing, the first in [0, 1); the last layer's neighbour above is the first
        layer's periodic image at centre_fraction[0] + 1.
    """

    members: list[np.ndarray]
    centre_fraction: np.ndarray


class LayerPopulation(NamedTuple):
    """Atoms per cation layer (the gap between consecutive anion planes), over frames.

    height_A: (n_layers,) height (Å, in [0, d)) of each layer along the normal in the first
        frame: midway between the anion planes below and above it; layer k lies above anion
        plane k of ``find_layers``.
    counts: (n_frames, n_layers) atoms in each layer and frame.
    mean_count: (n_layers,) counts averaged over frames.
    rich: (n_layers,) True for layers whose mean count exceeds the mean over layers.
    rich_to_poor: mean count of the rich layers / that of the others; 1 when all layers hold
        the same number, inf when the other layers are empty.
    """

    height_A: np.ndarray
    counts: np.ndarray
    mean_count: np.ndarray
    rich: np.ndarray
    rich_to_poor: float


def interplanar_spacing(cell: np.ndarray, stacking_axis: int = 2) -> float:
    """Spacing d (Å) of the lattice planes spanned by the two other cell vectors."""
    return float(1.0 / np.linalg.norm(np.linalg.inv(np.asarray(cell, dtype=float))[:, stacking_axis]))


def stacking_normal(cell: np.ndarray, stacking_axis: int = 2) -> np.ndarray:
    """Unit normal (3,) of the planes spanned by the two other cell vectors, pointing along
    the positive side of cell vector ``stacking_axis``."""
    reciprocal = np.linalg.inv(np.asarray(cell, dtype=float))[:, stacking_axis]
    return reciprocal / np.linalg.norm(reciprocal)


def nearest_image_fraction(fraction: np.ndarray) -> np.ndarray:
    """Fractional differences mapped into [-0.5, 0.5): the nearest periodic image."""
    return fraction - np.round(fraction)


class NoLayersError(ValueError):
    """The atoms of a species form fewer than two layers along the stacking normal (e.g. a
    sublattice that melted): a finding about the run, not a bad input."""


def find_layers(
    atoms: Atoms, species: Sequence[str] = ("Zr",), stacking_axis: int = 2, min_gap_A: float = 1.0
) -> Layers:
    """Layers of the ``species`` atoms along the stacking normal of ``atoms``.

    Heights of the atoms are sorted around the period; a gap wider than ``min_gap_A`` (Å)
    between consecutive heights separates two layers (thermal spread of a layer at 300-900 K
    is a few tenths of an Å, layer spacings in Li2ZrCl6 ≥ 2.8 Å). A layer straddling the cell
    boundary along the axis stays one layer.
    """
    indices = np.flatnonzero(np.isin(atoms.get_chemical_symbols(), list(species)))
    if indices.size == 0:
        raise ValueError(f"no atoms of species {tuple(species)} in the frame; pass species present in it")
    spacing = interplanar_spacing(atoms.cell, stacking_axis)
    fraction = np.mod(atoms.get_scaled_positions(wrap=False)[indices, stacking_axis], 1.0)
    order = np.argsort(fraction)
    ordered = fraction[order]
    gaps = np.diff(np.append(ordered, ordered[0] + 1.0)) * spacing
    cuts = np.flatnonzero(gaps > min_gap_A)
    if cuts.size < 2:
        raise NoLayersError(
            f"{tuple(species)} atoms form {cuts.size} layer(s) along cell vector {stacking_axis} "
            f"(no two gaps wider than min_gap_A = {min_gap_A} Å); pass a smaller min_gap_A or another axis"
        )
    # Start after the first gap so that no layer is split by the wrap from 1 back to 0.
    start = cuts[0] + 1
    rolled = np.roll(order, -start)
    contiguous = np.roll(ordered, -start) + (np.arange(len(order)) >= len(order) - start)
    bounds = np.append(cuts[1:] + 1 - start, len(order))
    members, centres = [], []
    for low, high in zip(np.append(0, bounds[:-1]), bounds):
        members.append(np.sort(indices[rolled[low:high]]))
        centres.append(np.mod(contiguous[low:high].mean(), 1.0))
    by_height = np.argsort(centres)
    return Layers([members[k] for k in by_height], np.asarray(centres)[by_height])


def _layer_fractions(atoms: Atoms, layers: Layers, previous: np.ndarray, stacking_axis: int = 2) -> np.ndarray:
    """Centre fractions (n_layers,) of ``layers`` in ``atoms``, each the image nearest ``previous``
    (the centres of the frame before), so that centres move continuously from frame to frame."""
    fraction = atoms.get_scaled_positions(wrap=False)[:, stacking_axis]
    return np.array(
        [
            reference + nearest_image_fraction(fraction[members] - reference).mean()
            for members, reference in zip(layers.members, previous)
        ]
    )


def layer_populations(
    frames: Iterable[Atoms],
    species: str = "Li",
    anion: str = "Cl",
    stacking_axis: int = 2,
    min_gap_A: float = 1.0,
) -> LayerPopulation:
    """Number of ``species`` atoms in each cation layer between consecutive ``anion`` planes.

    The anion planes are found in the first frame (``find_layers``) and followed through the
    frames (NPT cells included); each atom is counted in the gap between the two planes
    around its height in each frame. Paper 2, Fig. S12: α-Li2ZrCl6 alternates Li-rich and
    Li-poor layers with rich : poor ≈ 2 : 1.
    """
    rows, planes, centres = [], None, None
    for atoms in frames:
        if planes is None:
            planes = find_layers(atoms, (anion,), stacking_axis, min_gap_A)
            centres = planes.centre_fraction
            members = species_indices(atoms, species)
            upper = np.append(centres[1:], centres[0] + 1.0)
            height = np.mod(0.5 * (centres + upper), 1.0) * interplanar_spacing(atoms.cell, stacking_axis)
        else:
            centres = _layer_fractions(atoms, planes, centres, stacking_axis)
        above_first = np.mod(atoms.get_scaled_positions(wrap=False)[members, stacking_axis] - centres[0], 1.0)
        layer = np.searchsorted(centres - centres[0], above_first, side="right") - 1
        rows.append(np.bincount(layer, minlength=len(centres)))
    if planes is None:
        raise ValueError("layer_populations got no frames; check the trajectory path and frame selection")
    counts = np.array(rows)
    mean_count = counts.mean(axis=0)
    rich = mean_count > mean_count.mean() + 1e-9
    if not rich.any():
        ratio = 1.0
    else:
        poor = mean_count[~rich].mean()
        ratio = float(mean_count[rich].mean() / poor) if poor > 0 else float("inf")
    return LayerPopulation(height, counts, mean_count, rich, ratio)


def planes_of_first_frame(counts: np.ndarray) -> np.ndarray:
    """Plane label of every z bin from the first row of a count map (n_frames, n_bins).

    A plane is a run of occupied bins in the first frame (periodic in z); every bin takes the
    label of the nearest occupied bin, so that later counts of the plane include atoms that
    spread away from it. Labels run 0 … n_planes − 1 from the bottom.
    """
    first = np.asarray(counts)[0]
    n_bins = first.size
    occupied = np.flatnonzero(first > 0)
    if occupied.size == 0:
        raise ValueError("the first frame has no atoms in any z bin; check the species and the trajectory")
    run_starts = occupied[np.diff(np.append(occupied[-1] - n_bins, occupied)) > 1]
    if run_starts.size == 0:  # every bin occupied: one plane
        return np.zeros(n_bins, dtype=int)
    run = np.searchsorted(run_starts, occupied, side="right") - 1
    run[run < 0] = run_starts.size - 1  # bins before the first run start belong to the run that wraps
    distance = np.abs(np.arange(n_bins)[:, None] - occupied[None, :])
    distance = np.minimum(distance, n_bins - distance)
    return run[np.argmin(distance, axis=1)]


def counts_per_plane(z_A: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Li per plane (n_frames, n_planes) and plane centres (Å) from a z–time count map.

    ``z_A`` (n_bins,) bin centres and ``counts`` (n_frames, n_bins) from
    ``profiles.number_density_vs_z_time``; planes from ``planes_of_first_frame``; a plane's
    centre is the count-weighted mean z of its bins in the first frame (circular, so a plane
    cut by the cell boundary is centred correctly). Paper 2: 196 Li per plane at t = 0.
    """
    counts = np.asarray(counts)
    labels = planes_of_first_frame(counts)
    n_planes = labels.max() + 1
    per_plane = np.stack([np.bincount(labels, weights=row, minlength=n_planes) for row in counts])
    height = z_A[-1] + z_A[0]  # bins tile [0, height) with centres at (k + 1/2) width
    angle = 2.0 * np.pi * np.asarray(z_A) / height
    weights = counts[0]
    centre = np.array(
        [
            np.arctan2(np.sum((weights * np.sin(angle))[labels == k]), np.sum((weights * np.cos(angle))[labels == k]))
            for k in range(n_planes)
        ]
    )
    return np.mod(centre * height / (2.0 * np.pi), height), per_plane.astype(int)
