"""Li spatial distribution function folded into the 1×1×1 cell (Fig. 9, S9): streaming
accumulation on a fractional grid, Gaussian cube output, density maxima and projections."""

from collections.abc import Iterable, Sequence
from pathlib import Path

import ase.io
import numpy as np
from ase import Atoms
from matplotlib.colors import LogNorm
from scipy.ndimage import gaussian_filter, maximum_filter

from ionflow.analysis.figures import figure_style, panel_grid, save_figure
from ionflow.analysis.frames import species_indices

AXIS_NAMES = "xyz"


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
    replication = np.asarray(replication, dtype=int)
    grid_shape = np.asarray(grid_shape, dtype=int)
    counts = np.zeros(int(np.prod(grid_shape)))
    cell_sum = np.zeros((3, 3))
    n_frames = 0
    indices = None
    for atoms in frames:
        if indices is None:
            indices = species_indices(atoms, species)
        cell = np.asarray(atoms.cell)
        fractional = atoms.positions[indices] @ np.linalg.inv(cell)
        voxel = np.floor(np.mod(fractional * replication, 1.0) * grid_shape).astype(int)
        voxel = np.minimum(voxel, grid_shape - 1)
        counts += np.bincount(np.ravel_multi_index(voxel.T, grid_shape), minlength=counts.size)
        cell_sum += cell
        n_frames += 1
    if n_frames == 0:
        raise ValueError("folded_density got no frames; check the trajectory path and frame selection")
    unit_cell = cell_sum / n_frames / replication[:, None]
    voxel_volume = abs(np.linalg.det(unit_cell)) / grid_shape.prod()
    density = counts.reshape(grid_shape) / (n_frames * replication.prod() * voxel_volume)
    if smoothing_angstrom > 0:
        voxel_lengths = np.linalg.norm(unit_cell, axis=1) / grid_shape
        density = gaussian_filter(density, smoothing_angstrom / voxel_lengths, mode="wrap")
    return density, unit_cell


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


def plane_mesh(unit_cell: np.ndarray, in_plane: tuple[int, int], shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Cartesian corner coordinates (Å) of a fractional grid spanned by two cell vectors,
    projected on the Cartesian axes of the same indices (e.g. a, c → x, z), for pcolormesh."""
    p, q = in_plane
    u = np.linspace(0.0, 1.0, shape[0] + 1)[:, None, None]
    v = np.linspace(0.0, 1.0, shape[1] + 1)[None, :, None]
    corners = u * unit_cell[p] + v * unit_cell[q]
    return corners[..., p], corners[..., q]


def plot_density_projections(
    density: np.ndarray, unit_cell: np.ndarray, path: str | Path, n_levels: int = 4
) -> Path:
    """Fig. 9: top (xy) and side (xz) views of the Li density as maximum projections.

    Colour: maximum density along the viewing cell vector, logarithmic (Å⁻³). Contour
    lines mark ``n_levels`` isodensity levels spaced logarithmically between 1 % and 50 %
    of the maximum, as the nested isosurfaces of the paper's figure do.
    """
    peak = density.max()
    levels = np.geomspace(0.01 * peak, 0.5 * peak, n_levels)
    norm = LogNorm(vmin=1e-3 * peak, vmax=peak)
    with figure_style():
        fig, axes = panel_grid(1, 2)
        for ax, (p, q), collapsed in zip(axes[0], [(0, 1), (0, 2)], [2, 1]):
            projection = np.maximum(density.max(axis=collapsed), 1e-3 * peak)
            x, y = plane_mesh(unit_cell, (p, q), projection.shape)
            mesh = ax.pcolormesh(x, y, projection, norm=norm, cmap="Blues", shading="flat")
            centres_x = 0.25 * (x[:-1, :-1] + x[1:, :-1] + x[:-1, 1:] + x[1:, 1:])
            centres_y = 0.25 * (y[:-1, :-1] + y[1:, :-1] + y[:-1, 1:] + y[1:, 1:])
            ax.contour(centres_x, centres_y, projection, levels=levels, colors="k", linewidths=0.5)
            ax.set_aspect("equal")
            ax.set_xlabel(f"{AXIS_NAMES[p]} (Å)")
            ax.set_ylabel(f"{AXIS_NAMES[q]} (Å)")
            ax.set_title("top view" if collapsed == 2 else "side view")
        fig.subplots_adjust(wspace=0.35)
        fig.colorbar(mesh, ax=axes[0].tolist(), label="Li density, max. projection (Å$^{-3}$)", shrink=0.7)
        return save_figure(fig, path)
