"""Powder X-ray diffraction patterns (Eqs. 21-23, Fig. 10a) of MD frames, averaged on a
common 2θ grid, with pymatgen's XRDCalculator (Cu Kα1 by default)."""

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
from ase import Atoms
from pymatgen.analysis.diffraction.xrd import XRDCalculator
from pymatgen.io.ase import AseAtomsAdaptor

from ionflow.plotting import figure_style, panel_grid, save_figure

CU_K_ALPHA1_ANGSTROM = 1.5406


def xrd_pattern(
    atoms: Atoms, two_theta_deg: np.ndarray, fwhm_deg: float = 0.2, wavelength: float = CU_K_ALPHA1_ANGSTROM
) -> np.ndarray:
    """Intensity of ``atoms`` on the grid ``two_theta_deg`` (degrees), unscaled.

    pymatgen's stick pattern |F_hkl|² · LP (Lorentz-polarisation factor, no Debye-Waller
    term) for ``wavelength`` (Å), each line broadened by a unit-area Gaussian of full width
    at half maximum ``fwhm_deg``. Unscaled intensities of frames of the same cell can be
    averaged; scale to the maximum only for display.
    """
    calculator = XRDCalculator(wavelength=wavelength)
    margin = 5.0 * fwhm_deg
    sticks = calculator.get_pattern(
        AseAtomsAdaptor.get_structure(atoms),
        scaled=False,
        two_theta_range=(max(two_theta_deg[0] - margin, 0.0), min(two_theta_deg[-1] + margin, 180.0)),
    )
    sigma = fwhm_deg / (2.0 * np.sqrt(2.0 * np.log(2.0)))
    offsets = (two_theta_deg[:, None] - np.asarray(sticks.x)[None, :]) / sigma
    return np.exp(-0.5 * offsets**2) @ np.asarray(sticks.y) / (sigma * np.sqrt(2.0 * np.pi))


def mean_xrd_pattern(
    frames: Iterable[Atoms], two_theta_deg: np.ndarray, fwhm_deg: float = 0.2, wavelength: float = CU_K_ALPHA1_ANGSTROM
) -> np.ndarray:
    """``xrd_pattern`` averaged over ``frames`` (streamed), unscaled. Pass a strided
    selection of frames: each frame of a production supercell costs seconds (docs/performance.md)."""
    total = np.zeros_like(two_theta_deg, dtype=float)
    n_frames = 0
    for atoms in frames:
        total += xrd_pattern(atoms, two_theta_deg, fwhm_deg, wavelength)
        n_frames += 1
    if n_frames == 0:
        raise ValueError("mean_xrd_pattern got no frames; check the trajectory path and frame selection")
    return total / n_frames


def plot_xrd_patterns(two_theta_deg: np.ndarray, patterns: Mapping[str, np.ndarray], path: str | Path) -> Path:
    """Fig. 10a: patterns scaled to a maximum of 100 and stacked with offsets, first on top."""
    with figure_style():
        fig, axes = panel_grid(1, 1)
        ax = axes[0, 0]
        colours = ["k", "0.55", "tab:blue", "tab:red"]
        for k, (name, intensity) in enumerate(patterns.items()):
            offset = 110.0 * (len(patterns) - 1 - k)
            ax.plot(two_theta_deg, 100.0 * intensity / intensity.max() + offset, color=colours[k % 4], label=name)
        ax.set_xlabel("2θ (°, Cu Kα$_1$)")
        ax.set_ylabel("intensity (scaled, offset)")
        ax.set_xlim(two_theta_deg[0], two_theta_deg[-1])
        ax.set_yticks([])
        ax.legend(loc="upper right")
        fig.tight_layout()
        return save_figure(fig, path)
