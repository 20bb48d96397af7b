"""Continuous symmetry measures against pymatgen ChemEnv, polyhedron volumes, and the Li
polyhedra table of a rock-salt slab whose bottom anion planes are oxide."""

import numpy as np
import pytest
from pymatgen.analysis.chemenv.coordination_environments.coordination_geometry_finder import LocalGeometryFinder
from pymatgen.core import Lattice, Structure
from scipy.spatial.transform import Rotation

from ionflow.analysis.interface.polyhedra import (
    li_polyhedra,
    octahedral_csm,
    polyhedron_volume,
    symmetry_measures,
)
from tests.unit.test_interface_analysis import LICL_A, rock_salt_with_oxide_planes

OCTAHEDRON = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]], dtype=float)
SQUARE_PYRAMID = OCTAHEDRON[:5]
TETRAHEDRON = np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]], dtype=float) / np.sqrt(3)
CENTER = np.array([20.0, 20.0, 20.0])


def chemenv_csms(vertices, center):
    """ChemEnv's csm (central site included, centroid centring) of every shape with len(vertices) vertices."""
    finder = LocalGeometryFinder()
    finder.setup_parameters(
        centering_type="standard", structure_refinement=LocalGeometryFinder.STRUCTURE_REFINEMENT_NONE
    )
    structure = Structure(
        Lattice.cubic(40.0), ["Li"] + ["Cl"] * len(vertices), np.vstack([center, vertices]), coords_are_cartesian=True
    )
    finder.setup_structure(structure)
    finder.setup_local_geometry(isite=0, coords=vertices)
    return {shape: result["csm"] for shape, result in finder.get_coordination_symmetry_measures().items()}


def distorted(shape, radius, noise, seed):
    rng = np.random.default_rng(seed)
    return CENTER + radius * shape + rng.normal(0.0, noise, shape.shape), CENTER + rng.normal(0.0, noise, 3)


def test_perfect_octahedron_in_any_pose_has_zero_csm():
    rotation = Rotation.from_euler("xyz", [0.3, 1.1, -0.7]).as_matrix()
    vertices = CENTER + 2.57 * OCTAHEDRON[[3, 0, 5, 1, 4, 2]] @ rotation.T
    assert octahedral_csm(vertices, CENTER) == pytest.approx(0.0, abs=1e-10)
    assert chemenv_csms(vertices, CENTER)["O:6"] == pytest.approx(0.0, abs=1e-10)


@pytest.mark.parametrize("seed,noise", [(0, 0.1), (1, 0.2), (2, 0.3), (3, 0.4)])
def test_distorted_octahedron_matches_chemenv(seed, noise):
    vertices, center = distorted(OCTAHEDRON, 2.57, noise, seed)
    reference = chemenv_csms(vertices, center)
    ours = octahedral_csm(vertices, center)
    assert ours > 0.1
    assert ours == pytest.approx(reference["O:6"], rel=1e-8)
    # ChemEnv tries a subset of vertex assignments for CN 6, this search is exhaustive
    for shape in ("T:6", "PP:6"):
        assert symmetry_measures(vertices[None], center[None], shape)[0] <= reference[shape] + 1e-9


@pytest.mark.parametrize(
    "ideal,shapes", [(SQUARE_PYRAMID, ("PP:5", "S:5", "T:5")), (TETRAHEDRON, ("T:4", "S:4", "SY:4", "SS:4"))]
)
def test_five_and_four_vertex_shapes_match_chemenv(ideal, shapes):
    vertices, center = distorted(ideal, 2.4, 0.2, seed=11)
    reference = chemenv_csms(vertices, center)
    for shape in shapes:
        assert symmetry_measures(vertices[None], center[None], shape)[0] == pytest.approx(reference[shape], rel=1e-8)


def test_csm_is_invariant_under_rotation_scaling_translation_and_relabelling():
    vertices, center = distorted(OCTAHEDRON, 2.57, 0.25, seed=5)
    rotation = Rotation.from_euler("zyx", [2.0, -0.4, 0.9]).as_matrix()
    moved = 1.7 * (vertices[[4, 2, 0, 5, 3, 1]] - center) @ rotation.T + [3.0, -1.0, 8.0]
    moved_center = np.array([3.0, -1.0, 8.0])
    assert octahedral_csm(moved, moved_center) == pytest.approx(octahedral_csm(vertices, center), rel=1e-10)


def test_csm_grows_with_distortion():
    direction = np.random.default_rng(3).normal(size=(6, 3))
    values = [octahedral_csm(CENTER + 2.57 * OCTAHEDRON + scale * direction, CENTER) for scale in (0.05, 0.1, 0.2, 0.4)]
    assert np.all(np.diff(values) > 0)


def test_polyhedron_volumes():
    assert polyhedron_volume(2.57 * OCTAHEDRON) == pytest.approx(4.0 / 3.0 * 2.57**3)
    assert polyhedron_volume(np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], float)) == pytest.approx(1.0 / 6.0)
    assert polyhedron_volume(OCTAHEDRON[:4]) == 0.0  # coplanar square
    assert polyhedron_volume(OCTAHEDRON[:3]) == 0.0


def test_li_polyhedra_of_a_rock_salt_slab_with_oxide_planes():
    # anion planes 0-3 are O: interfaces at z = 8.995 and 39.835 Å (planes every 2.57 Å, period 41.12 Å)
    atoms = rock_salt_with_oxide_planes([0, 1, 2, 3])
    table = li_polyhedra([atoms], cutoff_A=3.5, interface_width_A=8.0)
    li = atoms.symbols == "Li"
    plane = np.rint(atoms.positions[li, 2] / (LICL_A / 2)).astype(int)
    assert len(table["index"]) == li.sum() == 128
    np.testing.assert_array_equal(table["cn"], 6)
    np.testing.assert_array_equal(table["shape"], "O:6")
    np.testing.assert_allclose(table["csm"], 0.0, atol=1e-9)
    np.testing.assert_allclose(table["volume_A3"], 4.0 / 3.0 * (LICL_A / 2) ** 3)
    np.testing.assert_array_equal(table["interface"], ~np.isin(plane, range(7, 13)))
    np.testing.assert_allclose(table["distance_A"][plane == 4], 1.285)
    np.testing.assert_allclose(table["distance_A"][plane == 0], -1.285)


def test_bulk_frames_give_every_li_as_bulk():
    """Rock-salt LiCl without oxide: perfect octahedra of volume (4/3) d³, d = a/2 the Li–Cl distance."""
    from ase.build import bulk

    table = li_polyhedra([bulk("LiCl", "rocksalt", a=LICL_A, cubic=True).repeat(2)], interface_width_A=None)
    assert len(table["cn"]) == 32
    assert (table["cn"] == 6).all() and (table["shape"] == "O:6").all()
    np.testing.assert_allclose(table["csm"], 0.0, atol=1e-9)
    np.testing.assert_allclose(table["volume_A3"], 4.0 / 3.0 * (LICL_A / 2) ** 3)
    assert np.isnan(table["distance_A"]).all() and not table["interface"].any()
