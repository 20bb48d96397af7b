"""Study B's bulk tables: layer populations (one row per layer) and tracer Arrhenius fits, NaN with
the reason where the validation does not support the MD or the halide formed no layers."""

import math

import numpy as np
import pytest
from ase.build import bulk
from scipy.constants import Boltzmann, elementary_charge

from ionflow.analysis.interface.layers import layer_populations
from ionflow.analysis.transport.tracer import tracer_arrhenius, tracer_arrhenius_rows
from ionflow.studies.bulk_b import ARRHENIUS_NUMBERS, LAYER_NUMBERS, gated_arrhenius, layer_rows, relaxed_polyhedra
from tests.unit.test_layers import hand_made_cell
from tests.unit.test_transport_tracer import d_for_sigma, summary


def populations():
    first = hand_made_cell([2.0, 3.0, 3.5, 4.0, 5.0, 6.5, 8.0, 8.5, 9.0, 10.0, 11.0, 0.5])
    second = hand_made_cell([2.0, 3.0, 3.5, 4.6, 5.0, 6.5, 8.0, 8.5, 9.0, 10.0, 11.5, 1.2], c_A=12.4, shift_A=1.3)
    return {"lzc_alpha": layer_populations([first, second]), "lzc_ideal": "no Cl layers in the last 1 ps"}


def test_a_validated_phase_keeps_its_numbers_per_layer():
    rows, unsupported = layer_rows(populations(), {"lzc_alpha": "passed"}, ["lzc_alpha"])
    alpha = [row for row in rows if row["phase"] == "lzc_alpha"]
    assert [row["layer"] for row in alpha] == [0, 1, 2, 3]
    np.testing.assert_allclose([row["li_mean"] for row in alpha], [3.5, 2.5, 4.0, 2.0])
    np.testing.assert_allclose([row["li_std"] for row in alpha], [0.5, 0.5, 0.0, 0.0])
    assert [row["li_rich"] for row in alpha] == [True, False, True, False]
    assert all(row["rich_to_poor"] == float(f"{3.75 / 2.25:.4g}") for row in alpha)
    # two frames, two blocks: counts (4 2 4 2) and (3 3 4 2); SE of two numbers = |a - b| / 2
    np.testing.assert_allclose([row["li_mean_se"] for row in alpha], [0.5, 0.5, 0.0, 0.0])
    assert all(row["rich_to_poor_se"] == pytest.approx(abs(8 / 4 - 7 / 5) / 2) for row in alpha)  # ratios 2.0, 1.4
    assert all(row["potential_validation"] == "passed" and row["note"] == "" for row in alpha)
    (ideal,) = [row for row in rows if row["phase"] == "lzc_ideal"]
    assert all(math.isnan(ideal[key]) for key in ("layer", "height_A", *LAYER_NUMBERS))
    assert ideal["potential_validation"] == "passed on lzc_alpha"
    assert ideal["note"] == "no Cl layers in the last 1 ps"
    assert unsupported == []


def test_pure_li_layers_have_no_ratio_and_say_why():
    pure = {"lzc_alpha": layer_populations([hand_made_cell([2.0, 3.0, 3.5, 8.0, 8.5, 9.0])])}  # layers 0 and 2 only
    rows, _ = layer_rows(pure, {"lzc_alpha": "passed"}, ["lzc_alpha"])
    assert [row["li_mean"] for row in rows] == [3.0, 0.0, 3.0, 0.0]
    assert all(math.isnan(row["rich_to_poor"]) for row in rows)
    assert all(row["note"] == "no Li in the Li-poor layers: the ratio is undefined" for row in rows)


def test_a_failed_validation_withholds_every_number_and_says_why():
    rows, unsupported = layer_rows(populations(), {"lzc_alpha": "failed"}, ["lzc_alpha"])
    for row in rows:
        assert all(math.isnan(row[key]) for key in LAYER_NUMBERS)
        assert "failed" in row["potential_validation"] and "failed" in row["note"]
    assert [row["height_A"] for row in rows if row["phase"] == "lzc_alpha"] == [3.0, 6.0, 9.0, 0.0]
    assert len(unsupported) == 2 and unsupported[0].startswith("lzc_alpha: ")


def test_reference_model_md_keeps_everything():
    rows, unsupported = layer_rows(populations(), None, [])
    assert unsupported == []
    assert all(row["potential_validation"] == "not needed (reference model)" for row in rows)


def test_gated_arrhenius_keeps_a_validated_fit_and_withholds_the_rest():
    k_b = Boltzmann / elementary_charge
    temperatures = [900.0, 1000.0, 1100.0]
    results = []
    for phase in ("lzc_alpha", "lzc_ideal"):
        for t in temperatures:
            sigma = 0.5 * np.exp(-0.3 / k_b * (1 / t - 1 / 1000))
            results.append(summary(phase, t, d_for_sigma(sigma, t)))
    entries = tracer_arrhenius(results, ["lzc_alpha", "lzc_ideal"])
    rows, shown, unsupported = gated_arrhenius(
        entries, tracer_arrhenius_rows(entries), {"lzc_alpha": "passed", "lzc_ideal": "failed"}, ["lzc_alpha"]
    )
    assert rows[0]["E_a_eV"] == pytest.approx(0.3, rel=1e-6) and rows[0]["potential_validation"] == "passed"
    assert shown[0]["fit"] is not None and shown[0]["phase"] == "lzc_alpha"
    assert all(math.isnan(rows[1][key]) for key in ARRHENIUS_NUMBERS)
    assert rows[1]["temperatures_K"] == "900 1000 1100"
    assert shown[1]["fit"] is None and shown[1]["phase"] == "lzc_ideal (NEP failed)"
    assert shown[1]["sigma_S_cm"] == entries[1]["sigma_S_cm"]  # the points stay
    assert len(unsupported) == 1 and unsupported[0].startswith("lzc_ideal: ")
    _, shown, _ = gated_arrhenius(entries, tracer_arrhenius_rows(entries), {"interface": "passed"}, [])
    assert shown[0]["phase"] == "lzc_alpha (NEP not run)"


def test_relaxed_polyhedra_of_rock_salt_are_regular_octahedra_by_hand():
    a = 5.13
    tables = relaxed_polyhedra({"licl": bulk("LiCl", "rocksalt", a=a, cubic=True).repeat(2)}, 3.0, "Li", ["O", "Cl"])
    table = tables["licl"]
    assert set(table["cn"]) == {6}
    assert table["mean_bond_A"] == pytest.approx(np.full(len(table["cn"]), a / 2))
    assert table["volume_A3"] == pytest.approx(np.full(len(table["cn"]), 4 / 3 * (a / 2) ** 3))  # octahedron
    assert np.nanmax(table["csm"]) == pytest.approx(0.0, abs=1e-6)
