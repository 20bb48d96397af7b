"""Diffusive window, diffusion coefficients and Nernst–Einstein conductivity (Eqs. 10–13)."""

import numpy as np
from scipy.constants import Boltzmann, elementary_charge

A2_PER_PS_TO_CM2_PER_S = 1e-4  # 1 Å²/ps = 1e-16 cm² / 1e-12 s
PER_A3_TO_PER_CM3 = 1e24


class DiffusiveWindowError(ValueError):
    """No time window where the MSD grows linearly; pass an explicit fit window."""


def detect_diffusive_window(
    time_ps: np.ndarray,
    msd: np.ndarray,
    tolerance: float = 0.15,
    max_fraction: float = 0.5,
    n_points: int = 40,
    min_ratio: float = 3.0,
) -> tuple[float, float]:
    """Longest time window (ps) where d log MSD / d log t stays within 1 ± `tolerance` (Eq. 11).

    The window must span at least a factor `min_ratio` in time.
    time_ps: (n_t,) lag times, time_ps[0] = 0. msd: (n_t,) 3D MSD in Å².
    The slope is taken between `n_points` log-spaced lags up to `max_fraction` of the
    longest lag (longer lags have too few time origins to be trusted).
    """
    last = max(2, int(max_fraction * (len(time_ps) - 1)))
    lags = np.unique(np.geomspace(1, last, n_points).astype(int))
    values = msd[lags]
    if len(lags) < 2 or np.any(values <= 0):
        raise DiffusiveWindowError(
            f"MSD is not positive up to t = {time_ps[last]:g} ps; the ions do not move: "
            "run longer or pass fit_window_ps (CLI --fit-window-ps T0 T1)"
        )
    slope = np.diff(np.log(values)) / np.diff(np.log(time_ps[lags]))
    linear = np.abs(slope - 1.0) <= tolerance
    best, best_span, start = None, 0.0, None
    for index, ok in enumerate([*linear, False]):
        if ok and start is None:
            start = index
        elif not ok and start is not None:
            span = np.log(time_ps[lags[index]] / time_ps[lags[start]])
            if span > best_span:
                best, best_span = (start, index), span
            start = None
    if best is None or best_span < np.log(min_ratio):
        raise DiffusiveWindowError(
            f"no window spanning a factor {min_ratio:g} in time with d log MSD / d log t = 1 ± {tolerance} "
            f"up to t = {time_ps[last]:g} ps "
            f"(slopes {slope.min():.2f}–{slope.max():.2f}); the ions may not be diffusive yet: run "
            "longer or pass fit_window_ps (CLI --fit-window-ps T0 T1)"
        )
    return float(time_ps[lags[best[0]]]), float(time_ps[lags[best[1]]])


def msd_log_slope(time_ps: np.ndarray, msd: np.ndarray, window: tuple[float, float]) -> float:
    """Least-squares slope of log MSD against log t over the lags in `window` (ps) with t > 0.

    1 in the diffusive regime, 2 ballistic, < 1 caged (paper 1, Eq. 11). msd: (n_t,) in Å².
    NaN when the window holds fewer than 2 positive lags.
    """
    inside = (time_ps >= window[0]) & (time_ps <= window[1]) & (time_ps > 0) & (msd > 0)
    if inside.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log(time_ps[inside]), np.log(msd[inside]), 1)[0])


def fit_window(
    time_ps: np.ndarray, msd: np.ndarray, window_ps=None, tolerance: float = 0.15
) -> tuple[tuple[float, float], float, bool, str]:
    """The D fit window (ps) and whether the MSD is diffusive over it (paper 1, Eq. 11).

    ``window_ps`` None: detected (:func:`detect_diffusive_window`), or 20–50 % of the lags when
    no window exists. Returns (window, d log MSD / d log t over it, slope within 1 ± ``tolerance``,
    a note saying why not, else ""). msd: (n_t,) 3D MSD in Å².
    """
    note = ""
    if window_ps is None:
        try:
            window_ps = detect_diffusive_window(time_ps, msd, tolerance=tolerance)
        except DiffusiveWindowError as err:
            window_ps, note = (0.2 * time_ps[-1], 0.5 * time_ps[-1]), str(err).split(";")[0]
    window_ps = (float(window_ps[0]), float(window_ps[1]))
    slope = msd_log_slope(time_ps, msd, window_ps)
    diffusive = bool(abs(slope - 1.0) <= tolerance)
    if not diffusive and not note:
        note = f"d log MSD / d log t = {slope:.2f} over {window_ps[0]:g}-{window_ps[1]:g} ps, not 1 ± {tolerance:g}"
    return window_ps, slope, diffusive, note


def msd_slope(time_ps: np.ndarray, msd: np.ndarray, window: tuple[float, float]) -> np.ndarray:
    """Least-squares slope (Å²/ps, with free intercept) of `msd` over t in `window` (ps).

    msd: (..., n_t, k) — the lag axis is the second to last; returns shape (..., k).
    """
    inside = (time_ps >= window[0]) & (time_ps <= window[1])
    if inside.sum() < 2:
        raise ValueError(
            f"fit window {window} ps holds fewer than 2 lags of the MSD (0–{time_ps[-1]:g} ps); "
            "widen it or use a smaller dt"
        )
    t = time_ps[inside] - time_ps[inside].mean()
    y = msd[..., inside, :]
    return np.einsum("t,...tk->...k", t, y) / np.dot(t, t)


def diffusion_coefficients(time_ps, msd_axes, window) -> tuple[np.ndarray, np.ndarray]:
    """Per-axis D_α = MSD_α/(2t) and 3D D = MSD/(6t) in cm²/s (Eq. 10).

    msd_axes: (..., n_t, 3) per-axis MSD in Å². Returns (D_axes (..., 3), D (...,)).
    """
    d_axes = msd_slope(time_ps, msd_axes, window) / 2.0 * A2_PER_PS_TO_CM2_PER_S
    return d_axes, d_axes.mean(axis=-1)


def ratio_with_error(a: float, a_se: float, b: float, b_se: float) -> tuple[float, float]:
    """a / b and its standard error by first-order propagation of independent errors."""
    if b == 0:
        return float("nan"), float("nan")
    ratio = a / b
    relative = np.hypot(a_se / a if a else np.inf, b_se / b)
    return float(ratio), float(abs(ratio) * relative)


def nernst_einstein_conductivity(d_cm2_s, n_ions: int, volume_A3: float, temperature_K: float, charge: int = 1):
    """σ = c e² Z² D / (k_B T) in S/cm (Eq. 13); c = n_ions / volume, D in cm²/s."""
    concentration = n_ions / volume_A3 * PER_A3_TO_PER_CM3
    return concentration * (charge * elementary_charge) ** 2 * np.asarray(d_cm2_s) / (Boltzmann * temperature_K)
