"""Occupancy autocorrelation of telegraph processes, residence times and jump lengths."""

import numpy as np
import pytest
from ase import Atoms

from ionflow.analysis.structure.residence import (
    jump_length_angstrom,
    neighbour_occupancy_keys,
    occupancy_autocorrelation,
    occupancy_autocorrelation_blocks,
    residence_time,
    site_occupancy_keys,
)

K_ON, K_OFF, INTERVAL = 0.5, 1.0, 0.1  # 1/ps, 1/ps, ps
P_ON, K_TOTAL = K_ON / (K_ON + K_OFF), K_ON + K_OFF


def analytic_c(tau):
    """Normalised <β(0)β(τ)>/<β> of a stationary two-state process."""
    return P_ON + (1.0 - P_ON) * np.exp(-K_TOTAL * tau)


def telegraph(n_series, n_frames, seed):
    """Exactly sampled stationary telegraph series, shape (n_frames, n_series), 1 = on."""
    rng = np.random.default_rng(seed)
    stay_on = P_ON + (1.0 - P_ON) * np.exp(-K_TOTAL * INTERVAL)
    turn_on = P_ON * (1.0 - np.exp(-K_TOTAL * INTERVAL))
    state = rng.random(n_series) < P_ON
    series = []
    for _ in range(n_frames):
        series.append(state.copy())
        draw = rng.random(n_series)
        state = np.where(state, draw < stay_on, draw < turn_on)
    return np.array(series)


def test_site_occupancy_of_telegraph_process():
    n_li = 125
    sites = np.stack(np.meshgrid(*[np.arange(5) * 8.0] * 3, indexing="ij"), -1).reshape(-1, 3) + 1.0
    away = np.array([0.0, 0.0, 3.0])
    frames = (
        Atoms(["Li"] * n_li, positions=sites + np.where(on[:, None], 0.0, away), cell=np.eye(3) * 40.0, pbc=True)
        for on in telegraph(n_li, 2000, seed=4)
    )
    tau, c = occupancy_autocorrelation(site_occupancy_keys(frames, sites, r_site=1.0), 3.0, INTERVAL)
    assert c[0] == 1.0
    np.testing.assert_allclose(c, analytic_c(tau), atol=0.03)


def test_neighbour_occupancy_of_telegraph_process():
    n_pairs = 64
    anchors = np.stack(np.meshgrid(*[np.arange(4) * 12.0] * 3, indexing="ij"), -1).reshape(-1, 3)
    frames = []
    for on in telegraph(n_pairs, 1500, seed=5):
        partner = anchors + np.where(on[:, None], [2.5, 0.0, 0.0], [6.0, 0.0, 0.0])
        frames.append(
            Atoms(["Li"] * (2 * n_pairs), positions=np.vstack([anchors, partner]), cell=np.eye(3) * 48.0, pbc=True)
        )
    tau, c = occupancy_autocorrelation(neighbour_occupancy_keys(frames, cutoff=4.0), 3.0, INTERVAL)
    np.testing.assert_allclose(c, analytic_c(tau), atol=0.04)


def test_residence_time_conventions_integrate_c():
    tau = np.linspace(0.0, 6.0, 6001)
    closed_form = P_ON * tau[-1] + (1.0 - P_ON) * (1.0 - np.exp(-K_TOTAL * tau[-1])) / K_TOTAL
    assert residence_time(tau, analytic_c(tau), "plain") == pytest.approx(closed_form, rel=1e-6)
    assert residence_time(tau, analytic_c(tau)) == pytest.approx(2.0 * closed_form, rel=1e-6)
    # a site left at rate K_OFF and never re-entered: plain integral = mean dwell time 1/K_OFF
    tau_long = np.linspace(0.0, 30.0, 30001)
    assert residence_time(tau_long, np.exp(-K_OFF * tau_long), "plain") == pytest.approx(1.0 / K_OFF, rel=1e-6)
    with pytest.raises(ValueError, match="convention"):
        residence_time(tau, analytic_c(tau), "twice")


def test_jump_length_by_hand():
    # 6 · 1e-5 cm²/s · 1e16 Å²/cm² · 10 ps · 1e-12 s/ps = 6 Å²
    assert jump_length_angstrom(1.0e-5, 10.0) == pytest.approx(np.sqrt(6.0), rel=1e-12)
    # Table 3 ordered α: τ = 5.488 ps and l = 3.44 Å imply D_i = l²/(6τ) = 3.594e-5 cm²/s
    assert jump_length_angstrom(3.594e-5, 5.488) == pytest.approx(3.44, abs=0.005)


def test_block_correlations_are_those_of_each_block_alone():
    """A telegraph run of 2,500 frames in blocks of 1,000: two blocks, each the c(τ) of its own
    frames (origins and lags inside the block), the whole run's c(τ) unchanged; the spread of
    the two blocks' residence times brackets the analytic one; blocks that cannot hold the longest
    lag give none."""
    n_li = 64
    sites = np.stack(np.meshgrid(*[np.arange(4) * 8.0] * 3, indexing="ij"), -1).reshape(-1, 3) + 1.0
    away = np.array([0.0, 0.0, 3.0])
    frames = [
        Atoms(["Li"] * n_li, positions=sites + np.where(on[:, None], 0.0, away), cell=np.eye(3) * 32.0, pbc=True)
        for on in telegraph(n_li, 2500, seed=6)
    ]
    keys = list(site_occupancy_keys(frames, sites, r_site=1.0))
    tau, c, blocks = occupancy_autocorrelation_blocks(iter(keys), 3.0, INTERVAL, block_frames=1000)
    assert len(blocks) == 2
    np.testing.assert_array_equal(c, occupancy_autocorrelation(iter(keys), 3.0, INTERVAL)[1])
    for block, chosen in zip(blocks, (keys[:1000], keys[1000:2000])):
        np.testing.assert_array_equal(block, occupancy_autocorrelation(iter(chosen), 3.0, INTERVAL)[1])
    times = [residence_time(tau, block, "plain") for block in blocks]
    exact = residence_time(tau, analytic_c(tau), "plain")
    assert min(times) - 0.2 < exact < max(times) + 0.2
    assert occupancy_autocorrelation_blocks(iter(keys), 3.0, INTERVAL, block_frames=30)[2] == []  # lag 3 ps: 30 frames
