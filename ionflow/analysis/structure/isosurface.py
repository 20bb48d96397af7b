"""Isosurfaces of a density on a periodic grid over one cell (Fig. 9, S9): marching-cubes
triangulation in Cartesian Å and a 3D drawing with the cell edges and the cell's atoms."""

from collections.abc import Sequence
from itertools import product
from pathlib import Path

import numpy as np
from ase import Atoms
from ase.data.colors import jmol_colors
from matplotlib import colormaps
from mpl_toolkits.mplot3d.art3d import Poly3DCollection
from skimage.measure import marching_cubes

from ionflow.plotting import figure_style, panel_grid, save_figure

VIEWS = {"tilted view": (15.0, -75.0), "top view (along z)": (90.0, -90.0)}


def corner_values(density: np.ndarray) -> np.ndarray:
    """Density at the voxel corners, fractional (i/n₁, j/n₂, k/n₃) for i = 0…n₁ etc.

    Each corner takes the mean of the eight voxels that share it (periodic), so the grid
    ends exactly on the cell faces and its last layer repeats the first.
    """
    corners = np.asarray(density, dtype=float)
    for axis in range(corners.ndim):
        corners = 0.5 * (corners + np.roll(corners, 1, axis=axis))
    return np.pad(corners, [(0, 1)] * corners.ndim, mode="wrap")


def isosurface(density: np.ndarray, unit_cell: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Triangulated surface ρ = ``level`` of a periodic density grid over one cell, clipped to the cell.

    ``density`` is on voxels along the rows of ``unit_cell`` (3×3, Å), as from
    ``density.folded_density``; ``level`` is in the density's unit. Marching cubes runs on
    ``corner_values`` in fractional coordinates, which maps linearly to Cartesian, so
    vertices stay on the grid edges of the (possibly oblique) cell. Returns vertices
    (m×3, Å) and faces (k×3 vertex indices, outward normals pointing to lower density).
    """
    shape = np.asarray(density.shape)
    vertices, faces, _, _ = marching_cubes(corner_values(density), level, spacing=tuple(1.0 / shape))
    # scikit-image winds the faces towards higher values; a left-handed cell flips them once more
    faces = faces if np.linalg.det(unit_cell) < 0 else faces[:, ::-1]
    return vertices @ np.asarray(unit_cell), faces


def _cell_edges(unit_cell: np.ndarray) -> list[np.ndarray]:
    """The twelve edges of the cell as pairs of Cartesian end points (Å)."""
    edges = []
    for start in product((0, 1), repeat=3):
        for axis in range(3):
            if start[axis] == 0:
                end = np.array(start)
                end[axis] = 1
                edges.append(np.array([start, end]) @ unit_cell)
    return edges


def plot_isosurfaces(
    density: np.ndarray,
    crystal: Atoms,
    path: str | Path,
    levels_over_mean: Sequence[float] = (2.0, 8.0),
    views: dict[str, tuple[float, float]] = VIEWS,
    mobile: str = "Li",
) -> Path:
    """Fig. 9 / S9: isosurfaces of the Li density in the 1×1×1 cell, one panel per view.

    ``crystal`` holds the cell of the density grid (Å) and the atoms drawn as small markers
    (e.g. the relaxed cell: Zr, Cl and the Li sites). Each isosurface is ρ = k·ρ̄ for k in
    ``levels_over_mean`` (ρ̄ = mean density over the cell, Å⁻³), the higher levels drawn
    darker and more opaque inside the lower ones. ``views`` maps panel titles to
    (elevation, azimuth) in degrees; orthographic projection. The atoms of ``mobile`` (the species
    whose density this is) are drawn with smaller markers than the framework's.
    """
    unit_cell = np.asarray(crystal.cell)
    mean = density.mean()
    corners = np.array(list(product((0, 1), repeat=3))) @ unit_cell
    surfaces = [isosurface(density, unit_cell, k * mean) for k in levels_over_mean]
    positions = crystal.get_scaled_positions() @ unit_cell
    shades = np.argsort(np.argsort(levels_over_mean)) / max(len(levels_over_mean) - 1, 1)
    colours, opacities = colormaps["Blues"](0.35 + 0.55 * shades), 0.35 + 0.55 * shades
    with figure_style():
        fig, axes = panel_grid(1, len(views), subplot_kw={"projection": "3d"})
        for ax, (title, (elevation, azimuth)) in zip(axes[0], views.items()):
            for (vertices, faces), k, colour, alpha in zip(surfaces, levels_over_mean, colours, opacities):
                ax.add_collection3d(
                    Poly3DCollection(
                        vertices[faces], facecolors=colour, linewidth=0, alpha=alpha, shade=True, label=f"ρ = {k:g} ρ̄"
                    )
                )
            for edge in _cell_edges(unit_cell):
                ax.plot(*edge.T, color="0.3", linewidth=0.6)
            for symbol in dict.fromkeys(crystal.get_chemical_symbols()):
                chosen = crystal.symbols == symbol
                colour = jmol_colors[crystal.numbers[chosen][0]]
                ax.scatter(
                    *positions[chosen].T,
                    s=5 if symbol == mobile else 12,
                    color=colour,
                    edgecolor="0.2",
                    linewidth=0.3,
                    depthshade=False,
                    label=symbol,
                )
            ax.set_proj_type("ortho")
            ax.view_init(elev=elevation, azim=azimuth)
            ax.set_xlim(corners[:, 0].min(), corners[:, 0].max())
            ax.set_ylim(corners[:, 1].min(), corners[:, 1].max())
            ax.set_zlim(corners[:, 2].min(), corners[:, 2].max())
            ax.set_box_aspect(np.ptp(corners, axis=0), zoom=1.05)
            ax.set_axis_off()
            ax.set_title(title, y=1.04)
        fig.subplots_adjust(left=0.0, right=1.0, bottom=0.12, top=0.9, wspace=0.0)
        handles, labels = axes[0, 0].get_legend_handles_labels()
        fig.legend(
            handles, labels, loc="lower center", ncol=len(labels), title=f"Li density, ρ̄ = {mean:.3g} Å$^{{-3}}$"
        )
        return save_figure(fig, path)
