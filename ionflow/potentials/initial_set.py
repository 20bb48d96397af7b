"""Study B's initial training set: strained copies, SOAP → PCA → clusters → representatives.

Paper B seeds its active learning with strain-perturbed structures and foundation-model MD
frames of bulk ZrO2, bulk Li2ZrCl6 and interfaces, maps them with SOAP (DScribe) into a 2D
PCA latent space, clusters that space and labels representatives with DFT.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from ase import Atoms
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler


def strained_copies(atoms: Atoms, strains: Sequence[float], copies: int, seed: int) -> list[Atoms]:
    """``copies`` random homogeneous strains per magnitude in ``strains`` (fraction, e.g. 0.03).

    Each strain is a random symmetric tensor scaled so its largest absolute component equals
    the magnitude; the cell and the atoms are deformed by (1 + ε).
    """
    rng = np.random.default_rng(seed)
    frames = []
    for magnitude in strains:
        for _ in range(copies):
            e = rng.uniform(-1, 1, (3, 3))
            e = (e + e.T) / 2
            e *= magnitude / np.abs(e).max()
            strained = atoms.copy()
            strained.set_cell(atoms.cell.array @ (np.eye(3) + e), scale_atoms=True)
            strained.info.update(atoms.info, strain=float(magnitude))
            frames.append(strained)
    return frames


def soap_features(
    frames: Sequence[Atoms], species: Sequence[str], r_cut_A: float, n_max: int, l_max: int, sigma_A: float
) -> np.ndarray:
    """Structure-averaged SOAP vectors (DScribe, ``average='inner'``, periodic): frames × features."""
    from dscribe.descriptors import SOAP

    soap = SOAP(
        species=list(species), r_cut=r_cut_A, n_max=n_max, l_max=l_max, sigma=sigma_A, periodic=True, average="inner"
    )
    return np.asarray(soap.create(list(frames)), dtype=float).reshape(len(frames), -1)


def latent_map(features: np.ndarray, seed: int) -> np.ndarray:
    """2D PCA coordinates of standardised ``features`` (frames × 2)."""
    scaled = StandardScaler().fit_transform(features)
    return PCA(n_components=2, random_state=seed).fit_transform(scaled)


def cluster_representatives(coordinates: np.ndarray, n_clusters: int, seed: int) -> tuple[np.ndarray, list[int]]:
    """(cluster label per frame, one representative per cluster) by k-means in the latent map.

    The representative is the member nearest to its cluster centre.
    """
    n_clusters = min(n_clusters, len(coordinates))
    kmeans = KMeans(n_clusters=n_clusters, n_init=10, random_state=seed).fit(coordinates)
    representatives = []
    for k, centre in enumerate(kmeans.cluster_centers_):
        members = np.flatnonzero(kmeans.labels_ == k)
        distance = np.linalg.norm(coordinates[members] - centre, axis=1)
        representatives.append(int(members[np.argmin(distance)]))
    return kmeans.labels_, sorted(representatives)


def target_test_frames(
    frames: Sequence[Atoms], chosen: Sequence[int], temperature_K: Sequence[float], n: int, seed: int
) -> list[int]:
    """Indices of at most ``n`` frames, drawn at random, that stand for where production MD goes:
    foundation-model MD frames (``info["origin"] == "foundation_md"``) at a set temperature within
    ``temperature_K`` (low, high; K) and not among ``chosen`` (the training representatives)."""
    low, high = temperature_K
    taken = set(chosen)
    eligible = [
        i
        for i, frame in enumerate(frames)
        if i not in taken
        and frame.info.get("origin") == "foundation_md"
        and low <= float(frame.info.get("temperature_K", -1)) <= high
    ]
    rng = np.random.default_rng(seed)
    return sorted(int(i) for i in rng.choice(eligible, size=min(n, len(eligible)), replace=False))
