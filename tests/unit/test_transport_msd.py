"""MSD by FFT against brute force, and against closed forms of synthetic random walks."""

import numpy as np
import pytest

from ionflow.analysis.transport.diffusion import (
    A2_PER_PS_TO_CM2_PER_S,
    detect_diffusive_window,
    diffusion_coefficients,
)
from ionflow.analysis.transport.msd import msd_collective, msd_self
from ionflow.trajectory.synthetic import random_walk_steps

DT_PS = 0.1


def brute_force_msd(series: np.ndarray) -> np.ndarray:
    """O(T²) MSD per axis of series (T, 3), all time origins."""
    n_t = len(series)
    return np.array([np.mean((series[lag:] - series[: n_t - lag]) ** 2, axis=0) for lag in range(n_t)])


def test_fft_msd_equals_brute_force():
    rng = np.random.default_rng(1)
    positions = 20.0 + np.cumsum(rng.standard_normal((97, 7, 3)), axis=0)
    expected_self = np.mean([brute_force_msd(positions[:, i]) for i in range(7)], axis=0)
    expected_collective = brute_force_msd(positions.sum(axis=1)) / 7
    assert np.max(np.abs(msd_self(positions) - expected_self)) < 1e-10
    assert np.max(np.abs(msd_collective(positions) - expected_collective)) < 1e-10
    assert msd_self(positions)[0] == pytest.approx([0, 0, 0], abs=1e-10)


def segment_coefficients(displacements: np.ndarray, n_segments: int, window):
    """Per-segment (D_self_axes, D_collective_axes) in cm²/s."""
    length = len(displacements) // n_segments
    segments = [displacements[i * length : (i + 1) * length] for i in range(n_segments)]
    time = np.arange(length) * DT_PS
    selfs = np.stack([msd_self(s) for s in segments])
    collectives = np.stack([msd_collective(s) for s in segments])
    return diffusion_coefficients(time, selfs, window)[0], diffusion_coefficients(time, collectives, window)[0]


def standard_error(values: np.ndarray) -> np.ndarray:
    return values.std(axis=0, ddof=1) / np.sqrt(len(values))


@pytest.mark.parametrize("group_size", [1, 4])
def test_haven_ratio_of_independent_and_rigid_groups(group_size):
    rng = np.random.default_rng(7 + group_size)
    d_input = 0.5  # Å²/ps
    walk = random_walk_steps(rng, 20000, 64, d_input, DT_PS, group_size)
    d_self, d_coll = segment_coefficients(walk, 20, (0.2, 2.0))
    haven = d_self.mean(1) / d_coll.mean(1)
    expected = 1.0 / group_size
    error = standard_error(haven)
    assert 0 < error < 0.1 * expected
    assert abs(haven.mean() - expected) < 4 * error
    assert d_self.mean() == pytest.approx(d_input * A2_PER_PS_TO_CM2_PER_S, rel=0.03)


def test_anisotropic_diffusion_per_axis():
    rng = np.random.default_rng(3)
    d_input = np.array([0.1, 0.2, 0.8])
    walk = random_walk_steps(rng, 4000, 200, d_input, DT_PS)
    d_self, _ = segment_coefficients(walk, 10, (0.2, 2.0))
    error = standard_error(d_self)
    measured = d_self.mean(0) / A2_PER_PS_TO_CM2_PER_S
    assert np.all(np.abs(measured - d_input) < 4 * error / A2_PER_PS_TO_CM2_PER_S)
    assert measured[2] / measured[0] == pytest.approx(8.0, rel=0.1)


def test_diffusive_window_found_after_ballistic_start():
    time = np.arange(2000) * DT_PS
    msd = 6 * 0.5 * time + 3.0 * (1 - np.exp(-time / 0.5))  # vibration plateau, then linear
    start, stop = detect_diffusive_window(time, msd)
    assert 5.0 < start < 30.0
    assert stop == pytest.approx(time[999], rel=1e-9)
    slope = np.polyfit(time[(time >= start) & (time <= stop)], msd[(time >= start) & (time <= stop)], 1)[0]
    assert slope == pytest.approx(3.0, rel=0.02)


def test_no_diffusive_window_is_an_error_naming_the_fix():
    time = np.arange(500) * DT_PS
    with pytest.raises(ValueError, match="fit-window-ps"):
        detect_diffusive_window(time, 2.0 * (1 - np.exp(-((time / 0.3) ** 2))))
