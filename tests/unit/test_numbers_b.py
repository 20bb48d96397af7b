"""Study B's numbers for paper_vs_ionflow.csv, gathered from hand-made table rows."""

import math

import pytest

from ionflow.studies.numbers_b import study_b_numbers
from ionflow.studies.reference_values import compare


def test_study_b_numbers_from_its_tables_compare_with_the_published_values():
    ours = study_b_numbers(
        rmse=[{"set": "test", "energy_meV_atom": 5.0, "force_meV_A": 210.0, "n_frames": 9}],
        holdout=[{"interface": "a", "error_meV_atom": -12.0}, {"interface": "b", "error_meV_atom": 8.0}],
        arrhenius=[{"phase": "lzc_alpha", "sigma_RT_mS_cm": float("nan"), "E_a_eV": 0.3}],
        polymorphs=[{"phase": "zro2_cubic", "reference_meV_atom": 100.0, "nep_meV_atom": 95.0}],
        layers=[{"phase": "lzc_alpha", "rich_to_poor": 1.5}],
        glide={"system": "lzc_beta", "final_mean_glide_A": 2.1},
    )
    assert ours["nep_rmse"] == {"test": {"energy_meV_atom": 5.0, "force_meV_A": 210.0}}  # counts are not numbers
    assert ours["holdout_interfaces"]["mean"]["abs_error_meV_atom"] == 10.0  # mean of |-12| and |8|
    assert (
        math.isnan(ours["arrhenius"]["lzc_alpha"]["sigma_RT_mS_cm"]) and ours["arrhenius"]["lzc_alpha"]["E_a_eV"] == 0.3
    )
    assert ours["structure"] == {"lzc_alpha": {"li_rich_to_poor": 1.5}, "lzc_beta": {"interlayer_glide_A": 2.1}}
    published = {
        "holdout_interfaces": {"mean": {"abs_error_meV_atom": {"value": 10.0, "unit": "meV/atom", "source": "B"}}}
    }
    (row,) = compare(ours, published)
    assert (row["ionflow"], row["relative_difference"]) == (10.0, pytest.approx(0.0))
