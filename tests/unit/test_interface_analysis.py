"""Study B interface analyses on hand-made slabs and trajectories with known answers:
interface positions, neighbour counts, coordination and Li count profiles, hops and
net-displacement classes."""

import numpy as np
import pytest
from ase import Atoms
from ase.build import bulk
from pymatgen.io.ase import AseAtomsAdaptor

from ionflow.analysis.interface.hops import displacement_classes, hop_counts_vs_z, net_displacement
from ionflow.analysis.interface.neighbours import neighbour_counts
from ionflow.analysis.interface.profiles import coordination_vs_z, number_density_vs_z_time
from ionflow.analysis.interface.slab import distance_to_interface, interface_positions, slab_height

LICL_A = 5.14  # Å, rock-salt LiCl: Li–Cl 2.57 Å, second anion shell 4.45 Å


def layered_slab(oxide_z, halide_z, height=40.0, side=20.0, per_side=4, shift=0.0):
    """O planes at ``oxide_z`` and Cl planes at ``halide_z`` (Å), per_side² atoms per plane."""
    grid = (np.stack(np.meshgrid(np.arange(per_side), np.arange(per_side)), -1).reshape(-1, 2) + 0.5) * side / per_side
    symbols, positions = [], []
    for symbol, planes in (("O", oxide_z), ("Cl", halide_z)):
        for z in planes:
            symbols += [symbol] * len(grid)
            positions.append(np.c_[grid, np.full(len(grid), np.mod(z + shift, height))])
    return Atoms(symbols, positions=np.vstack(positions), cell=[side, side, height], pbc=True)


def rock_salt_with_oxide_planes(oxide_planes, repeat=(2, 2, 8), z_offset=0.0):
    """Rock-salt LiCl (001) planes every a/2 along z; anions of the planes in ``oxide_planes`` are O."""
    atoms = bulk("LiCl", "rocksalt", a=LICL_A, cubic=True).repeat(repeat)
    plane = np.rint(atoms.positions[:, 2] / (LICL_A / 2)).astype(int)
    symbols = np.array(atoms.get_chemical_symbols(), dtype=object)
    symbols[(symbols == "Cl") & np.isin(plane, oxide_planes)] = "O"
    atoms.set_chemical_symbols(list(symbols))
    atoms.positions[:, 2] += z_offset
    return atoms


OXIDE_Z, HALIDE_Z = (2.0, 4.0, 6.0, 8.0), (12.0, 16.0, 20.0, 24.0, 28.0, 32.0, 36.0)


@pytest.mark.parametrize("shift", [0.0, 15.0, 33.0])
def test_interfaces_are_midpoints_between_outermost_o_and_nearest_cl(shift):
    atoms = layered_slab(OXIDE_Z, HALIDE_Z, shift=shift)
    # oxide below / halide above: (8 + 12) / 2; halide below / oxide above: (36 + 42) / 2
    expected = np.mod(np.array([10.0, 39.0]) + shift, 40.0)
    np.testing.assert_allclose(interface_positions(atoms), expected, atol=1e-9)


def test_interface_ignores_a_stray_chloride_in_the_oxide():
    atoms = layered_slab(OXIDE_Z, HALIDE_Z)
    atoms += Atoms("Cl", positions=[[1.0, 1.0, 7.0]])
    np.testing.assert_allclose(interface_positions(atoms), [10.0, 39.0], atol=1e-9)


def test_distance_to_interface_is_signed_and_periodic():
    interfaces = np.array([10.0, 39.0])
    z = np.array([10.0, 12.0, 7.0, 24.0, 25.0, 37.0, 0.5, 39.0])
    # positive on the Cl side (between 10 and 39), negative in the oxide; 0.5 is 1.5 Å above 39 (periodic 40)
    np.testing.assert_allclose(distance_to_interface(z, interfaces, 40.0), [0.0, 2.0, -3.0, 14.0, 14.0, 2.0, -1.5, 0.0])


def test_slab_height_rejects_a_cell_with_a_out_of_plane():
    with pytest.raises(ValueError, match="xy plane"):
        slab_height(np.array([[5.0, 0.0, 1.0], [0.0, 5.0, 0.0], [0.0, 0.0, 20.0]]))


def test_neighbour_counts_match_pymatgen_in_a_triclinic_cell():
    rng = np.random.default_rng(7)
    cell = np.array([[9.0, 0.0, 0.0], [2.5, 8.5, 0.0], [1.5, -2.0, 10.0]])
    symbols = rng.choice(["Li", "O", "Cl"], size=120)
    atoms = Atoms(symbols, scaled_positions=rng.random((120, 3)), cell=cell, pbc=True)
    centers = np.flatnonzero(symbols == "Li")
    counts = neighbour_counts(atoms, centers, "Li", ("O", "Cl"), 3.5)
    structure = AseAtomsAdaptor.get_structure(atoms)
    for row, index in zip(counts, centers):
        found = [site.specie.symbol for site in structure.get_neighbors(structure[index], 3.5)]
        assert list(row) == [found.count("O"), found.count("Cl")]
    assert counts.sum() > len(centers)


def test_rock_salt_licl_is_six_fold_coordinated():
    atoms = rock_salt_with_oxide_planes([], repeat=(3, 3, 3))
    profile = coordination_vs_z([atoms, atoms], bin_A=0.5)
    occupied = profile.centers_per_bin > 0
    np.testing.assert_array_equal(profile.cn["Cl"][occupied], 6.0)
    np.testing.assert_array_equal(profile.cn["O"][occupied], 0.0)
    assert np.all(np.isnan(profile.cn["Cl"][~occupied]))
    assert profile.total_cn_counts[:, 6].sum() == 2 * 3**3 * 4


def test_coordination_profile_across_an_oxide_plane():
    # plane 5 of anions is O: its Li get 4 O + 2 Cl; Li of planes 4 and 6 get 1 O + 5 Cl
    atoms = rock_salt_with_oxide_planes([5], z_offset=LICL_A / 4)
    profile = coordination_vs_z([atoms], bin_A=LICL_A / 2)
    assert len(profile.z_A) == 16
    expected_o = np.zeros(16)
    expected_o[[4, 6]], expected_o[5] = 1.0, 4.0
    np.testing.assert_allclose(profile.cn["O"], expected_o)
    np.testing.assert_allclose(profile.cn["Cl"], 6.0 - expected_o)
    np.testing.assert_allclose(profile.centers_per_bin, 8.0)  # 2 Li per plane per cubic cell, 2 × 2 cells
    np.testing.assert_allclose(profile.z_A, (np.arange(16) + 0.5) * LICL_A / 2)


def test_li_counts_per_plane_vs_time():
    side, height, per_side = 50.0, 30.0, 14
    grid = (np.stack(np.meshgrid(np.arange(per_side), np.arange(per_side)), -1).reshape(-1, 2) + 0.5) * side / per_side
    frames, expected = [], []
    for t in range(5):
        planes = (5.25, 12.25 + 0.5 * t, 29.75)  # the middle plane drifts one 0.5 Å bin per frame
        positions = np.vstack([np.c_[grid, np.full(len(grid), z)] for z in planes])
        frames.append(
            Atoms(
                ["Li"] * len(positions) + ["Cl"],
                positions=np.vstack([positions, [[1.0, 1.0, 1.0]]]),
                cell=[side, side, height],
                pbc=True,
            )
        )
        row = np.zeros(60, int)
        row[[10, 24 + t, 59]] = per_side**2
        expected.append(row)
    z_A, counts = number_density_vs_z_time(iter(frames), bin_A=0.5)
    np.testing.assert_allclose(z_A, np.arange(60) * 0.5 + 0.25)
    np.testing.assert_array_equal(counts, expected)
    assert counts[0, 10] == 196


def hop_trajectory(wrap):
    """Seven frames of five Li in a 10 × 10 × 30 Å cell with hops known by construction."""
    start = np.array([[5.0, 5.0, 5.0], [9.5, 5.0, 15.0], [5.0, 5.0, 20.0], [2.0, 2.0, 10.0], [5.0, 5.0, 29.5]])
    steps = np.zeros((7, 5, 3))
    steps[2, 0] = [2.0, 0.0, 0.0]  # Li0: 2 Å jump between frames 1 and 2 → hop in interval 0
    steps[1:, 1] = [0.4, 0.0, 0.0]  # Li1: drifts across the x boundary, 0.8 Å per interval → no hop
    steps[1:, 2] = [[0.0, 0.0, 0.6 * (-1) ** k] for k in range(6)]  # Li2: rattles, net 0 → no hop
    steps[3:5, 3] = [0.0, 0.0, 0.65]  # Li3: 1.3 Å along z in frames 2 → 4 → hop in interval 1
    steps[5:7, 4] = [0.0, 0.0, 0.8]  # Li4: 1.6 Å across the z boundary in frames 4 → 6 → hop in interval 2
    positions = start + np.cumsum(steps, axis=0)
    cell = np.diag([10.0, 10.0, 30.0])
    frames = []
    for frame in positions:
        atoms = Atoms(["Li"] * 5, positions=frame, cell=cell, pbc=True)
        if wrap:
            atoms.wrap()
        frames.append(atoms)
    return frames


@pytest.mark.parametrize("wrap", [False, True])
def test_hops_counted_in_start_bins(wrap):
    profile = hop_counts_vs_z(iter(hop_trajectory(wrap)), dt_frames=2, threshold_A=1.25, bin_A=1.0)
    expected = np.zeros((3, 30), int)
    expected[0, 5] = expected[1, 10] = expected[2, 29] = 1
    np.testing.assert_array_equal(profile.hops, expected)
    np.testing.assert_array_equal(profile.occupancy.sum(axis=1), 5)
    assert profile.occupancy[2, 29] == 1 and profile.occupancy[2, 11] == 1  # Li3 sits at z = 11.3 after its hop
    np.testing.assert_allclose(profile.z_A, np.arange(30) + 0.5)


def test_hops_need_two_compared_frames():
    with pytest.raises(ValueError, match="at least 3 frames"):
        hop_counts_vs_z(iter(hop_trajectory(True)[:2]), dt_frames=2)


def test_net_displacement_through_periodic_boundaries():
    cell = np.diag([10.0, 10.0, 10.0])
    velocity = np.array([0.3, -0.2, 0.4])  # Å per frame
    frames = []
    for t in range(60):
        atoms = Atoms(["Li", "Cl"], positions=[[1.0, 1.0, 1.0] + velocity * t, [5.0, 5.0, 5.0]], cell=cell, pbc=True)
        atoms.wrap()
        frames.append(atoms)
    start, end = net_displacement(iter(frames), start_frame=10)
    np.testing.assert_allclose(end - start, [velocity * 49])
    labels, counts = displacement_classes(start, end)
    assert labels.tolist() == ["mixed z"]  # R_z = 19.6 Å > R_xy = 17.7 Å ≥ 1 Å


def test_displacement_classes_by_hand():
    end = np.array(
        [
            [0.5, 0.0, 2.0],  # z: R_xy < 1, R_z > 1
            [0.0, 0.5, -2.0],  # z (sign of Δz irrelevant)
            [2.0, 0.0, 0.5],  # xy: R_xy ≥ 1, R_z < 1
            [1.0, 0.0, 0.2],  # xy: R_xy = 1 exactly counts as ≥ 1
            [1.5, 0.0, 2.0],  # mixed z: R_z > R_xy ≥ 1
            [2.0, 1.0, 1.5],  # mixed xy: R_xy = 2.24 > R_z ≥ 1
            [0.3, 0.3, 0.5],  # static
            [0.99, 0.0, 1.0],  # static: R_z = 1 is not > 1
        ]
    )
    labels, counts = displacement_classes(np.zeros_like(end), end)
    assert labels.tolist() == ["z", "z", "xy", "xy", "mixed z", "mixed xy", "static", "static"]
    assert counts == {"z": 2, "xy": 2, "mixed z": 1, "mixed xy": 1, "static": 2}
