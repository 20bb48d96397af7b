"""analyse_runs end to end on synthetic files: COM correction, σ by Eq. 13, JSON schema."""

import numpy as np
import pytest
from ase.data import atomic_numbers
from scipy.constants import Boltzmann, elementary_charge

from ionflow.analysis.transport.diffusion import nernst_einstein_conductivity
from ionflow.analysis.transport.msd import msd_self
from ionflow.analysis.transport.runs import analyse_runs
from ionflow.trajectory.synthetic import host_recoil, lattice_sites, random_walk_steps, write_lammps_dump

CELL = np.diag([12.0, 13.0, 14.0])
DT_PS = 0.1


def li_zr_cl(n_li: int) -> np.ndarray:
    symbols = ["Li"] * n_li + ["Zr"] * (n_li // 2) + ["Cl"] * (3 * n_li)
    return np.array([atomic_numbers[s] for s in symbols])


@pytest.fixture(scope="module")
def drifting_system(tmp_path_factory):
    """Li walkers in a rigid host that recoils to fix the COM, all drifting in the lab frame."""
    rng = np.random.default_rng(11)
    numbers = li_zr_cl(24)
    mobile = numbers == 3
    walk = random_walk_steps(rng, 600, 24, [0.3, 0.3, 0.9], DT_PS)
    start = lattice_sites(CELL, len(numbers), rng)
    displacement = np.zeros((600, len(numbers), 3))
    displacement[:, mobile] = walk
    displacement[:, ~mobile] = host_recoil(numbers, mobile, walk)[:, None, :]
    drift = np.arange(600)[:, None, None] * DT_PS * np.array([2.0, -1.0, 0.5])  # Å/ps
    path = tmp_path_factory.mktemp("runs") / "traj.lammpstrj"
    write_lammps_dump(path, numbers, start + displacement + drift, CELL, decimals=8)
    return path, walk


def test_centre_of_mass_correction_removes_lab_drift(drifting_system):
    path, walk = drifting_system
    result = analyse_runs([path], "Li", temperature_K=900, dt_ps=DT_PS, fit_window_ps=(1.0, 10.0))
    assert np.max(np.abs(result.msd_self - msd_self(walk))) < 1e-6
    without_correction = msd_self(walk + np.arange(600)[:, None, None] * DT_PS * np.array([2.0, -1.0, 0.5]))
    assert np.max(np.abs(without_correction - result.msd_self)) > 100.0


def test_sigma_by_hand_from_equation_13():
    # 10 ions in 1000 Å³ at 1000 K with D = 1e-5 cm²/s: c = 1e22 cm⁻³, e² = 2.566970e-38 C²,
    # k_B T = 1.380649e-20 J: σ = 1e22 × 2.566970e-38 × 1e-5 / 1.380649e-20 = 0.185925 S/cm
    by_hand = 1e22 * elementary_charge**2 * 1e-5 / (Boltzmann * 1000.0)
    assert by_hand == pytest.approx(0.185925, rel=1e-5)
    assert nernst_einstein_conductivity(1e-5, 10, 1000.0, 1000.0) == pytest.approx(0.185925, rel=1e-5)
    assert nernst_einstein_conductivity(1e-5, 10, 1000.0, 1000.0, charge=2) == pytest.approx(4 * 0.185925, rel=1e-5)


def test_json_has_the_agreed_keys_and_consistent_numbers(drifting_system):
    path, walk = drifting_system
    result = analyse_runs([path, path], "Li", temperature_K=900, dt_ps=DT_PS, n_segments=2)
    summary = result.to_json()
    twins = ["D_self_cm2_s", "D_collective_cm2_s", "haven_ratio", "sigma_S_cm"]
    assert set(summary) == {
        *twins,
        *(f"{k}_std" for k in twins),
        *(f"{k}_sem" for k in twins),
        "fit_window_ps",
        "temperature_K",
        "n_ions",
        "volume_A3",
        "n_segments",
        "segment_frames",
        "directional",
        "msd_log_slope",
        "diffusive",
        "note",
        "sigma_from",
    }
    for key in twins:  # standard error of the mean over the 4 segments
        assert summary[f"{key}_sem"] == pytest.approx(summary[f"{key}_std"] / 2, rel=1e-12) or key == "haven_ratio"
    assert summary["n_segments"] == result.n_segments_total == 4
    assert summary["segment_frames"] == 300  # 600 frames in two segments
    assert summary["n_ions"] == 24 and summary["volume_A3"] == pytest.approx(12 * 13 * 14)
    assert result.msd_self.shape == result.msd_collective_std.shape == (300, 3)
    selfs = [msd_self(segment) for segment in (walk[:300], walk[300:])] * 2
    assert np.allclose(result.msd_self, np.mean(selfs, axis=0), atol=1e-6)
    assert np.allclose(result.msd_self_std, np.std(selfs, axis=0, ddof=1), atol=1e-6)
    directional = summary["directional"]
    assert set(directional) == {"x", "y", "z"}
    assert set(directional["z"]) == {*twins, *(f"{k}_std" for k in twins), *(f"{k}_sem" for k in twins)}
    # sigma_x is the x contribution to Eq. 13: D_x = MSD_x/(2t) enters as MSD_x/(6t) = D_x/3
    sigma_x = nernst_einstein_conductivity(directional["x"]["D_collective_cm2_s"] / 3, 24, 12 * 13 * 14, 900)
    assert directional["x"]["sigma_S_cm"] == pytest.approx(sigma_x, rel=1e-12)
    assert summary["sigma_S_cm"] == pytest.approx(sum(directional[a]["sigma_S_cm"] for a in "xyz"), rel=1e-12)
    sigma_eq13 = nernst_einstein_conductivity(summary["D_collective_cm2_s"], 24, 12 * 13 * 14, 900)
    assert summary["sigma_S_cm"] == pytest.approx(sigma_eq13, rel=1e-12)
    mean_axes = np.mean([directional[a]["D_self_cm2_s"] for a in "xyz"])
    assert summary["D_self_cm2_s"] == pytest.approx(mean_axes, rel=1e-12)
    assert summary["haven_ratio"] == pytest.approx(summary["D_self_cm2_s"] / summary["D_collective_cm2_s"])
    assert summary["sigma_S_cm_std"] > 0
    # the same file twice: segment spread over identical pairs, mean over both
    window = summary["fit_window_ps"]
    assert 0 < window[0] < window[1] <= 15.0
    assert directional["z"]["D_self_cm2_s"] / directional["x"]["D_self_cm2_s"] == pytest.approx(3.0, rel=0.35)


def test_single_segment_has_no_spread(drifting_system):
    path, _ = drifting_system
    result = analyse_runs(str(path), temperature_K=900, dt_ps=DT_PS, fit_window_ps=(1, 5))
    assert not result.msd_self_std.any() and not result.msd_collective_std.any()
    summary = result.to_json()
    assert summary["n_segments"] == 1
    assert summary["D_self_cm2_s_std"] is None and summary["directional"]["y"]["sigma_S_cm_std"] is None
    assert summary["fit_window_ps"] == [1.0, 5.0]


def test_too_many_segments_is_an_error(drifting_system):
    path, _ = drifting_system
    with pytest.raises(ValueError, match="--segments"):
        analyse_runs([path], temperature_K=900, dt_ps=DT_PS, n_segments=200)


def test_tracer_sigma_and_the_diffusive_flag(drifting_system):
    path, _ = drifting_system
    result = analyse_runs([path], "Li", temperature_K=900, dt_ps=DT_PS, n_segments=2, sigma_from="self").to_json()
    by_hand = nernst_einstein_conductivity(result["D_self_cm2_s"], 24, 12 * 13 * 14, 900)
    assert result["sigma_from"] == "self" and result["sigma_S_cm"] == pytest.approx(by_hand, rel=1e-12)
    assert result["diffusive"] == (abs(result["msd_log_slope"] - 1) <= 0.15)
    with pytest.raises(ValueError, match="sigma_from"):
        analyse_runs([path], "Li", temperature_K=900, dt_ps=DT_PS, sigma_from="tracer")
