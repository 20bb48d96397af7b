"""Li spatial distribution function folded into the 1×1×1 cell (Fig. 9, S9): streaming
accumulation on a fractional grid, Gaussian cube output, density maxima and the Li sites
and site pairs of the unit cell."""

from collections.abc import Iterable, Sequence
from pathlib import Path

import ase.io
import numpy as np
from ase import Atoms
from scipy.ndimage import gaussian_filter, maximum_filter

from ionflow.trajectory.frames import species_indices

AXIS_NAMES = "xyz"


class FoldedDensity:
    """Running frame average of :func:`folded_density`: ``add`` one frame at a time, ``result``
    at any point. Lets one pass over a trajectory feed the density of the whole run and of each
    of its blocks."""

    def __init__(self, replication: Sequence[int], grid_shape: Sequence[int], species: str = "Li"):
        self.replication = np.asarray(replication, dtype=int)
        self.grid_shape = np.asarray(grid_shape, dtype=int)
        self.species = species
        self.counts = np.zeros(int(np.prod(self.grid_shape)))
        self.cell_sum = np.zeros((3, 3))
        self.n_frames = 0
        self.indices = None

    def add(self, atoms: Atoms) -> None:
        if self.indices is None:
            self.indices = species_indices(atoms, self.species)
        cell = np.asarray(atoms.cell)
        fractional = atoms.positions[self.indices] @ np.linalg.inv(cell)
        voxel = np.floor(np.mod(fractional * self.replication, 1.0) * self.grid_shape).astype(int)
        voxel = np.minimum(voxel, self.grid_shape - 1)
        self.counts += np.bincount(np.ravel_multi_index(voxel.T, self.grid_shape), minlength=self.counts.size)
        self.cell_sum += cell
        self.n_frames += 1

    def result(self, smoothing_angstrom: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """The density grid (Å⁻³) and the mean unit cell (3×3, Å) of the frames added so far."""
        if self.n_frames == 0:
            raise ValueError("folded_density got no frames; check the trajectory path and frame selection")
        unit_cell = self.cell_sum / self.n_frames / self.replication[:, None]
        voxel_volume = abs(np.linalg.det(unit_cell)) / self.grid_shape.prod()
        density = self.counts.reshape(self.grid_shape) / (self.n_frames * self.replication.prod() * voxel_volume)
        if smoothing_angstrom > 0:
            voxel_lengths = np.linalg.norm(unit_cell, axis=1) / self.grid_shape
            density = gaussian_filter(density, smoothing_angstrom / voxel_lengths, mode="wrap")
        return density, unit_cell


def folded_density(
    frames: Iterable[Atoms],
    replication: Sequence[int],
    grid_shape: Sequence[int],
    species: str = "Li",
    smoothing_angstrom: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Time-averaged number density of ``species`` folded into the 1×1×1 cell, in Å⁻³.

    Supercell fractional coordinates s (per frame, so NPT cells work) are mapped to the unit
    cell by u = (s · replication) mod 1 and binned on ``grid_shape`` voxels along the unit
    cell vectors. Voxel (i, j, k) covers u ∈ [i, i+1)/n₁ × …, its centre is (i + ½)/n₁, ….
    Density = counts / (n_frames · n_replicas · voxel volume), so the density summed over
    the grid times the voxel volume is the mean number of ``species`` atoms per unit cell.
    ``smoothing_angstrom`` > 0 applies a periodic Gaussian filter of that σ (Å, along each
    cell vector) after averaging.

    Returns the density grid and the unit cell (3×3, Å, rows = vectors, mean over frames).
    """
    accumulator = FoldedDensity(replication, grid_shape, species)
    for atoms in frames:
        accumulator.add(atoms)
    return accumulator.result(smoothing_angstrom)


def write_density_cube(path: str | Path, density: np.ndarray, unit_cell_atoms: Atoms) -> Path:
    """Write ``density`` (Å⁻³, as from ``folded_density``) as a Gaussian cube file.

    ``unit_cell_atoms`` is the 1×1×1 crystal drawn with the density (its cell must be the
    grid's cell). The origin is shifted by half a voxel so that cube grid points sit at the
    voxel centres. Values are written as they are, in Å⁻³ (the cube format does not
    convert data; VESTA and OVITO show them as given).
    """
    path = Path(path)
    shape = np.asarray(density.shape)
    origin = 0.5 * (np.asarray(unit_cell_atoms.cell) / shape[:, None]).sum(axis=0)
    ase.io.write(path, unit_cell_atoms, format="cube", data=density, origin=origin)
    return path


def density_maxima(density: np.ndarray, min_density: float) -> np.ndarray:
    """Fractional unit-cell coordinates (voxel centres) of the periodic local maxima of
    ``density`` above ``min_density`` (Å⁻³): candidate Li sites for ``residence``."""
    is_peak = (density == maximum_filter(density, size=3, mode="wrap")) & (density > min_density)
    return (np.argwhere(is_peak) + 0.5) / np.asarray(density.shape)


def supercell_sites(fractional_unit: np.ndarray, supercell: np.ndarray, replication: Sequence[int]) -> np.ndarray:
    """Cartesian positions (Å) in ``supercell`` of unit-cell fractional sites, replicated."""
    replication = np.asarray(replication, dtype=int)
    shifts = np.stack(np.meshgrid(*[np.arange(n) for n in replication], indexing="ij"), -1).reshape(-1, 3)
    fractional = (np.asarray(fractional_unit)[None, :, :] + shifts[:, None, :]) / replication
    return fractional.reshape(-1, 3) @ np.asarray(supercell)


def layer_site_pairs(
    fractional: np.ndarray, cell: np.ndarray, layer_tolerance_A: float = 0.5, shell_gap_A: float = 0.5
) -> dict[str, tuple[np.ndarray, np.ndarray, float]]:
    """Site pairs of a layered crystal stacked along c, named like the PMF paths of Fig. 11.

    ``fractional`` are the sites (e.g. Li of the relaxed unit cell, n×3), ``cell`` the cell
    (3×3, Å, rows a, b, c). A site's height is its distance (Å) along the normal to the a–b
    plane; sites whose heights agree within ``layer_tolerance_A`` (periodically along c)
    form a layer. Pairs up to two cells apart are considered:

    - "edge": the shortest pair within a layer (in-plane nearest neighbours);
    - "intermediate": the shortest pair within a layer longer than the edge pair by more
      than ``shell_gap_A`` (in-plane second neighbours);
    - "interlayer": the shortest pair between a layer and the next layer up along c.

    Returns {name: (start, end, distance_A)}: the pair's fractional coordinates, start as
    given, end unwrapped (it may lie in a neighbouring cell), and its length in Å; among
    equally long pairs (within 1e-6 Å) the first start site wins.
    """
    fractional, cell = np.asarray(fractional, dtype=float), np.asarray(cell, dtype=float)
    normal = np.cross(cell[0], cell[1])
    normal /= np.linalg.norm(normal)
    shifts = np.stack(np.meshgrid(*[np.arange(-2, 3)] * 3, indexing="ij"), -1).reshape(-1, 3)
    start = np.repeat(np.arange(len(fractional)), len(fractional) * len(shifts))
    end_fractional = (fractional[:, None, :] + shifts[None, :, :]).reshape(-1, 3)
    end_fractional = np.tile(end_fractional, (len(fractional), 1))
    separation = (end_fractional - fractional[start]) @ cell
    distance = np.linalg.norm(separation, axis=1)
    rise = separation @ normal
    distinct = distance > 1e-6
    in_layer = distinct & (np.abs(rise) <= layer_tolerance_A)
    upward = rise > layer_tolerance_A
    if not in_layer.any() or not upward.any():
        raise ValueError(
            f"sites do not form layers along c with layer_tolerance_A = {layer_tolerance_A} Å; "
            "check that c is the stacking axis of the cell"
        )
    edge = distance[in_layer].min()
    candidates = {
        "edge": in_layer,
        "intermediate": in_layer & (distance > edge + shell_gap_A),
        "interlayer": upward & (rise <= rise[upward].min() + layer_tolerance_A),
    }
    order = np.lexsort((start, np.round(distance, 6)))
    pairs = {}
    for name, chosen in candidates.items():
        if not chosen.any():
            raise ValueError(f"no {name} site pair within two cells; lower shell_gap_A ({shell_gap_A} Å)")
        best = order[chosen[order]][0]
        pairs[name] = (fractional[start[best]], end_fractional[best], float(distance[best]))
    return pairs


def site_voxel(density: np.ndarray, unit_cell: np.ndarray, fractional: np.ndarray, radius_A: float) -> np.ndarray:
    """Unwrapped index of the densest voxel whose centre lies within ``radius_A`` (Å) of a site.

    ``fractional`` may lie outside the cell; the index then points into the same
    neighbouring cell (as ``pmf.path_barrier`` expects). Snapping to the densest voxel
    nearby lets an ideal site of the relaxed cell stand for the thermal density peak that
    sits near it; when no voxel centre is that close, the voxel holding the site is used.
    """
    shape = np.asarray(density.shape)
    reach = 1 + np.ceil(radius_A * np.linalg.norm(np.linalg.inv(unit_cell), axis=0) * shape).astype(int)
    home = np.floor(np.asarray(fractional) * shape).astype(int)
    offsets = np.stack(np.meshgrid(*[np.arange(-r, r + 1) for r in reach], indexing="ij"), -1).reshape(-1, 3)
    candidates = home + offsets
    distance = np.linalg.norm(((candidates + 0.5) / shape - fractional) @ unit_cell, axis=1)
    candidates = candidates[distance <= radius_A] if (distance <= radius_A).any() else home[None, :]
    return candidates[np.argmax(density[tuple((candidates % shape).T)])]


def plane_mesh(
    unit_cell: np.ndarray, in_plane: tuple[int, int], shape: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Cartesian corner coordinates (Å) of a fractional grid spanned by two cell vectors,
    projected on the Cartesian axes of the same indices (e.g. a, c → x, z), for pcolormesh."""
    p, q = in_plane
    u = np.linspace(0.0, 1.0, shape[0] + 1)[:, None, None]
    v = np.linspace(0.0, 1.0, shape[1] + 1)[None, :, None]
    corners = u * unit_cell[p] + v * unit_cell[q]
    return corners[..., p], corners[..., q]
