"""Paper 2's tracer σ (Nernst–Einstein worked by hand) and its per-phase Arrhenius fit."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.constants import Boltzmann, elementary_charge

from ionflow.analysis.transport.figures import plot_tracer_arrhenius
from ionflow.analysis.transport.tracer import tracer_arrhenius, tracer_arrhenius_rows, tracer_sigma

N_LI, VOLUME_A3 = 288, 5000.0


def summary(phase, temperature, d_cm2_s):
    return {
        "phase": phase,
        "temperature_K": temperature,
        "D_self_cm2_s": d_cm2_s,
        "n_ions": N_LI,
        "volume_A3": VOLUME_A3,
    }


def d_for_sigma(sigma_S_cm, temperature):
    """Invert σ = (N/V) e² D / (k_B T), N/V in 1/cm³ (1 Å³ = 1e-24 cm³)."""
    return sigma_S_cm * Boltzmann * temperature / (N_LI / (VOLUME_A3 * 1e-24) * elementary_charge**2)


def test_tracer_sigma_is_nernst_einstein_by_hand():
    # 288 Li in 5000 Å³ = 5.76e22 /cm³; D = 1e-6 cm²/s at 600 K
    expected = 5.76e22 * 1.602176634e-19**2 * 1e-6 / (1.380649e-23 * 600.0)
    assert tracer_sigma(summary("a", 600.0, 1e-6)) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(0.1785, rel=1e-3)


def test_arrhenius_recovers_activation_energy_and_room_temperature_sigma():
    e_a, sigma_300 = 0.29, 8.03e-4  # paper 2, α: 0.29 eV, 0.803 mS/cm
    temperatures = [450.0, 500.0, 550.0, 600.0, 650.0, 700.0]
    k_b = Boltzmann / elementary_charge
    sigma = [sigma_300 * np.exp(-e_a / k_b * (1 / t - 1 / 300)) for t in temperatures]
    results = [summary("alpha", t, d_for_sigma(s, t)) for t, s in zip(temperatures[::-1], sigma[::-1])]
    results.append(summary("beta", 450.0, 0.0))
    results.append(summary("beta", 700.0, 1e-6))
    alpha, beta = tracer_arrhenius(results, ["alpha", "beta"])
    assert alpha["temperatures_K"] == temperatures
    assert alpha["fit"]["E_a_eV"] == pytest.approx(e_a, rel=1e-9)
    assert alpha["fit"]["sigma_300K_S_cm"] == pytest.approx(sigma_300, rel=1e-9)
    assert beta["fit"] is None and beta["unused_K"] == [450.0] and alpha["unused_K"] == []
    assert beta["note"] == (
        "value ≤ 0 at 450 K (noise larger than the signal); 1 usable temperature(s), an Arrhenius fit needs ≥ 3"
    )
    rows = tracer_arrhenius_rows([alpha, beta])
    assert rows[0]["sigma_RT_mS_cm"] == pytest.approx(0.803) and rows[0]["E_a_eV"] == pytest.approx(0.29)
    assert rows[0]["r2"] == pytest.approx(1.0) and rows[0]["E_a_eV_se"] == pytest.approx(0.0, abs=1e-9)
    assert np.isnan(rows[1]["E_a_eV"]) and np.isnan(rows[1]["sigma_RT_mS_cm_se"])
    assert rows[1]["temperatures_K"] == "450 700"


def test_two_temperatures_or_sub_diffusive_runs_give_no_fit():
    """Paper 1's rules hold for paper 2's tracer fit: two points always lie on a line, and a run
    that is not diffusive has no D."""
    two = [summary("alpha", t, 1e-6 * t / 500) for t in (900.0, 1100.0)]
    (entry,) = tracer_arrhenius(two, ["alpha"])
    assert entry["fit"] is None and "2 usable temperature(s)" in entry["note"]
    caged = [{**summary("alpha", t, 1e-6 * t / 500), "diffusive": t > 500} for t in (500.0, 600.0, 700.0)]
    (entry,) = tracer_arrhenius(caged, ["alpha"])
    assert entry["fit"] is None and entry["unused_K"] == [500.0] and "not diffusive at 500 K" in entry["note"]


def test_missing_phase_is_named():
    with pytest.raises(ValueError, match="no transport result for phase 'ideal'"):
        tracer_arrhenius([summary("alpha", 500.0, 1e-6), summary("alpha", 600.0, 2e-6)], ["alpha", "ideal"])


def test_arrhenius_figure_draws_a_line_per_fit_and_the_paper_stars():
    results = [summary("lzc_alpha", t, 1e-6 * t / 500) for t in (500.0, 600.0, 700.0)]
    results += [summary("lzc_ideal", t, d) for t, d in ((500.0, 0.0), (700.0, 1e-6))]
    fig = plot_tracer_arrhenius(
        tracer_arrhenius(results, ["lzc_alpha", "lzc_ideal"]), {"lzc_ideal": {"sigma_RT_mS_cm": 0.066}}
    )
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    ideal = lines["lzc_ideal: no fit (not used: 500 K)"]
    assert len(lines["lzc_alpha"].get_xdata()) == 3 and len(ideal.get_xdata()) == 1  # σ = 0 not drawn
    assert lines["lzc_ideal, reference (300 K)"].get_ydata()[0] == pytest.approx(0.066e-3)
    assert sum(line.get_linestyle() == "-" for line in ax.get_lines()) == 1  # one fitted line: α
    plt.close(fig)
