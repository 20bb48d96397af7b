"""Parity metrics against hand-computed values and scikit-learn."""

import numpy as np
import pytest

from ionflow.analysis.parity import energy_parity_metrics, force_parity_table, parity_metrics, virial_parity_table


def test_metrics_by_hand():
    metrics = parity_metrics(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]))
    assert metrics == pytest.approx({"r2": 0.5, "mae": 1 / 3, "rmse": np.sqrt(1 / 3), "n": 3})


def test_force_table_matches_sklearn():
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    symbols = np.array(["Li"] * 60 + ["Zr"] * 30 + ["Cl"] * 90)
    reference = rng.normal(0.0, 1.0, (180, 3))
    predicted = reference + rng.normal(0.0, 0.1, (180, 3)) * np.arange(1, 4)
    rows = {(row["element"], row["direction"]): row for row in force_parity_table(reference, predicted, symbols)}
    assert len(rows) == 12
    for element in ["Li", "Zr", "Cl", "all"]:
        selected = np.ones(180, bool) if element == "all" else symbols == element
        for k, direction in enumerate("xyz"):
            ref, pred = reference[selected, k], predicted[selected, k]
            row = rows[(element, direction)]
            assert row["r2"] == pytest.approx(sklearn_metrics.r2_score(ref, pred), rel=1e-12)
            assert row["mae"] == pytest.approx(sklearn_metrics.mean_absolute_error(ref, pred), rel=1e-12)
            assert row["rmse"] == pytest.approx(np.sqrt(sklearn_metrics.mean_squared_error(ref, pred)), rel=1e-12)
            assert row["n"] == selected.sum()


def test_energy_and_virial_are_per_atom():
    n_atoms = np.array([27, 27, 18])
    reference = np.array([-100.0, -101.0, -70.0])
    metrics = energy_parity_metrics(reference, reference + n_atoms * 0.01, n_atoms)
    assert metrics["mae"] == pytest.approx(0.01) and metrics["rmse"] == pytest.approx(0.01)
    virial = np.zeros((3, 3, 3))
    virial[:, 1, 2] = [1.0, 2.0, 3.0]
    shifted = virial.copy()
    shifted[:, 1, 2] += n_atoms * 0.002
    rows = {row["component"]: row for row in virial_parity_table(virial, shifted, n_atoms)}
    assert rows["yz"]["mae"] == pytest.approx(0.002)
    assert rows["xy"]["mae"] == 0.0
