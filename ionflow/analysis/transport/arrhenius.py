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


MIN_TEMPERATURES = 3


def supported_arrhenius(
    temperature_K, values, standard_errors=None, diffusive=None, min_temperatures: int = MIN_TEMPERATURES
) -> dict:
    """Arrhenius fit of a positive quantity (σ in S/cm, or D in cm²/s) only where the data support one.

    A temperature enters the fit when its run was diffusive (``diffusive[i]``, d log MSD/d log t ≈ 1
    in the fit window) and its value is positive and finite. The fit needs ``min_temperatures``
    such temperatures (two points always lie on a line) and must give E_a > 0 (an activated
    process). Otherwise every number is NaN and ``note`` says why; never an extrapolation of
    noise. ``standard_errors`` (same unit as ``values``) weight the fit when all are positive,
    else the covariance comes from the residuals. Returns the keys of :func:`fit_arrhenius`
    (``*_std`` being standard errors of the fitted parameters, NaN where unknown), plus
    ``temperatures_used_K`` and ``note``.
    """
    temperature = np.asarray(temperature_K, float)
    value = np.asarray(values, float)
    errors = (
        np.full_like(value, np.nan)
        if standard_errors is None
        else np.array([np.nan if e is None else e for e in standard_errors], float)
    )
    ok = np.ones(len(value), bool) if diffusive is None else np.asarray(diffusive, bool)
    notes = [f"not diffusive at {t:g} K" for t in temperature[~ok]]
    bad = ok & ~(np.isfinite(value) & (value > 0))
    notes += [f"value ≤ 0 at {t:g} K (noise larger than the signal)" for t in temperature[bad]]
    used = ok & ~bad
    result = {
        "E_a_eV": np.nan,
        "E_a_eV_std": np.nan,
        "sigma_300K_S_cm": np.nan,
        "sigma_300K_S_cm_std": np.nan,
        "ln_sigma0": np.nan,
        "r2": np.nan,
        "temperatures_used_K": temperature[used].tolist(),
    }
    if used.sum() < min_temperatures:
        notes.append(f"{int(used.sum())} usable temperature(s), an Arrhenius fit needs ≥ {min_temperatures}")
        return dict(result, note="; ".join(notes))
    weights = errors[used]
    fit = fit_arrhenius(
        temperature[used], value[used], weights if np.all(np.isfinite(weights) & (weights > 0)) else None
    )
    if fit["E_a_eV"] <= 0:
        notes.append(f"fitted E_a = {fit['E_a_eV']:.3g} eV ≤ 0: not an activated process, no extrapolation")
        return dict(result, note="; ".join(notes))
    fit = {key: (np.nan if number is None else number) for key, number in fit.items()}
    return dict(fit, temperatures_used_K=temperature[used].tolist(), note="; ".join(notes))
