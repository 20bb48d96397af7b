"""Self van Hove function of a Gaussian walk and nearest-neighbour distances on a lattice."""

import numpy as np
import pytest
from ase import Atoms
from ase.build import bulk

from ionflow.analysis.structure.van_hove import nearest_neighbour_distance_map, self_van_hove


def gaussian_walk_frames(n_atoms, n_frames, step_sigma, box, seed=0):
    rng = np.random.default_rng(seed)
    positions = rng.random((n_atoms, 3)) * box
    for _ in range(n_frames):
        # wrapped output: self_van_hove must unwrap it
        yield Atoms(
            ["Li"] * n_atoms + ["Cl"], positions=np.vstack([positions % box, [0, 0, 0]]), cell=np.eye(3) * box, pbc=True
        )
        positions = positions + rng.normal(0.0, step_sigma, positions.shape)


def test_gaussian_walk_matches_analytic_self_van_hove():
    step_sigma, interval = 0.3, 1.0
    D = step_sigma**2 / (2.0 * interval)  # Å²/ps per Cartesian direction
    lags = [10.0, 50.0]
    r, g_self = self_van_hove(
        gaussian_walk_frames(2000, 300, step_sigma, 20.0), lags, interval, r_max=15.0, bin_width=0.1
    )
    for lag, row in zip(lags, g_self):
        radial = 4.0 * np.pi * r**2 * row
        analytic = 4.0 * np.pi * r**2 * (4.0 * np.pi * D * lag) ** -1.5 * np.exp(-(r**2) / (4.0 * D * lag))
        assert np.trapezoid(radial, r) == pytest.approx(1.0, abs=2e-3)
        assert np.max(np.abs(radial - analytic)) < 0.06 * analytic.max()
        assert np.trapezoid(r**2 * radial, r) == pytest.approx(6.0 * D * lag, rel=0.05)


def test_too_short_trajectory_is_an_error():
    with pytest.raises(ValueError, match="too short"):
        self_van_hove(gaussian_walk_frames(10, 5, 0.1, 10.0), [10.0], 1.0)


def test_nearest_neighbour_distance_on_hcp_lattice():
    lithium = bulk("Li", "hcp", a=3.005, c=5.5).repeat((4, 4, 3))
    chlorine = Atoms("Cl", positions=[[0.1, 0.2, 0.3]], cell=lithium.cell, pbc=True)
    frame = lithium + chlorine
    r, distance_map = nearest_neighbour_distance_map([frame, frame], r_max=6.0, bin_width=0.02)
    assert distance_map.shape == (2, r.size)
    row = distance_map[0]
    assert row.sum() * 0.02 == pytest.approx(1.0)
    assert r[np.argmax(row)] == pytest.approx(3.005, abs=0.01)
    assert np.count_nonzero(row) == 1
