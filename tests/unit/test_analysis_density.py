"""Folded Li density: peaks at known fractional sites, normalisation, cube round trip."""

import numpy as np
import pytest
from ase import Atoms
from ase.io.cube import read_cube_data

from ionflow.analysis.structure.density import density_maxima, folded_density, supercell_sites, write_density_cube

UNIT_CELL = np.array([[6.0, 0.0, 0.0], [-3.0, 5.2, 0.0], [0.5, 0.3, 4.0]])
REPLICATION = (2, 3, 2)
SITES = np.array([[4.5 / 16, 4.5 / 16, 2.5 / 8], [9.5 / 16, 8.5 / 16, 0.5 / 8]])  # voxel centres of a 16×16×8 grid


def frames_at_sites(n_frames, sigma, seed=0):
    rng = np.random.default_rng(seed)
    supercell = UNIT_CELL * np.array(REPLICATION)[:, None]
    sites = supercell_sites(SITES, supercell, REPLICATION)
    for _ in range(n_frames):
        positions = sites + rng.normal(0.0, sigma, sites.shape)
        yield Atoms(
            ["Li"] * len(sites) + ["Zr"], positions=np.vstack([positions, [1.0, 1.0, 1.0]]), cell=supercell, pbc=True
        )


def test_density_peaks_at_known_sites_and_counts_atoms_per_cell():
    density, unit_cell = folded_density(frames_at_sites(20, 0.1), REPLICATION, (16, 16, 8))
    np.testing.assert_allclose(unit_cell, UNIT_CELL, atol=1e-12)
    voxel_volume = abs(np.linalg.det(UNIT_CELL)) / density.size
    assert density.sum() * voxel_volume == pytest.approx(len(SITES), rel=1e-12)
    peaks = density_maxima(density, min_density=0.1 * density.max())
    assert sorted(map(tuple, np.round(peaks, 9))) == sorted(map(tuple, np.round(SITES, 9)))


def test_smoothing_keeps_the_number_of_atoms():
    density, _ = folded_density(frames_at_sites(3, 0.1), REPLICATION, (16, 16, 8), smoothing_angstrom=0.3)
    voxel_volume = abs(np.linalg.det(UNIT_CELL)) / density.size
    assert density.sum() * voxel_volume == pytest.approx(len(SITES), rel=1e-9)


def test_supercell_sites_replicate_unit_cell_sites():
    supercell = UNIT_CELL * np.array(REPLICATION)[:, None]
    sites = supercell_sites(SITES, supercell, REPLICATION)
    assert sites.shape == (len(SITES) * 12, 3)
    expected = (SITES[1] + [1, 2, 1]) @ UNIT_CELL
    assert np.min(np.linalg.norm(sites - expected, axis=1)) < 1e-12


def test_cube_file_round_trip(tmp_path):
    density, unit_cell = folded_density(frames_at_sites(2, 0.2), REPLICATION, (16, 16, 8))
    crystal = Atoms("Li2", scaled_positions=SITES, cell=unit_cell, pbc=True)
    path = write_density_cube(tmp_path / "li.cube", density, crystal)
    data, atoms = read_cube_data(str(path))
    np.testing.assert_allclose(data, density, rtol=1e-5, atol=1e-12)
    np.testing.assert_allclose(atoms.cell, unit_cell, atol=1e-5)
    np.testing.assert_allclose(atoms.positions, crystal.positions, atol=1e-5)
