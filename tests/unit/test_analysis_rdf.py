"""Partial RDFs against crystal shell distances, an ideal gas and ase.geometry.rdf.get_rdf."""

import numpy as np
import pytest
from ase import Atoms
from ase.build import bulk
from ase.geometry.rdf import get_rdf

from ionflow.analysis.statistics import accumulate_blocks
from ionflow.analysis.structure.rdf import (
    PartialRdfs,
    first_peak_position,
    partial_rdfs,
    plot_rdf_validation,
    rdf_mean_absolute_difference,
    rdf_pairs,
    species_pairs,
)


def coordination_number(r, g, density, r_cut, bin_width):
    inside = r < r_cut
    return np.sum(
        density * g[inside] * 4.0 / 3.0 * np.pi * ((r[inside] + bin_width / 2) ** 3 - (r[inside] - bin_width / 2) ** 3)
    )


@pytest.mark.parametrize(
    ("structure", "a", "shells"),
    [("fcc", 3.6, [(np.sqrt(0.5), 12), (1.0, 6)]), ("bcc", 3.3, [(np.sqrt(3) / 2, 8), (1.0, 6)])],
)
def test_crystal_shells_and_coordination(structure, a, shells):
    atoms = bulk("Cu", structure, a=a, cubic=True).repeat(5)
    r, rdfs = partial_rdfs([atoms], species=("Cu",), r_max=7.0)
    g = rdfs["Cu-Cu"]
    density = len(atoms) / atoms.get_volume()
    assert first_peak_position(r, g) == pytest.approx(shells[0][0] * a, abs=0.032)
    lower = 0.0
    for (ratio, expected), (next_ratio, _) in zip(shells, shells[1:] + [(shells[-1][0] * 1.1, 0)]):
        upper = 0.5 * (ratio + next_ratio) * a
        n = coordination_number(r, g, density, upper, 0.032) - coordination_number(r, g, density, lower, 0.032)
        assert n == pytest.approx(expected, rel=1e-9)
        lower = upper


def test_ideal_gas_partials_tend_to_one():
    rng = np.random.default_rng(1)
    cell = np.array([[30.0, 0.0, 0.0], [9.0, 28.0, 0.0], [4.0, 6.0, 27.0]])
    frames = []
    for _ in range(3):
        fractional = rng.random((1600, 3))
        frames.append(Atoms(["Li"] * 800 + ["Cl"] * 800, scaled_positions=fractional, cell=cell, pbc=True))
    r, rdfs = partial_rdfs(frames, species=("Li", "Cl"), r_max=9.0)
    window = (r > 3.0) & (r < 9.0)
    assert rdfs["Li-Cl"][window].mean() == pytest.approx(1.0, abs=0.01)
    assert rdfs["Li-Li"][window].mean() == pytest.approx(799 / 800, abs=0.01)
    assert species_pairs(("Li", "Zr", "Cl")) == [
        ("Li", "Li"),
        ("Li", "Zr"),
        ("Li", "Cl"),
        ("Zr", "Zr"),
        ("Zr", "Cl"),
        ("Cl", "Cl"),
    ]


def test_matches_ase_get_rdf_in_triclinic_cell():
    atoms = bulk("NaCl", "rocksalt", a=5.64).repeat(6)
    atoms.rattle(0.15, seed=3)
    r, rdfs = partial_rdfs([atoms], species=("Na", "Cl"), r_max=6.4)
    for a, b in [("Na", "Cl"), ("Na", "Na"), ("Cl", "Cl")]:
        reference, r_ase = get_rdf(atoms, 6.4, r.size, elements=(a, b))
        np.testing.assert_allclose(r, r_ase, atol=1e-12)
        np.testing.assert_allclose(rdfs[f"{a}-{b}"], reference, rtol=1e-9, atol=1e-9)


def test_block_rdfs_are_the_rdfs_of_each_block_and_the_whole_is_unchanged():
    """Seven frames in blocks of three: two blocks (frames 0-2 and 3-5; frame 6 is left out of
    the blocks, not of the whole), each equal to partial_rdfs of its own frames; the whole run's
    RDF equals partial_rdfs of all seven; the first peak of each block (NaCl's 2.82 Å shell)
    stays within two bins of the whole run's."""
    frames = []
    for seed in range(7):
        atoms = bulk("NaCl", "rocksalt", a=5.64).repeat(3)
        atoms.rattle(0.02 + 0.005 * seed, seed=seed)
        frames.append(atoms)
    whole_sums, block_sums = accumulate_blocks(iter(frames), lambda: PartialRdfs(("Na", "Cl")), 3)
    r, rdfs = whole_sums.result()
    blocks = [block.result()[1] for block in block_sums]
    assert len(blocks) == 2
    _, whole = partial_rdfs(frames, species=("Na", "Cl"))
    for block, chosen in zip(blocks, (frames[0:3], frames[3:6])):
        _, alone = partial_rdfs(chosen, species=("Na", "Cl"))
        for pair in whole:
            np.testing.assert_allclose(block[pair], alone[pair], rtol=1e-12)
    for pair in whole:
        np.testing.assert_allclose(rdfs[pair], whole[pair], rtol=1e-12)
    peaks = [first_peak_position(r, block["Na-Cl"]) for block in blocks]
    assert np.allclose(peaks, first_peak_position(r, rdfs["Na-Cl"]), atol=0.065)


def test_rdf_difference_is_zero_for_the_same_crystal_and_grows_with_disorder():
    crystal = bulk("NaCl", "rocksalt", a=5.64, cubic=True).repeat(2)
    r, ideal = partial_rdfs([crystal], species=("Na", "Cl"), r_max=5.0)
    _, again = partial_rdfs([crystal.copy()], species=("Na", "Cl"), r_max=5.0)
    assert rdf_mean_absolute_difference(r, ideal["Na-Cl"], again["Na-Cl"]) == 0.0
    shaken = crystal.copy()
    shaken.rattle(0.1, seed=1)
    _, warm = partial_rdfs([shaken], species=("Na", "Cl"), r_max=5.0)
    assert rdf_mean_absolute_difference(r, ideal["Na-Cl"], warm["Na-Cl"]) > 1.0


def test_rdf_difference_of_a_uniform_shift_is_the_shift():
    r = np.linspace(0.0, 8.0, 251)
    g = np.where(r > 2.0, 1.0 + np.exp(-((r - 2.8) ** 2) / 0.02), 0.0)
    shifted = np.where(g > 0, g + 0.25, 0.0)
    assert rdf_mean_absolute_difference(r, g, shifted) == pytest.approx(0.25)


def test_pairs_default_to_the_elements_of_the_first_frame():
    atoms = bulk("NaCl", "rocksalt", a=5.64, cubic=True).repeat(2)
    r, rdfs = partial_rdfs(iter([atoms, atoms.copy()]), r_max=5.0)
    assert list(rdfs) == ["Na-Na", "Na-Cl", "Cl-Cl"]
    _, given = partial_rdfs([atoms], species=("Na", "Cl"), r_max=5.0)
    assert all(np.array_equal(rdfs[pair], given[pair]) for pair in given)
    with pytest.raises(ValueError, match="got no frames"):
        partial_rdfs(iter([]))


def test_rdf_pairs_are_those_with_the_mobile_ion_and_unlike_framework_pairs():
    pairs = rdf_pairs(("Li", "Zr", "Cl", "O"), "Li")
    assert pairs == ("Li-Li", "Li-Zr", "Li-Cl", "Li-O", "Zr-Cl", "Zr-O", "Cl-O")
    assert rdf_pairs(("In", "Li", "Cl"), "Li") == ("In-Li", "In-Cl", "Li-Li", "Li-Cl")


def test_fig_s3_panels_are_the_pairs_of_the_material_it_is_given(tmp_path):
    # Li3InCl6: no Zr anywhere; the panels follow the RDFs' own pairs
    cell = Atoms("Li3InCl6", scaled_positions=np.random.default_rng(1).random((10, 3)), cell=[6.0] * 3, pbc=True)
    r, g = partial_rdfs([cell.repeat(2)], ("Li", "In", "Cl"), r_max=5.0)
    figure = plot_rdf_validation(r, {300.0: (g, g), 1000.0: (g, g)}, tmp_path / "figS3.png")
    assert figure.is_file()
    assert list(g) == ["Li-Li", "Li-In", "Li-Cl", "In-In", "In-Cl", "Cl-Cl"]
    with pytest.raises(KeyError, match="Zr-Cl"):
        plot_rdf_validation(r, {300.0: (g, g)}, tmp_path / "paper_pairs.png", pairs=("Li-Cl", "Zr-Cl"))
