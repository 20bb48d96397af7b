"""Fig. S13 reference paths: octahedral CSM against a closed form and ChemEnv, volumes against geometry."""

import numpy as np
import pytest
from ase.build import bulk

from ionflow.analysis.interface.csm_reference import (
    csm_elongation,
    csm_random_displacements,
    csm_twist,
    reference_polyhedron,
    reference_volumes,
)
from ionflow.analysis.interface.polyhedra import li_polyhedra
from tests.unit.test_interface_analysis_polyhedra import CENTER, chemenv_csms


def test_elongation_follows_the_closed_form():
    # Identity assignment, no rotation: S = 100 (1 − (2λ + 4)² / (6 (2λ² + 4))) → 100 · 2/3 for λ → ∞.
    factors = np.array([1.0, 1.2, 1.5, 2.0, 4.0, 100.0])
    expected = 100.0 * (1.0 - (2 * factors + 4) ** 2 / (6 * (2 * factors**2 + 4)))
    np.testing.assert_allclose(csm_elongation(factors), expected, atol=1e-9)
    assert expected[0] == 0.0 and expected[-1] == pytest.approx(66.0, abs=1.0)


@pytest.mark.parametrize("angle", [0.0, 30.0])
def test_twisted_octahedron_matches_chemenv(angle):
    radius = 2.57
    circumradius, height = radius * np.sqrt(2 / 3), radius / np.sqrt(3)
    corners = 2 * np.pi * np.arange(3) / 3
    top = np.c_[
        circumradius * np.cos(corners + np.radians(angle)),
        circumradius * np.sin(corners + np.radians(angle)),
        np.full(3, height),
    ]
    bottom = np.c_[circumradius * np.cos(corners), circumradius * np.sin(corners), np.full(3, -height)]
    prism = np.vstack([top, bottom])
    assert np.linalg.norm(prism, axis=1) == pytest.approx(radius)
    ours = csm_twist(np.array([angle, 60.0]), radius)
    assert ours[0] == pytest.approx(chemenv_csms(CENTER + prism, CENTER)["O:6"], rel=1e-8)
    assert ours[0] > 1.0 and ours[1] == pytest.approx(0.0, abs=1e-9)


def test_random_displacements_start_at_zero_and_grow():
    mean, spread = csm_random_displacements(np.array([0.0, 0.1, 0.3]), samples=50)
    assert mean[0] == pytest.approx(0.0, abs=1e-9) and spread[0] == pytest.approx(0.0, abs=1e-9)
    assert 0.0 < mean[1] < mean[2] and spread[2] > 0.0


def test_reference_volumes_equal_the_solid_geometry():
    radii = np.array([2.3, 2.57])
    volumes = reference_volumes(radii)
    np.testing.assert_allclose(volumes["O:6"], 4 / 3 * radii**3)
    np.testing.assert_allclose(volumes["S:5"], 2 / 3 * radii**3)
    np.testing.assert_allclose(volumes["T:4"], 8 / (9 * np.sqrt(3)) * radii**3)
    for shape in ("O:6", "S:5", "T:4"):
        assert np.linalg.norm(reference_polyhedron(shape, 2.0), axis=1) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="unknown reference shape"):
        reference_polyhedron("TP:6")


def test_rock_salt_li_sits_on_the_octahedron_curve():
    a = 5.13
    sizes = li_polyhedra([bulk("LiCl", "rocksalt", a=a, cubic=True).repeat(2)], cutoff_A=3.0, interface_width_A=None)
    np.testing.assert_array_equal(sizes["cn"], 6)
    np.testing.assert_allclose(sizes["mean_bond_A"], a / 2)
    np.testing.assert_allclose(sizes["volume_A3"], reference_volumes(np.array([a / 2]))["O:6"][0])
