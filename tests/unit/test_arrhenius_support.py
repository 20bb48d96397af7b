"""Tables print only what their data support: NaN with the reason, standard errors otherwise."""

import numpy as np
import pytest
from scipy import stats

from ionflow.analysis.transport.arrhenius import K_B_EV, supported_arrhenius
from ionflow.studies.tables import phase_arrhenius, table1_rows

TEMPERATURES = [800.0, 1000.0, 1200.0]


def arrhenius(e_a_eV, sigma_300, temperatures):
    return sigma_300 * np.exp(-e_a_eV / K_B_EV * (1.0 / np.asarray(temperatures) - 1.0 / 300.0))


def test_three_diffusive_points_fit_as_scipy_linregress():
    rng = np.random.default_rng(3)
    sigma = arrhenius(0.3, 1e-3, TEMPERATURES) * np.exp(0.05 * rng.standard_normal(3))
    fit = supported_arrhenius(TEMPERATURES, sigma)
    reference = stats.linregress(1 / np.asarray(TEMPERATURES), np.log(sigma))
    assert fit["E_a_eV"] == pytest.approx(-reference.slope * K_B_EV, rel=1e-10)
    assert fit["E_a_eV_std"] == pytest.approx(reference.stderr * K_B_EV, rel=1e-8)
    assert fit["sigma_300K_S_cm"] == pytest.approx(np.exp(reference.intercept + reference.slope / 300), rel=1e-10)
    assert fit["note"] == ""


def test_two_temperatures_give_nan_with_the_reason():
    fit = supported_arrhenius(TEMPERATURES[:2], arrhenius(0.3, 1e-3, TEMPERATURES[:2]))
    assert np.isnan(fit["E_a_eV"]) and np.isnan(fit["sigma_300K_S_cm"])
    assert "needs ≥ 3" in fit["note"]


def test_a_non_diffusive_temperature_is_left_out_and_named():
    values = arrhenius(0.3, 1e-3, TEMPERATURES)
    fit = supported_arrhenius(TEMPERATURES, values, diffusive=[False, True, True])
    assert np.isnan(fit["E_a_eV"]) and "not diffusive at 800 K" in fit["note"]
    four = [*TEMPERATURES, 1400.0]
    fit = supported_arrhenius(four, arrhenius(0.3, 1e-3, four), diffusive=[False, True, True, True])
    assert fit["E_a_eV"] == pytest.approx(0.3) and fit["temperatures_used_K"] == [1000.0, 1200.0, 1400.0]


def test_negative_activation_energy_and_negative_sigma_give_nan():
    falling = arrhenius(-0.2, 1e-3, TEMPERATURES)
    fit = supported_arrhenius(TEMPERATURES, falling)
    assert np.isnan(fit["E_a_eV"]) and "≤ 0: not an activated process" in fit["note"]
    fit = supported_arrhenius(TEMPERATURES, [1e-2, -1e-3, 3e-2])
    assert np.isnan(fit["sigma_300K_S_cm"]) and "value ≤ 0 at 1000 K" in fit["note"]


def _result(temperature, sigma, sem, diffusive=True):
    return {
        "temperature_K": temperature,
        "diffusive": diffusive,
        "sigma_S_cm": sigma,
        "sigma_S_cm_sem": sem,
        "D_self_cm2_s": sigma * 1e-3,
        "D_self_cm2_s_sem": sem * 1e-3,
        "D_collective_cm2_s": sigma * 2e-3,
        "D_collective_cm2_s_sem": sem * 2e-3,
    }


def test_table1_has_standard_errors_and_a_failed_validation_keeps_the_phase_out():
    sigma = arrhenius(0.35, 1e-3, TEMPERATURES)
    results = [_result(t, s, 0.1 * s) for t, s in zip(TEMPERATURES, sigma)]
    entry = dict(phase_arrhenius(results), phase="alpha")
    # weighted by 1/var(ln σ) = 100 at every point: the covariance is (AᵀWA)⁻¹
    design = np.column_stack([np.ones(3), 1 / np.asarray(TEMPERATURES)])
    covariance = np.linalg.inv(design.T @ design * 100.0)
    assert entry["sigma_S_cm_E_a_eV_std"] == pytest.approx(np.sqrt(covariance[1, 1]) * K_B_EV, rel=1e-8)
    assert entry["haven_ratio_300K"] == pytest.approx(0.5, rel=1e-8)
    assert entry["haven_ratio_300K_std"] == pytest.approx(
        0.5 * np.sqrt(2) * entry["D_self_cm2_s_300K_std"] / entry["D_self_cm2_s_300K"], rel=1e-8
    )
    beta = dict(entry, phase="beta")
    rows = table1_rows([entry, beta], {"alpha": "passed", "beta": "failed"}, required=True)
    assert rows[0]["E_a_eV"] == pytest.approx(0.35, rel=1e-8) and rows[0]["E_a_eV_se"] > 0
    assert rows[0]["potential_validation"] == "passed" and rows[0]["note"] == ""
    assert all(np.isnan(rows[1][key]) for key in ("E_a_eV", "sigma_S_cm", "D_i_cm2_s", "H_R", "E_a_eV_se"))
    assert rows[1]["potential_validation"] == "failed" and "failed its dynamics validation" in rows[1]["note"]
    kept = table1_rows([beta], {"beta": "failed"}, required=False)[0]
    assert kept["E_a_eV"] == pytest.approx(0.35, rel=1e-8) and kept["potential_validation"] == "failed"
