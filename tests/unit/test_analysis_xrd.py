"""XRD peak positions of cubic crystals from Bragg's law by hand."""

import numpy as np
import pytest
from ase.build import bulk
from scipy.signal import find_peaks

from ionflow.analysis.structure.xrd import mean_xrd_pattern, xrd_pattern

WAVELENGTH = 1.5406
A_CU = 3.615


def bragg_two_theta(a, hkl_squared):
    return np.degrees(2.0 * np.arcsin(WAVELENGTH * np.sqrt(hkl_squared) / (2.0 * a)))


def peak_positions(two_theta, intensity):
    peaks, _ = find_peaks(intensity, prominence=0.01 * intensity.max())
    return two_theta[peaks]


def test_fcc_peaks_follow_bragg_and_extinction():
    two_theta = np.arange(20.0, 100.0, 0.01)
    intensity = xrd_pattern(bulk("Cu", "fcc", a=A_CU, cubic=True), two_theta, fwhm_deg=0.1)
    # fcc: h, k, l all odd or all even -> (111), (200), (220), (311), (222); no (100), (110)
    expected = bragg_two_theta(A_CU, np.array([3, 4, 8, 11, 12]))
    np.testing.assert_allclose(peak_positions(two_theta, intensity), expected, atol=0.015)


def test_frame_average_of_rattled_supercells_keeps_peaks():
    two_theta = np.arange(20.0, 80.0, 0.01)
    frames = []
    for seed in range(2):
        atoms = bulk("Cu", "fcc", a=A_CU, cubic=True).repeat(2)
        atoms.rattle(0.03, seed=seed)
        frames.append(atoms)
    intensity = mean_xrd_pattern(frames, two_theta, fwhm_deg=0.1)
    expected = bragg_two_theta(A_CU, np.array([3, 4, 8, 11, 12]))
    np.testing.assert_allclose(peak_positions(two_theta, intensity), expected[expected < 80.0], atol=0.015)


def test_simple_cubic_shows_every_reflection():
    two_theta = np.arange(20.0, 60.0, 0.01)
    intensity = xrd_pattern(bulk("Po", "sc", a=3.35), two_theta, fwhm_deg=0.1)
    expected = bragg_two_theta(3.35, np.array([1, 2, 3, 4]))
    np.testing.assert_allclose(peak_positions(two_theta, intensity), expected[expected < 60.0], atol=0.015)
    assert np.trapezoid(intensity, two_theta) == pytest.approx(intensity.sum() * 0.01, rel=1e-3)
