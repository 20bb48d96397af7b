"""Lowest-saddle barriers on periodic PMF grids and the named Li–Li site pairs of a layered cell."""

import numpy as np
import pytest
from ase import Atoms
from ase.neighborlist import neighbor_list

from ionflow.analysis.structure.density import layer_site_pairs, site_voxel
from ionflow.analysis.structure.pmf import _in_lattice, map_barrier, path_barrier


def centres(n):
    return (np.arange(n) + 0.5) / n


def test_cosine_landscape_barriers_along_each_axis():
    """W = A cos 2πx + B cos 2πy + C cos 2πz: one minimum at (½, ½, ½); reaching its image one
    cell along x crosses the saddle at x = 1, so ΔG = 2A; along x and y both saddles: max(2A, 2B)."""
    A, B, C, n = 0.1, 0.2, 0.3, 41
    x, y, z = np.meshgrid(centres(n), centres(n), centres(n), indexing="ij")
    W = A * np.cos(2 * np.pi * x) + B * np.cos(2 * np.pi * y) + C * np.cos(2 * np.pi * z)
    minimum = np.array([20, 20, 20])
    expected = {(1, 0, 0): 2 * A, (0, 1, 0): 2 * B, (0, 0, -1): 2 * C, (1, 1, 0): 2 * B, (1, -1, 1): 2 * C}
    for shift, barrier in expected.items():
        # the grid misses the saddle by half a voxel: W is low by at most A (1 − cos(π/n))
        assert path_barrier(W, minimum, minimum + n * np.array(shift)) == pytest.approx(barrier, rel=0.01)
    assert path_barrier(W, minimum, minimum) == 0.0


def test_barrier_between_unequal_minima_counts_from_the_deeper_one():
    """f(x) = A cos 4πx + D sin 2πx has minima −A + D (x = ¼) and −A − D (x = ¾) and both maxima at
    sin 2πx = D/4A with f = A + D²/8A, so from either side ΔG = 2A + D + D²/8A."""
    A, D, B = 0.2, 0.1, 0.3
    x, y = np.meshgrid(centres(82), centres(41), indexing="ij")
    W = A * np.cos(4 * np.pi * x) + D * np.sin(2 * np.pi * x) + B * np.cos(2 * np.pi * y)
    shallow, deep = (20, 20), (61, 20)
    assert W[shallow] == pytest.approx(-A + D - B) and W[deep] == pytest.approx(-A - D - B)
    expected = 2 * A + D + D**2 / (8 * A)
    assert path_barrier(W, shallow, deep) == pytest.approx(expected, rel=0.01)
    assert path_barrier(W, deep, shallow) == pytest.approx(expected, rel=0.01)


def test_unvisited_walls_block_paths_until_a_gap_opens():
    W = np.zeros((30, 30))
    W[5, 15], W[20, 15] = -0.3, -0.2
    W[[10, 25], :] = np.inf  # two walls: the periodic cell splits into two slabs
    start, end, image_along_x, image_along_y = (5, 15), (20, 15), (35, 15), (5, 45)
    assert path_barrier(W, start, end) == np.inf
    assert path_barrier(W, start, image_along_x) == np.inf
    assert path_barrier(W, start, image_along_y) == pytest.approx(0.3)
    W[10, 3] = 0.45
    assert path_barrier(W, start, end) == pytest.approx(0.75)
    assert path_barrier(W, start, image_along_x) == np.inf
    W[25, 7] = 0.6
    assert path_barrier(W, start, image_along_x) == pytest.approx(0.9)


def test_slanted_channel_joins_only_the_diagonal_image():
    """Visited voxels only on the staircase j ∈ {i, i+1}: the channel runs along a + b."""
    n = 12
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    W = np.where((j - i) % n <= 1, 0.0, np.inf)
    assert path_barrier(W, (0, 0), (n, n)) == 0.0
    assert path_barrier(W, (0, 0), (n, 0)) == np.inf
    assert path_barrier(W, (0, 0), (0, -n)) == np.inf
    assert map_barrier(W, axis=0) == 0.0  # the channel crosses the cell along a, slanted


def test_lattice_membership_of_translations():
    assert not _in_lattice([1, 0, 0], [np.array([2, 0, 0])])  # in the span, not in the lattice
    assert _in_lattice([-4, 0, 0], [np.array([2, 0, 0])])
    generators = [np.array([2, 1, 0]), np.array([1, 2, 0]), np.array([0, 0, 1])]  # index-3 sublattice
    assert _in_lattice([3, 3, 5], generators)
    assert not _in_lattice([1, 1, 0], generators)
    assert not _in_lattice([0, 1, 0], [np.array([1, 0, 0])])


def honeycomb_bilayer(a, c, z_jitter=0.0):
    """Two honeycomb layers (c = stacking axis), the upper one shifted so that one site sits
    right above a lower one: in-plane neighbours a/√3 and a, interlayer pair c/2 apart."""
    fractional = np.array(
        [
            [1 / 3, 2 / 3, 1.0 - z_jitter],
            [2 / 3, 1 / 3, z_jitter],
            [0.0, 0.0, 0.5],
            [1 / 3, 2 / 3, 0.5],
        ]
    )
    cell = np.array([[a, 0.0, 0.0], [-a / 2, a * np.sqrt(3) / 2, 0.0], [0.0, 0.0, c]])
    return fractional, cell


def test_layer_pairs_of_a_honeycomb_bilayer():
    fractional, cell = honeycomb_bilayer(6.0, 6.0)
    pairs = layer_site_pairs(fractional, cell)
    assert pairs["edge"][2] == pytest.approx(6.0 / np.sqrt(3))
    assert pairs["intermediate"][2] == pytest.approx(6.0)
    assert pairs["interlayer"][2] == pytest.approx(3.0)  # shorter than the in-plane pairs: layers, not lengths
    for start, end, distance in pairs.values():
        assert np.linalg.norm((end - start) @ cell) == pytest.approx(distance)
        assert np.min(np.abs((start - fractional + 0.5) % 1 - 0.5).sum(axis=1)) < 1e-12
        assert np.min(np.abs((end - fractional + 0.5) % 1 - 0.5).sum(axis=1)) < 1e-12
    assert pairs["interlayer"][1][2] - pairs["interlayer"][0][2] == pytest.approx(0.5)


def test_layer_pairs_match_ase_neighbour_distances():
    """A sheared, jittered bilayer: the edge pair is ASE's shortest Li–Li distance, the
    interlayer pair ASE's shortest pair whose vector has a c component (the layers are flat)."""
    fractional, cell = honeycomb_bilayer(6.2, 9.0, z_jitter=0.003)
    cell[2] = [1.1, 0.7, 9.0]
    atoms = Atoms("Li4", scaled_positions=fractional, cell=cell, pbc=True)
    first, d, D = neighbor_list("idD", atoms, 8.0)
    pairs = layer_site_pairs(fractional, cell, layer_tolerance_A=0.2)
    rises = np.abs(D[:, 2])
    assert pairs["edge"][2] == pytest.approx(d.min())
    assert pairs["interlayer"][2] == pytest.approx(d[rises > 1.0].min())
    assert pairs["intermediate"][2] == pytest.approx(d[(rises < 1.0) & (d > d.min() + 0.5)].min())


def test_site_voxel_takes_the_densest_voxel_within_reach():
    unit_cell = np.array([[8.0, 0.0, 0.0], [-4.0, 6.9, 0.0], [0.0, 0.0, 6.0]])
    density = np.ones((16, 16, 12))
    site = (np.array([4, 4, 5]) + 0.5) / density.shape  # voxels are 0.5 Å long along a
    density[3, 4, 5] = 5.0  # 0.5 Å from the site
    density[7, 4, 5] = 50.0  # 1.5 Å away
    assert site_voxel(density, unit_cell, site, 0.2).tolist() == [4, 4, 5]
    assert site_voxel(density, unit_cell, site, 1.0).tolist() == [3, 4, 5]
    assert site_voxel(density, unit_cell, site, 1.6).tolist() == [7, 4, 5]
    assert site_voxel(density, unit_cell, site + [1, 0, -1], 1.0).tolist() == [19, 4, -7]
