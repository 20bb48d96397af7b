"""Streaming helpers shared by the trajectory analyses: species selection and unwrapping.

Frames are ``ase.Atoms`` (as yielded by ``ionflow.trajectory.iter_frames``); cells are
3×3 row-vector matrices in Å.
"""

from collections.abc import Iterable, Iterator

import numpy as np
from ase import Atoms


def species_indices(atoms: Atoms, species: str) -> np.ndarray:
    """Indices of the atoms of chemical symbol ``species``; error if there are none."""
    indices = np.flatnonzero(np.asarray(atoms.get_chemical_symbols()) == species)
    if indices.size == 0:
        raise ValueError(f"no atoms of species {species!r} in the frame; pass a symbol present in it")
    return indices


def minimum_image(vectors: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """Shortest periodic images of ``vectors`` (…, 3) in Å for a (triclinic) ``cell``.

    Rounding fractional components is exact for vectors shorter than half the smallest
    perpendicular cell width, the only case the callers need.
    """
    fractional = vectors @ np.linalg.inv(cell)
    fractional -= np.round(fractional)
    return fractional @ cell


def unwrapped_positions(frames: Iterable[Atoms], species: str) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(positions, cell)`` of ``species`` with periodic jumps removed, frame by frame.

    Each step between consecutive frames is taken as its minimum image, so wrapped and
    already-unwrapped input give the same result as long as no atom moves more than half
    a cell width between two frames (true for any MD frame spacing in Å-sized cells).
    """
    previous_wrapped = unwrapped = indices = None
    for atoms in frames:
        if indices is None:
            indices = species_indices(atoms, species)
        wrapped = atoms.positions[indices]
        cell = np.asarray(atoms.cell)
        if unwrapped is None:
            unwrapped = wrapped.copy()
        else:
            unwrapped = unwrapped + minimum_image(wrapped - previous_wrapped, cell)
        previous_wrapped = wrapped
        yield unwrapped, cell


def periodic_images(positions: np.ndarray, cell: np.ndarray, r_max: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Wrap ``positions`` (Å) into ``cell`` and add every periodic image within ``r_max`` (Å).

    Returns the wrapped positions (N, 3), the padded set (wrapped positions plus images
    whose fractional coordinates lie within r_max / perpendicular width outside the cell)
    and, for each padded point, the index of its original atom. A k-d tree of the padded
    set then finds every pair closer than r_max in a triclinic cell with plain Euclidean
    distances, without building an all-pairs list.
    """
    cell = np.asarray(cell, dtype=float)
    fractional = np.mod(positions @ np.linalg.inv(cell), 1.0)
    face_areas = np.linalg.norm(np.cross(cell[[1, 2, 0]], cell[[2, 0, 1]]), axis=1)
    pad = r_max * face_areas / abs(np.linalg.det(cell))
    reach = np.ceil(pad).astype(int)
    shifts = np.stack(np.meshgrid(*[np.arange(-n, n + 1) for n in reach], indexing="ij"), axis=-1).reshape(-1, 3)
    images = fractional[None, :, :] + shifts[:, None, :]
    keep = np.all((images >= -pad) & (images < 1.0 + pad), axis=2)
    return fractional @ cell, images[keep] @ cell, np.nonzero(keep)[1]


class FirstAndLast:
    """Pass ``frames`` through once, keeping the first and the last (``first``, ``last``), so that
    an analysis and the side views of its run share one read of the trajectory."""

    def __init__(self, frames: Iterable[Atoms]):
        self._frames = frames
        self.first: Atoms | None = None
        self.last: Atoms | None = None

    def __iter__(self) -> Iterator[Atoms]:
        for atoms in self._frames:
            if self.first is None:
                self.first = atoms
            self.last = atoms
            yield atoms
