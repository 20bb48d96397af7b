"""Anion neighbours of a centre species (Li) within a cutoff, over periodic images.

Pairs come from a k-d tree (``scipy.spatial.cKDTree``) of the neighbour atoms padded with
their periodic images (``ionflow.trajectory.frames.periodic_images``), so any cell shape and
any cutoff work without an all-pairs list.
"""

from collections.abc import Sequence

import numpy as np
from ase import Atoms
from scipy.spatial import cKDTree

from ionflow.trajectory.frames import periodic_images


def _check_species(center: str, neighbours: Sequence[str]) -> None:
    if center in neighbours:
        raise ValueError(
            f"centre species {center!r} is also among the neighbours {tuple(neighbours)}; "
            "pass neighbour species other than the centre"
        )


def neighbour_counts(
    atoms: Atoms, centers: np.ndarray, center: str, neighbours: Sequence[str], cutoff_A: float
) -> np.ndarray:
    """Coordination numbers: for each atom of ``centers`` (indices of species ``center``), the
    number of atoms of each species in ``neighbours`` within ``cutoff_A`` (Å).

    Returns an int array (n_centers, len(neighbours)); a species absent from the frame counts 0.
    """
    _check_species(center, neighbours)
    cell = np.asarray(atoms.cell)
    symbols = np.asarray(atoms.get_chemical_symbols())
    wrapped, _, _ = periodic_images(atoms.positions[centers], cell, 0.0)
    counts = np.zeros((len(centers), len(neighbours)), dtype=int)
    for column, species in enumerate(neighbours):
        members = np.flatnonzero(symbols == species)
        if members.size:
            _, padded, _ = periodic_images(atoms.positions[members], cell, cutoff_A)
            counts[:, column] = cKDTree(padded).query_ball_point(wrapped, cutoff_A, return_length=True)
    return counts


def coordination_polyhedra(
    atoms: Atoms, centers: np.ndarray, center: str, neighbours: Sequence[str], cutoff_A: float
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Centre positions and the vertices of their coordination polyhedra.

    For each atom of ``centers`` (indices of species ``center``): its position wrapped into
    the cell (Å) and the Cartesian positions (Å, the periodic images next to that wrapped
    centre) of every atom of the ``neighbours`` species within ``cutoff_A``, sorted by distance.

    Returns the wrapped centres (n_centers, 3) and a list of (CN_i, 3) vertex arrays.
    """
    _check_species(center, neighbours)
    cell = np.asarray(atoms.cell)
    members = np.flatnonzero(np.isin(atoms.get_chemical_symbols(), list(neighbours)))
    wrapped, _, _ = periodic_images(atoms.positions[centers], cell, 0.0)
    if members.size == 0:
        return wrapped, [np.empty((0, 3)) for _ in centers]
    _, padded, _ = periodic_images(atoms.positions[members], cell, cutoff_A)
    vertices = []
    for position, found in zip(wrapped, cKDTree(padded).query_ball_point(wrapped, cutoff_A)):
        points = padded[found]
        vertices.append(points[np.argsort(np.linalg.norm(points - position, axis=1))])
    return wrapped, vertices
