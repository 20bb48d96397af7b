"""Coincident supercells of two surfaces (Zur–McGill), their strain, and symmetry-distinct ones.

The film is strained onto the substrate. For Zur-reduced supercell vectors f1, f2 (film) and
s1, s2 (substrate), paired shortest with shortest:

- length strain of vector k: |s_k| / |f_k| − 1 (strained over unstrained length, a fraction);
  the *max length strain* is the larger of the two magnitudes. It is the quantity pymatgen's
  ZSL ``max_length_tol`` bounds and InterOptimus (paper B's generator) limits.
- angle strain: angle(s1, s2) / angle(f1, f2) − 1 (ZSL ``max_angle_tol``).
- matched area: |s1 × s2| (Å²), the in-plane area of the interface cell.

The search is the Zur–McGill algorithm of pymatgen's ``ZSLGenerator`` (same supercell
enumeration, reduction and comparison, results as ``ZSLMatch``; given a generous area-ratio
tolerance, every pymatgen match is among these), written out because the pymatgen class (i)
pre-selects supercell sizes by an absolute area-ratio tolerance of 0.09 that drops matches a
10 % length strain allows, (ii) compares one reduced basis per supercell, so the same pair of
supercells turned by a lattice symmetry (another orientation relationship) is missed or found
only at a larger area, and (iii) compiles numba kernels on first use (about 20 s per process
here), longer than screening one film/substrate pair.
"""

from __future__ import annotations

from itertools import product

import numpy as np
from pymatgen.analysis.interfaces.zsl import ZSLMatch
from pymatgen.core import Structure
from pymatgen.symmetry.analyzer import SpacegroupAnalyzer


def supercell_matrices(multiple: int) -> list[np.ndarray]:
    """Every 2D sublattice of index ``multiple`` as integer matrices [[i, j], [0, multiple/i]]."""
    return [
        np.array([[i, j], [0, multiple // i]])
        for i in range(1, multiple + 1)
        if multiple % i == 0
        for j in range(multiple // i)
    ]


def zur_reduce(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Zur–McGill reduced basis of the 2D lattice spanned by a, b: |a| ≤ |b|, a·b ≥ 0, and
    |b| ≤ |b ± a| (angle between 60° and 90°). Returns a 2×3 array."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    while True:
        if a @ b < 0:
            b = -b
        elif a @ a > b @ b:
            a, b = b, a
        elif b @ b > (b + a) @ (b + a):
            b = b + a
        elif b @ b > (b - a) @ (b - a):
            b = b - a
        else:
            return np.array([a, b])


def _angles(cells: np.ndarray) -> np.ndarray:
    """Angle (rad) between the two vectors of each cell in an (n, 2, 3) array."""
    cross = np.linalg.norm(np.cross(cells[:, 0], cells[:, 1]), axis=-1)
    return np.arctan2(cross, np.einsum("ij,ij->i", cells[:, 0], cells[:, 1]))


# Automorphisms of a Zur-reduced basis map it onto shortest vectors: entries -1, 0 or 1.
_UNIMODULAR = np.array(
    [m for m in np.reshape(list(product((-1, 0, 1), repeat=4)), (-1, 2, 2)) if abs(round(np.linalg.det(m))) == 1]
)


def lattice_automorphisms(cell: np.ndarray) -> np.ndarray:
    """Integer matrices M (|det| = 1) with M G Mᵀ = G for the Gram matrix G of a reduced 2×3
    cell: the bases of the same lattice with the same lengths and angle (2 for an oblique
    lattice, up to 12 for a hexagonal one). Shape (n, 2, 2)."""
    gram = cell @ cell.T
    images = _UNIMODULAR @ gram @ _UNIMODULAR.transpose(0, 2, 1)
    return _UNIMODULAR[np.all(np.abs(images - gram) <= 1e-6 * np.abs(gram).max(), axis=(1, 2))]


def length_strains(film_cell: np.ndarray, substrate_cell: np.ndarray) -> np.ndarray:
    """|s_k| / |f_k| − 1 for the two vectors of matched cells (2×3 each; fractions, signed)."""
    return np.linalg.norm(substrate_cell, axis=-1) / np.linalg.norm(film_cell, axis=-1) - 1.0


def angle_strain(film_cell: np.ndarray, substrate_cell: np.ndarray) -> float:
    """angle(s1, s2) / angle(f1, f2) − 1 (fraction, signed)."""
    return float(_angles(np.asarray([substrate_cell]))[0] / _angles(np.asarray([film_cell]))[0] - 1.0)


def matched_area_A2(match: ZSLMatch) -> float:
    """In-plane area of the interface cell, |s1 × s2| (Å²)."""
    return float(np.linalg.norm(np.cross(*match.substrate_sl_vectors)))


def find_matches(
    film_vectors: np.ndarray,
    substrate_vectors: np.ndarray,
    max_area_A2: float,
    max_strain: float,
    max_angle_strain: float,
) -> list[ZSLMatch]:
    """Every supercell match with area < ``max_area_A2`` (Å²), max length strain <
    ``max_strain`` and |angle strain| ≤ ``max_angle_strain`` (fractions), smallest area first.

    Each matched pair of reduced cells comes with every pairing of their equivalent bases
    (:func:`lattice_automorphisms`): the same supercells turned against each other by a lattice
    symmetry are further orientation relationships with the same strain and area, which ZSL's
    single reduced basis per cell would only find, if at all, in a larger supercell.

    Supercell sizes (i film cells, j substrate cells) are tried when the area ratio
    j·A_s / (i·A_f) lies within (1 ± ε)²(1 ± δ) for length strain ε and angle strain δ, which
    every allowed match satisfies (on reduced cells, 60°–90°, sin changes by at most 0.61·δ).
    """
    film_vectors, substrate_vectors = np.asarray(film_vectors, float), np.asarray(substrate_vectors, float)
    film_area = np.linalg.norm(np.cross(*film_vectors))
    substrate_area = np.linalg.norm(np.cross(*substrate_vectors))
    low = (1 - max_strain) ** 2 * (1 - max_angle_strain)
    high = (1 + max_strain) ** 2 * (1 + max_angle_strain)
    film_cells: dict[int, tuple[list, np.ndarray]] = {}
    matches = []
    for j in range(1, int(np.ceil(max_area_A2 / substrate_area))):
        substrate_transforms = supercell_matrices(j)
        substrate_reduced = np.array([zur_reduce(*(t @ substrate_vectors)) for t in substrate_transforms])
        ratio = j * substrate_area / film_area
        for i in range(max(1, int(np.floor(ratio / high))), int(np.ceil(ratio / low)) + 1):
            if not low <= ratio / i <= high:
                continue
            if i not in film_cells:
                transforms = supercell_matrices(i)
                film_cells[i] = transforms, np.array([zur_reduce(*(t @ film_vectors)) for t in transforms])
            film_transforms, film_reduced = film_cells[i]
            lengths = (
                np.linalg.norm(substrate_reduced, axis=-1)[None, :, :]
                / np.linalg.norm(film_reduced, axis=-1)[:, None, :]
                - 1.0
            )
            angles = _angles(substrate_reduced)[None, :] / _angles(film_reduced)[:, None] - 1.0
            allowed = (np.abs(lengths).max(axis=-1) < max_strain) & (np.abs(angles) <= max_angle_strain)
            for f, s in zip(*np.nonzero(allowed)):
                matches.extend(
                    ZSLMatch(
                        film_sl_vectors=m_f @ film_reduced[f],
                        substrate_sl_vectors=m_s @ substrate_reduced[s],
                        film_vectors=film_vectors,
                        substrate_vectors=substrate_vectors,
                        film_transformation=film_transforms[f],
                        substrate_transformation=substrate_transforms[s],
                    )
                    for m_f in lattice_automorphisms(film_reduced[f])
                    for m_s in lattice_automorphisms(substrate_reduced[s])
                )
    return sorted(matches, key=matched_area_A2)


def orientation_map(match: ZSLMatch, film_normal: np.ndarray, substrate_normal: np.ndarray) -> np.ndarray:
    """Linear map T (3×3) from the film's frame to the substrate's as the interface is built.

    T f_k = s_k, and T takes the film's outward surface normal to minus the substrate's (the
    film lies face down on the substrate's top face); T is improper when the supercell vectors
    of film and substrate have opposite handedness about their normals. T fixes the orientation
    relationship and the strain; a supercell of the same match has the same T.
    """
    film = np.asarray(match.film_sl_vectors, dtype=float)
    substrate = np.asarray(match.substrate_sl_vectors, dtype=float)
    film_basis = np.column_stack([film[0], film[1], film_normal])
    substrate_basis = np.column_stack([substrate[0], substrate[1], -substrate_normal])
    return substrate_basis @ np.linalg.inv(film_basis)


def surface_stabiliser(structure: Structure, normal: np.ndarray, tol: float = 1e-3) -> list[np.ndarray]:
    """Cartesian point-group operations of ``structure`` that keep the unit ``normal`` fixed."""
    rotations = [op.rotation_matrix for op in SpacegroupAnalyzer(structure).get_point_group_operations(cartesian=True)]
    return [r for r in rotations if np.allclose(r @ normal, normal, atol=tol)]


def distinct_matches(
    matches: list[ZSLMatch],
    film: Structure,
    film_normal: np.ndarray,
    substrate: Structure,
    substrate_normal: np.ndarray,
    tol: float = 1e-3,
) -> list[ZSLMatch]:
    """Matches with distinct orientation relationships, smallest area first.

    Two matches are the same relationship when T2 = g_s T1 g_f⁻¹ for point-group operations
    g_s of the substrate and g_f of the film that keep their surface normals: this removes
    supercells of a smaller match (g = identity) and in-plane rotations or mirrors by a surface
    symmetry (mirror images count as the same interface: same energy and transport).
    """
    film_ops = np.array(surface_stabiliser(film, film_normal))
    substrate_ops = np.array(surface_stabiliser(substrate, substrate_normal))
    kept, orbits = [], np.empty((0, 3, 3))
    for match in sorted(matches, key=matched_area_A2):
        t = orientation_map(match, film_normal, substrate_normal)
        if not np.any(np.all(np.abs(orbits - t) <= tol, axis=(1, 2))):
            kept.append(match)
            orbit = substrate_ops[:, None] @ t @ film_ops.transpose(0, 2, 1)[None, :]
            orbits = np.concatenate([orbits, orbit.reshape(-1, 3, 3)])
    return kept
