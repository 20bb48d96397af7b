"""The ensemble gap is the symmetrised relative entropy of two Boltzmann distributions: checked
on harmonic wells, whose Gaussian ensembles have a closed-form Jeffreys divergence."""

import numpy as np
import pytest
from ase.units import kB

from ionflow.analysis.validation.ensemble import ensemble_checks, ensemble_gap
from ionflow.potentials.ensemble_energies import evenly_spaced

TEMPERATURE_K = 1000.0


def _harmonic_runs(k_teacher: float, k_student: float, n_atoms: int, n_frames: int, seed: int = 1):
    """ΔU = U_s − U_t (eV) on frames drawn from each potential's canonical ensemble: n_atoms
    independent 3D harmonic wells of stiffness k (eV/Å²)."""
    rng = np.random.default_rng(seed)
    kt = kB * TEMPERATURE_K

    def du(k_sampled):
        x = rng.normal(0.0, np.sqrt(kt / k_sampled), size=(n_frames, n_atoms, 3))
        return 0.5 * (k_student - k_teacher) * (x**2).sum(axis=(1, 2))

    return du(k_teacher), du(k_student)


def test_jeffreys_divergence_of_two_harmonic_wells_matches_the_gaussian_formula():
    k_t, k_s, n_atoms = 2.0, 1.6, 50
    teacher, student = _harmonic_runs(k_t, k_s, n_atoms, 400)
    result = ensemble_gap(teacher, student, n_atoms, TEMPERATURE_K)
    sigma2_t, sigma2_s = 1 / k_t, 1 / k_s  # per coordinate, in units of kT
    exact_per_atom = 3 * (sigma2_t / (2 * sigma2_s) + sigma2_s / (2 * sigma2_t) - 1)  # KL(t|s) + KL(s|t)
    assert result["jeffreys_per_atom"] == pytest.approx(exact_per_atom, abs=4 * result["jeffreys_per_atom_se"])
    assert result["jeffreys_per_atom_se"] < 0.2 * exact_per_atom
    assert result["ensemble_gap_meV_atom"] == pytest.approx(1000 * kB * TEMPERATURE_K * result["jeffreys_per_atom"])


def test_a_softer_student_has_a_positive_gap_and_a_constant_offset_changes_nothing():
    teacher, student = _harmonic_runs(2.0, 1.6, 20, 200, seed=4)
    result = ensemble_gap(teacher, student, 20, TEMPERATURE_K)
    shifted = ensemble_gap(teacher + 3.7, student + 3.7, 20, TEMPERATURE_K)
    assert result["ensemble_gap_meV_atom"] > 0
    assert shifted["ensemble_gap_meV_atom"] == pytest.approx(result["ensemble_gap_meV_atom"])
    same = ensemble_gap(*_harmonic_runs(2.0, 2.0, 20, 200), 20, TEMPERATURE_K)
    assert same["ensemble_gap_meV_atom"] == 0.0


def test_too_few_frames_for_an_error_bar_say_so():
    result = ensemble_gap(np.array([0.1, 0.2]), np.array([0.0, 0.1]), 10, TEMPERATURE_K)
    assert result["ensemble_gap_meV_atom"] == pytest.approx(10.0)
    assert np.isnan(result["ensemble_gap_meV_atom_se"])
    assert "no standard error" in result["ensemble_note"]


def test_ensemble_checks_give_force_rmse_per_run_and_count_failed_labels():
    energies = {
        "du_teacher_eV": np.zeros(8),
        "du_student_eV": -np.ones(8),
        "force_ms_teacher": np.full(8, 0.01),
        "force_ms_student": np.array([0.01, 0.03] * 4),
        "n_atoms": 100,
        "frames_failed": 2,
    }
    row = ensemble_checks(energies, TEMPERATURE_K)
    assert row["ensemble_gap_meV_atom"] == pytest.approx(10.0)
    assert row["force_rmse_teacher_frames_eV_A"] == pytest.approx(0.1)
    assert row["force_rmse_student_frames_eV_A"] == pytest.approx(np.sqrt(0.02))
    assert "2 student frame(s)" in row["ensemble_note"]


def test_evenly_spaced_frames_keep_the_first_and_the_last():
    assert evenly_spaced(list(range(10)), 4) == [0, 3, 6, 9]
    assert evenly_spaced(list(range(3)), 5) == [0, 1, 2]
