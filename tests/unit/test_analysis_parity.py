"""Parity metrics against hand-computed values and scikit-learn."""

import numpy as np
import pytest

from ionflow.analysis.parity import (
    force_parity_table,
    parity_metrics,
    plot_energy_virial_parity,
    table_s2_rows,
    virial_parity_table,
)


def test_metrics_by_hand():
    metrics = parity_metrics(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]))
    assert metrics == pytest.approx({"r2": 0.5, "mae": 1 / 3, "rmse": np.sqrt(1 / 3), "slope": 17 / 14, "n": 3})


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
            (slope,), *_ = np.linalg.lstsq(ref[:, None], pred, rcond=None)
            assert row["slope"] == pytest.approx(slope, rel=1e-12)


def test_virial_is_per_atom():
    n_atoms = np.array([27, 27, 18])
    virial = np.zeros((3, 3, 3))
    virial[:, 1, 2] = [1.0, 2.0, 3.0]
    shifted = virial.copy()
    shifted[:, 1, 2] += n_atoms * 0.002
    rows = {row["component"]: row for row in virial_parity_table(virial, shifted, n_atoms)}
    assert rows["yz"]["mae"] == pytest.approx(0.002)
    assert rows["xy"]["mae"] == 0.0


def test_table_s2_rows_of_a_dp_test_parity_file(tmp_path):
    rng = np.random.default_rng(1)
    n_frames, n_atoms = 4, 9
    energy = rng.normal(-5.0, 0.1, n_frames)
    force = rng.normal(0.0, 1.0, (n_frames * n_atoms, 3))
    virial = rng.normal(0.0, 0.2, (n_frames, 9))
    parity = {
        "energy_per_atom_ref": energy,
        "energy_per_atom_pred": energy + 0.003,
        "force_ref": force,
        "force_pred": force + 0.05,
        "element": np.array(["Li", "Zr", "Cl"] * 12),
        "virial_per_atom_ref": virial,
        "virial_per_atom_pred": virial - 0.01,
    }
    rows = table_s2_rows(parity)
    assert len(rows) == 1 + 4 * 3 + 6
    energy_row = rows[0]
    assert (energy_row["quantity"], energy_row["unit"]) == ("energy", "eV/atom")
    assert energy_row["rmse"] == pytest.approx(0.003) and energy_row["mae"] == pytest.approx(0.003)
    forces = [r for r in rows if r["quantity"] == "force"]
    assert {r["element"] for r in forces} == {"Li", "Zr", "Cl", "all"}
    assert all(r["rmse"] == pytest.approx(0.05) for r in forces)
    assert [r["n"] for r in forces if r["element"] == "Li"] == [12, 12, 12]
    virials = {r["component"]: r for r in rows if r["quantity"] == "virial"}
    assert virials["xz"]["mae"] == pytest.approx(0.01) and virials["xz"]["n"] == n_frames
    figure = plot_energy_virial_parity(parity, tmp_path / "figS2.png")
    assert figure.stat().st_size > 10_000
