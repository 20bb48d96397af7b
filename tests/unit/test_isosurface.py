"""Isosurfaces of a Gaussian blob in an oblique (hexagonal) cell: radius, volume, periodic clipping."""

import numpy as np
import pytest
from ase import Atoms
from ase.geometry import find_mic

from ionflow.analysis.structure.isosurface import corner_values, isosurface, plot_isosurfaces

CELL = np.array([[10.0, 0.0, 0.0], [-5.0, 5.0 * np.sqrt(3), 0.0], [0.0, 0.0, 9.0]])
SHAPE = (60, 60, 54)
SIGMA, R0 = 1.0, 1.5  # Å: the surface ρ = exp(−R0²/2σ²) is the sphere of radius R0


def gaussian_blob(centre_fractional):
    """ρ = exp(−r²/2σ²) at the voxel centres, r the minimum-image distance (ASE) to the centre."""
    grid = np.stack(np.meshgrid(*[(np.arange(n) + 0.5) / n for n in SHAPE], indexing="ij"), -1)
    vectors = (grid.reshape(-1, 3) - centre_fractional) @ CELL
    distance = find_mic(vectors, CELL, pbc=True)[1]
    return np.exp(-(distance**2) / (2 * SIGMA**2)).reshape(SHAPE)


LEVEL = np.exp(-(R0**2) / (2 * SIGMA**2))


def test_sphere_radius_and_volume_in_a_hexagonal_cell():
    centre = np.array([0.5, 0.5, 0.5]) @ CELL
    vertices, faces = isosurface(gaussian_blob([0.5, 0.5, 0.5]), CELL, LEVEL)
    radii = np.linalg.norm(vertices - centre, axis=1)
    assert radii.mean() == pytest.approx(R0, abs=0.01)
    assert np.abs(radii - R0).max() < 0.01  # O(h²) with h ≈ 0.17 Å voxels: 0.006 Å here
    a, b, c = (vertices[faces[:, k]] - centre for k in range(3))
    volume = np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6.0  # divergence theorem, outward faces
    # inscribed facets and the corner averaging each shrink the sphere by O(h²): ≈ 0.8 % here
    assert volume == pytest.approx(4.0 / 3.0 * np.pi * R0**3, rel=0.015)


def test_blob_on_a_cell_corner_is_clipped_to_the_cell():
    vertices, faces = isosurface(gaussian_blob([0.0, 0.0, 0.0]), CELL, LEVEL)
    fractional = vertices @ np.linalg.inv(CELL)
    assert fractional.min() > -1e-9 and fractional.max() < 1 + 1e-9
    for axis in range(3):  # pieces in all eight corners
        assert (fractional[:, axis] < 0.2).any() and (fractional[:, axis] > 0.8).any()
    radii = find_mic(vertices, CELL, pbc=True)[1]
    assert np.abs(radii - R0).max() < 0.01


def test_corner_values_average_the_eight_voxels_around_each_corner():
    density = np.random.default_rng(3).random((4, 5, 6))
    corners = corner_values(density)
    assert corners.shape == (5, 6, 7)
    assert corners[0, 0, 0] == pytest.approx(density[np.ix_([-1, 0], [-1, 0], [-1, 0])].mean())
    assert corners[2, 3, 1] == pytest.approx(density[1:3, 2:4, 0:2].mean())
    np.testing.assert_array_equal(corners[-1], corners[0])


def test_plot_writes_a_png(tmp_path):
    crystal = Atoms("ZrLi2", scaled_positions=[[0, 0, 0], [0.5, 0.5, 0.5], [0.2, 0.7, 0.5]], cell=CELL, pbc=True)
    path = plot_isosurfaces(gaussian_blob([0.5, 0.5, 0.5]), crystal, tmp_path / "fig9.png", levels_over_mean=(1.0, 5.0))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
