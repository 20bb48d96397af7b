"""Paper tables from transport results: Table S3 by Nernst-Einstein worked by hand, Table 2
rows carry the directional terms that add up to the total."""

import math

import pytest
from scipy import constants

from ionflow.studies.tables import structure_rows, table2_rows, table3_rows, table_s3_rows

RESULT = {
    "phase": "beta",
    "temperature_K": 950.0,
    "n_ions": 16,
    "volume_A3": 1552.7,
    "D_self_cm2_s": 2.0e-5,
    "D_collective_cm2_s": 4.0e-5,
    "haven_ratio": 0.5,
    "sigma_S_cm": 0.31,
    "sigma_S_cm_std": 0.02,
    "D_self_cm2_s_sem": 2.0e-6,
    "D_collective_cm2_s_sem": 8.0e-6,
    "directional": {
        a: {
            "sigma_S_cm": s,
            "sigma_S_cm_std": 0.01,
            "haven_ratio": 0.4,
            "haven_ratio_sem": 0.1,
            "D_self_cm2_s": 1e-5,
            "D_self_cm2_s_sem": 1e-6,
        }
        for a, s in zip("xyz", (0.1, 0.1, 0.11))
    },
}


def test_table_s3_individual_sigma_is_nernst_einstein_by_hand():
    row = table_s3_rows([RESULT])[0]
    concentration = 16 / (1552.7e-30)  # 1/m^3
    by_hand = concentration * constants.e**2 * 2.0e-5 * 1e-4 / (constants.k * 950.0) / 100.0  # S/cm
    assert row["sigma_individual_S_cm"] == pytest.approx(by_hand, rel=1e-9)
    assert (row["D_i_cm2_s"], row["D_cm2_s"], row["H_R"]) == (2.0e-5, 4.0e-5, 0.5)
    assert (row["D_i_cm2_s_se"], row["D_cm2_s_se"]) == (2.0e-6, 8.0e-6)
    assert row["sigma_individual_S_cm_se"] == pytest.approx(by_hand / 10, rel=1e-9)  # D_i known to 10 %
    assert row["sigma_collective_S_cm"] == pytest.approx(2 * by_hand, rel=1e-9)  # H_R = 0.5


def test_table2_rows_keep_directional_terms_and_total():
    row = table2_rows([RESULT])[0]
    assert row["sigma_x_S_cm"] + row["sigma_y_S_cm"] + row["sigma_z_S_cm"] == pytest.approx(0.31)
    assert row["sigma_total_S_cm"] == 0.31 and row["haven_ratio_z"] == 0.4
    assert (row["haven_ratio_z_se"], row["D_self_z_cm2_s_se"]) == (0.1, 1e-6)


def test_failed_validation_or_no_diffusive_window_withholds_every_transport_number():
    """Tables 2 and S3 print a result's numbers only when its potential passed (or validation is
    not required) and its MSD is diffusive; otherwise NaN and a note naming the reason."""
    sub_diffusive = {**RESULT, "diffusive": False, "note": "no window with d log MSD / d log t = 1"}
    for rows in (table2_rows, lambda results, verdicts, required: table_s3_rows(results, 1, verdicts, required)):
        kept = rows([RESULT], {"beta": "passed"}, True)[0]
        assert kept["note"] == "" and not math.isnan(kept["H_R" if "H_R" in kept else "haven_ratio_total"])
        failed = rows([RESULT], {"beta": "failed"}, True)[0]
        numbers = [v for k, v in failed.items() if isinstance(v, float) and k != "temperature_K"]
        assert numbers and all(math.isnan(v) for v in numbers)
        assert "failed its dynamics validation" in failed["note"] and failed["potential_validation"] == "failed"
        marked = rows([RESULT], {"beta": "failed"}, False)[0]
        assert marked["potential_validation"] == "failed" and marked["note"] == ""
        assert not math.isnan(marked["H_R" if "H_R" in marked else "haven_ratio_total"])
        caged = rows([sub_diffusive], None, True)[0]
        assert all(math.isnan(v) for k, v in caged.items() if isinstance(v, float) and k != "temperature_K")
        assert caged["note"] == "no window with d log MSD / d log t = 1" and caged["potential_validation"] == "not run"


def test_table3_keeps_residence_times_without_a_diffusive_window_but_not_the_jump_length():
    dynamics = {
        "phase": "beta",
        "temperature_K": 950.0,
        "tau_site_ps": 87.2,
        "tau_site_ps_se": 4.1,
        "tau_adjacent_li_ps": 15.4,
        "tau_adjacent_li_ps_se": 1.2,
        "tau_site_plain_ps": 43.6,
        "tau_site_plain_ps_se": 2.05,
        "tau_adjacent_li_plain_ps": 7.7,
        "tau_adjacent_li_plain_ps_se": 0.6,
        "jump_length_A": 8.85,
        "jump_length_A_se": 0.3,
        "D_self_cm2_s": 2.0e-5,
        "D_self_cm2_s_se": 1.0e-6,
        "sites": "Li sites of the relaxed starting cell",
        "blocks": 5,
    }
    kept = table3_rows([dynamics], [RESULT], {"beta": "passed"})[0]
    assert (kept["tau_site_ps"], kept["tau_site_ps_se"], kept["jump_length_A"], kept["note"]) == (87.2, 4.1, 8.85, "")
    assert list(kept)[2:4] == ["tau_site_ps", "tau_site_ps_se"]  # each value beside its error
    caged = table3_rows([dynamics], [{**RESULT, "diffusive": False}], {"beta": "passed"})[0]
    assert caged["tau_site_ps"] == 87.2 and math.isnan(caged["jump_length_A"]) and math.isnan(caged["D_self_cm2_s"])
    assert math.isnan(caged["jump_length_A_se"]) and caged["tau_site_ps_se"] == 4.1
    assert caged["note"] == "the MSD is not diffusive over the fit window"
    failed = table3_rows([dynamics], [RESULT], {"beta": "failed"})[0]
    assert all(math.isnan(failed[k]) for k in ("tau_site_ps", "tau_site_ps_se", "tau_adjacent_li_ps", "jump_length_A"))
    assert "failed its dynamics validation" in failed["note"]
    single = table3_rows([{**dynamics, "blocks": 1}], [RESULT], {"beta": "passed"})[0]
    assert single["note"] == (
        "fewer than two blocks of the run as long as residence_max_lag_ps: no standard error for the times"
    )


def test_structure_rows_keep_the_numbers_of_a_passed_phase_only():
    result = {"phase": "beta", "temperature_K": 950.0, "first_peak_Li-Cl_A": 2.49, "pmf_xy_eV": 0.2}
    (kept,) = structure_rows([result], "first_peak_", {"beta": "passed"})
    assert kept == {
        "phase": "beta",
        "temperature_K": 950.0,
        "first_peak_Li-Cl_A": 2.49,
        "potential_validation": "passed",
        "note": "",
    }
    (withheld,) = structure_rows([result], "pmf_", {"beta": "inconclusive"})
    assert math.isnan(withheld["pmf_xy_eV"]) and "not shown to move Li like its reference" in withheld["note"]
    (marked,) = structure_rows([result], "pmf_", {"beta": "failed"}, required=False)
    assert marked["pmf_xy_eV"] == 0.2 and marked["potential_validation"] == "failed"


def test_structure_rows_give_nan_with_the_reason_for_a_barrier_never_crossed():
    result = {"phase": "li3incl6", "temperature_K": 1050.0, "pmf_path_edge_eV": float("inf"), "pmf_xy_eV": 0.2}
    (row,) = structure_rows([result], "pmf_", {"li3incl6": "passed"})
    assert math.isnan(row["pmf_path_edge_eV"]) and row["pmf_xy_eV"] == 0.2
    assert row["note"] == "never crossed in the run, so no barrier can be given: pmf_path_edge_eV"


def test_structure_rows_name_the_numbers_without_a_standard_error():
    """A barrier crossed in the run but not in one of its blocks keeps its value, its NaN error is
    named; a number with an error, and a number that has no error column (a path length), are not."""
    result = {
        "phase": "beta",
        "temperature_K": 950.0,
        "pmf_xz_eV": 0.42,
        "pmf_xz_eV_se": float("nan"),
        "pmf_xy_eV": 0.2,
        "pmf_xy_eV_se": 0.03,
        "pmf_path_edge_d_A": 6.2,
    }
    (row,) = structure_rows([result], "pmf_", {"beta": "passed"})
    assert row["pmf_xz_eV"] == 0.42 and row["pmf_xy_eV_se"] == 0.03
    assert row["note"] == "no standard error (one block, or a block that never crossed): pmf_xz_eV"
