"""Layers along the stacking normal: the β-Li2ZrCl6 cell of the repository, Li counts per
cation layer of a hand-made cell through an NPT-like change of cell and a drift, and Li
planes of a hand-made z–time count map."""

from pathlib import Path

import numpy as np
import pytest
from ase import Atoms
from ase.io import read

from ionflow.analysis.interface.layers import (
    NoLayersError,
    counts_per_plane,
    find_layers,
    interplanar_spacing,
    layer_populations,
    planes_of_first_frame,
    stacking_normal,
)

BETA_CIF = Path(__file__).parents[2] / "config/structures/beta_Li2ZrCl6_C2m_ordered_RECONSTRUCTED.cif"


def test_beta_cell_stacks_zr_and_cl_planes_along_c_star():
    """C2/m β: Zr at z = 0, Li at 1/2 and Cl at 1/4, 3/4 of c, planes c·sin β = 5.960 Å apart."""
    atoms = read(BETA_CIF).repeat((1, 1, 3))
    spacing = 3 * 6.32198545 * np.sin(np.radians(109.47122063))
    assert interplanar_spacing(atoms.cell) == pytest.approx(spacing)
    np.testing.assert_allclose(stacking_normal(atoms.cell), [0.0, 0.0, 1.0], atol=1e-12)
    zr = find_layers(atoms, ("Zr",))
    np.testing.assert_allclose(zr.centre_fraction, [0.0, 1 / 3, 2 / 3], atol=1e-9)
    assert [len(m) for m in zr.members] == [2, 2, 2]
    cl = find_layers(atoms, ("Cl",))
    np.testing.assert_allclose(cl.centre_fraction, (np.arange(6) + 0.5) / 6, atol=1e-9)
    population = layer_populations([atoms])
    # cation layer k lies above Cl plane k: Li (z = 1/2 of c) fills layers 0, 2, 4; Zr (z = 0) the others
    np.testing.assert_array_equal(population.mean_count, [4, 0, 4, 0, 4, 0])
    assert population.rich_to_poor == np.inf


def test_a_layer_cut_by_the_cell_boundary_stays_one_layer():
    heights = [-0.2, 0.1, 0.3, 5.0, 5.2, 11.9, 12.1]  # Å in a 12 Å cell: planes at 0.04 (5 atoms) and 5.1
    atoms = Atoms("Zr7", positions=[[0.5 * k, 0.0, z] for k, z in enumerate(heights)], cell=[10, 10, 12], pbc=True)
    atoms.wrap()
    layers = find_layers(atoms)
    assert len(layers.members) == 2
    np.testing.assert_allclose(layers.centre_fraction, [0.04 / 12, 5.1 / 12])
    assert [len(m) for m in layers.members] == [5, 2]


def test_a_species_spread_over_the_cell_has_no_layers_and_a_missing_one_is_another_error():
    """Evenly spread heights (a melted sublattice) raise NoLayersError; a species absent from
    the frame is a plain input error, which callers must not take for 'no layers'."""
    heights = np.linspace(0.0, 12.0, 40, endpoint=False)
    atoms = Atoms("Cl40", positions=[[0.3 * k, 0.0, z] for k, z in enumerate(heights)], cell=[12, 12, 12], pbc=True)
    with pytest.raises(NoLayersError, match="form 0 layer"):
        find_layers(atoms, ("Cl",))
    with pytest.raises(ValueError, match="no atoms of species") as missing:
        find_layers(atoms, ("Zr",))
    assert not isinstance(missing.value, NoLayersError)


def hand_made_cell(li_heights_A, c_A=12.0, shift_A=0.0):
    """Cl planes (4 atoms each) at 1.5, 4.5, 7.5, 10.5 Å of c_A = 12 Å, scaled to ``c_A``,
    Li at ``li_heights_A`` (of the 12 Å cell, scaled alike); everything shifted up by ``shift_A``."""
    scale = c_A / 12.0
    grid = np.array([[1.0, 1.0], [1.0, 4.0], [4.0, 1.0], [4.0, 4.0]])
    cl = [np.c_[grid, np.full(4, z * scale)] for z in (1.5, 4.5, 7.5, 10.5)]
    li = [[2.5 + 0.3 * k, 2.5, z * scale] for k, z in enumerate(li_heights_A)]
    atoms = Atoms(["Cl"] * 16 + ["Li"] * len(li), positions=np.vstack(cl + [li]), cell=[6.0, 6.0, c_A], pbc=True)
    atoms.positions[:, 2] += shift_A
    atoms.wrap()
    return atoms


def test_li_per_layer_follows_the_planes_through_cell_change_and_drift():
    # layers: 0 between the planes at 1.5 and 4.5 Å, …, 3 between 10.5 Å and 13.5 ≡ 1.5 Å
    first = hand_made_cell([2.0, 3.0, 3.5, 4.0, 5.0, 6.5, 8.0, 8.5, 9.0, 10.0, 11.0, 0.5])
    second = hand_made_cell([2.0, 3.0, 3.5, 4.6, 5.0, 6.5, 8.0, 8.5, 9.0, 10.0, 11.5, 1.2], c_A=12.4, shift_A=1.3)
    population = layer_populations([first, second])
    np.testing.assert_array_equal(population.counts, [[4, 2, 4, 2], [3, 3, 4, 2]])
    np.testing.assert_allclose(population.mean_count, [3.5, 2.5, 4.0, 2.0])
    np.testing.assert_allclose(population.height_A, [3.0, 6.0, 9.0, 0.0])
    np.testing.assert_array_equal(population.rich, [True, False, True, False])
    assert population.rich_to_poor == pytest.approx(3.75 / 2.25)


def test_equal_layers_have_ratio_one():
    population = layer_populations([hand_made_cell([3.0, 6.0, 9.0, 0.0])])
    assert population.rich_to_poor == 1.0
    assert not population.rich.any()


def test_planes_of_the_first_frame_take_the_bins_nearest_them():
    counts = np.array(
        [
            [1, 0, 0, 3, 4, 0, 0, 0, 2, 0, 0, 5],  # planes: bins {3, 4}, {8}, {11, 0} across the boundary
            [0, 1, 1, 2, 2, 1, 1, 0, 1, 3, 2, 1],
        ]
    )
    np.testing.assert_array_equal(planes_of_first_frame(counts), [2, 2, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2])
    z_A = np.arange(12) + 0.5
    centres, per_plane = counts_per_plane(z_A, counts)
    np.testing.assert_array_equal(per_plane, [[7, 2, 6], [7, 4, 4]])

    # circular means on the 12 Å period of two bins ± 0.5 Å (± π/12) about c with weights w−, w+:
    # c + atan((w+ − w−) / (w+ + w−) · tan(π/12)) · 12 / 2π
    def centre(c, below, above):
        return c + np.arctan((above - below) / (above + below) * np.tan(np.pi / 12)) * 12 / (2 * np.pi)

    np.testing.assert_allclose(centres, [centre(4.0, 3, 4), 8.5, centre(12.0, 5, 1)])
