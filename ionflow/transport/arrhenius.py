"""Arrhenius fit ln σ = ln σ0 − E_a / (k_B T) (Eq. 14) with propagated uncertainties."""

import numpy as np
from scipy.constants import Boltzmann, electron_volt

K_B_EV = Boltzmann / electron_volt  # eV/K


def fit_arrhenius(temperature_K, sigma_S_cm, sigma_std=None) -> dict:
    """Fit ln σ against 1/T; return E_a (eV), σ(300 K) (S/cm), their std, ln σ0 and r².

    Without `sigma_std` the fit is unweighted and the covariance is scaled by the
    residual variance (needs ≥ 3 temperatures for a std; None otherwise). With
    `sigma_std` (S/cm), points are weighted by 1/var(ln σ) = (σ/σ_std)² and the
    covariance is (AᵀWA)⁻¹, i.e. the given errors are taken as absolute. σ(300 K)
    std follows from the covariance of (ln σ0, slope) by the delta method.
    """
    temperature = np.asarray(temperature_K, float)
    sigma = np.asarray(sigma_S_cm, float)
    if len(temperature) != len(sigma) or len(sigma) < 2:
        raise ValueError("fit_arrhenius needs ≥ 2 temperatures with one σ each")
    if np.any(sigma <= 0) or np.any(temperature <= 0):
        raise ValueError(f"σ and T must be positive for ln σ vs 1/T; got σ={sigma}, T={temperature}")
    design = np.column_stack([np.ones_like(temperature), 1.0 / temperature])
    ln_sigma = np.log(sigma)
    if sigma_std is None:
        weights = np.ones_like(sigma)
    else:
        std = np.asarray(sigma_std, float)
        if np.any(~np.isfinite(std)) or np.any(std <= 0):
            raise ValueError(f"sigma_std must be positive and finite; got {std}")
        weights = (sigma / std) ** 2
    normal = design.T @ (design * weights[:, None])
    coefficients = np.linalg.solve(normal, design.T @ (weights * ln_sigma))
    residuals = ln_sigma - design @ coefficients
    n_free = len(sigma) - 2
    if sigma_std is not None:
        covariance = np.linalg.inv(normal)
    elif n_free > 0:
        covariance = np.linalg.inv(normal) * (residuals @ residuals) / n_free
    else:
        covariance = None
    total = ((ln_sigma - ln_sigma.mean()) ** 2).sum()
    ln_sigma0, slope = coefficients
    at_300 = np.array([1.0, 1.0 / 300.0])
    sigma_300 = float(np.exp(at_300 @ coefficients))
    return {
        "E_a_eV": float(-slope * K_B_EV),
        "E_a_eV_std": None if covariance is None else float(K_B_EV * np.sqrt(covariance[1, 1])),
        "sigma_300K_S_cm": sigma_300,
        "sigma_300K_S_cm_std": None if covariance is None else float(sigma_300 * np.sqrt(at_300 @ covariance @ at_300)),
        "ln_sigma0": float(ln_sigma0),
        "r2": float(1.0 - (residuals @ residuals) / total) if total > 0 else 1.0,
    }


def arrhenius_sigma(inverse_temperature: np.ndarray, E_a_eV: float, sigma_300K_S_cm: float) -> np.ndarray:
    """σ (S/cm) on the Arrhenius line through σ(300 K) with slope −E_a/k_B, at 1000/T values
    ``inverse_temperature`` (1000/K)."""
    return sigma_300K_S_cm * np.exp(-E_a_eV / K_B_EV * (np.asarray(inverse_temperature) / 1000.0 - 1.0 / 300.0))
