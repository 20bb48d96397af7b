"""Profiles along the interface normal: Li coordination numbers vs z (Figs. 3c, 4a-b, S10a)
and Li counts vs z and time (Figs. 3d, S8, S10b, S12)."""

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
from ase import Atoms

from ionflow.analysis.interface.neighbours import neighbour_counts
from ionflow.analysis.interface.slab import slab_height, z_bin_centres, z_bin_count, z_bin_index
from ionflow.trajectory.frames import species_indices


class CoordinationProfile(NamedTuple):
    """Coordination of the centre species per z bin, averaged over frames.

    z_A: (n_bins,) bin centres (Å) over the mean z period.
    cn: {neighbour species: (n_bins,) mean coordination number}; NaN where no centre atom was seen.
    centers_per_bin: (n_bins,) mean number of centre atoms per bin and frame.
    total_cn_counts: (n_bins, max CN + 1) number of (centre atom, frame) samples with each
        total coordination number (all neighbour species together).
    """

    z_A: np.ndarray
    cn: dict[str, np.ndarray]
    centers_per_bin: np.ndarray
    total_cn_counts: np.ndarray


def coordination_vs_z(
    frames: Iterable[Atoms],
    center: str = "Li",
    neighbours: Sequence[str] = ("O", "Cl"),
    cutoff_A: float = 3.5,
    bin_A: float = 0.5,
) -> CoordinationProfile:
    """Mean Li–O and Li–Cl coordination numbers per z bin of the Li position, over ``frames``.

    A neighbour counts when it lies within ``cutoff_A`` (Å; 3.5 Å from the bulk Li–Cl RDF
    in paper 2) of the centre atom. Bins are about ``bin_A`` (Å) wide, set by the first
    frame (see ``slab``). Paper 2 averages the last 1 ns at 400 K: pass those frames.
    """
    n_bins = None
    for atoms in frames:
        height = slab_height(np.asarray(atoms.cell))
        if n_bins is None:
            n_bins = z_bin_count(height, bin_A)
            centers = species_indices(atoms, center)
            cn_sum = np.zeros((n_bins, len(neighbours)))
            samples = np.zeros(n_bins)
            total_counts = np.zeros((n_bins, 1), dtype=int)
            height_sum, n_frames = 0.0, 0
        bins = z_bin_index(atoms.positions[centers, 2], height, n_bins)
        counts = neighbour_counts(atoms, centers, center, neighbours, cutoff_A)
        for column in range(len(neighbours)):
            cn_sum[:, column] += np.bincount(bins, weights=counts[:, column], minlength=n_bins)
        samples += np.bincount(bins, minlength=n_bins)
        total = counts.sum(axis=1)
        if total.max() >= total_counts.shape[1]:
            total_counts = np.pad(total_counts, ((0, 0), (0, total.max() + 1 - total_counts.shape[1])))
        np.add.at(total_counts, (bins, total), 1)
        height_sum += height
        n_frames += 1
    if n_bins is None:
        raise ValueError("coordination_vs_z got no frames; check the trajectory path and frame selection")
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_cn = cn_sum / samples[:, None]
    return CoordinationProfile(
        z_A=z_bin_centres(height_sum / n_frames, n_bins),
        cn={species: mean_cn[:, column] for column, species in enumerate(neighbours)},
        centers_per_bin=samples / n_frames,
        total_cn_counts=total_counts,
    )


def number_density_vs_z_time(
    frames: Iterable[Atoms], species: str = "Li", bin_A: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Number of ``species`` atoms per z bin in every frame (the z–time map of Fig. 3d).

    Bins are about ``bin_A`` (Å) wide, set by the first frame (see ``slab``). Counts are
    atoms per bin, not densities: divide by (xy cell area × bin width) for atoms/Å³. With
    bins narrower than the spacing of Li planes, the counts of one plane summed over its
    bins give the Li per plane (196 for interface 1 at t = 0 in paper 2).

    Returns the bin centres (Å, mean z period) and counts (n_frames, n_bins), one row per frame.
    """
    rows, height_sum, n_bins = [], 0.0, None
    for atoms in frames:
        height = slab_height(np.asarray(atoms.cell))
        if n_bins is None:
            n_bins = z_bin_count(height, bin_A)
            members = species_indices(atoms, species)
        rows.append(np.bincount(z_bin_index(atoms.positions[members, 2], height, n_bins), minlength=n_bins))
        height_sum += height
    if n_bins is None:
        raise ValueError("number_density_vs_z_time got no frames; check the trajectory path and frame selection")
    return z_bin_centres(height_sum / len(rows), n_bins), np.array(rows)
