"""Arrhenius fit: exact on noiseless data, weighted covariance matches numpy's weighted polyfit."""

import numpy as np
import pytest

from ionflow.analysis.transport.arrhenius import K_B_EV, fit_arrhenius

TEMPERATURES = np.array([750.0, 800.0, 850.0, 900.0, 950.0, 1000.0])


def arrhenius(e_a_eV: float, sigma_300: float, temperature):
    return sigma_300 * np.exp(-e_a_eV / K_B_EV * (1.0 / temperature - 1.0 / 300.0))


def test_noiseless_data_recovers_activation_energy_and_room_temperature_sigma():
    fit = fit_arrhenius(TEMPERATURES, arrhenius(0.33, 6.57e-4, TEMPERATURES))
    assert fit["E_a_eV"] == pytest.approx(0.33, rel=1e-10)
    assert fit["sigma_300K_S_cm"] == pytest.approx(6.57e-4, rel=1e-10)
    assert fit["ln_sigma0"] == pytest.approx(np.log(6.57e-4) + 0.33 / K_B_EV / 300.0, rel=1e-10)
    assert fit["r2"] == pytest.approx(1.0, abs=1e-12)
    assert fit["E_a_eV_std"] == pytest.approx(0.0, abs=1e-8)
    assert fit["sigma_300K_S_cm_std"] == pytest.approx(0.0, abs=1e-10)


def test_weighted_fit_propagates_covariance():
    rng = np.random.default_rng(5)
    relative = np.array([0.05, 0.1, 0.05, 0.2, 0.1, 0.05])
    sigma = arrhenius(0.3, 1e-3, TEMPERATURES) * np.exp(relative * rng.standard_normal(6))
    fit = fit_arrhenius(TEMPERATURES, sigma, sigma * relative)
    coefficients, covariance = np.polyfit(1 / TEMPERATURES, np.log(sigma), 1, w=1 / relative, cov="unscaled")
    assert fit["E_a_eV"] == pytest.approx(-coefficients[0] * K_B_EV, rel=1e-10)
    assert fit["E_a_eV_std"] == pytest.approx(np.sqrt(covariance[0, 0]) * K_B_EV, rel=1e-10)
    gradient = np.array([1 / 300.0, 1.0])  # polyfit order: slope, intercept
    ln_std = np.sqrt(gradient @ covariance @ gradient)
    assert fit["sigma_300K_S_cm_std"] == pytest.approx(fit["sigma_300K_S_cm"] * ln_std, rel=1e-10)
    assert 0.2 < fit["E_a_eV"] < 0.4


def test_two_unweighted_points_have_no_std_and_bad_input_is_refused():
    fit = fit_arrhenius([800, 1000], arrhenius(0.3, 1e-3, np.array([800.0, 1000.0])))
    assert fit["E_a_eV"] == pytest.approx(0.3) and fit["E_a_eV_std"] is None
    with pytest.raises(ValueError, match="positive"):
        fit_arrhenius([800, 900], [1e-2, -1e-3])
    with pytest.raises(ValueError, match="≥ 2"):
        fit_arrhenius([800], [1e-2])
