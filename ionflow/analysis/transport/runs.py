"""Transport from one or more runs: segment, MSD by FFT, average, fit, report with spreads."""

from dataclasses import dataclass

import numpy as np

from ionflow.analysis.statistics import standard_error
from ionflow.analysis.transport.diffusion import (
    diffusion_coefficients,
    fit_window,
    nernst_einstein_conductivity,
    ratio_with_error,
)
from ionflow.analysis.transport.msd import msd_collective, msd_self
from ionflow.trajectory.species import ProgressCallback, read_species_trajectory

AXES = ("x", "y", "z")


def _curve_spread(curves: np.ndarray) -> np.ndarray:
    """Sample std over segments (axis 0) of MSD curves; zeros for a single segment."""
    return np.std(curves, axis=0, ddof=1) if len(curves) > 1 else np.zeros_like(curves[0])


def _spread(values: np.ndarray):
    """Sample std over segments (axis 0), or None for a single segment."""
    if len(values) < 2:
        return None
    std = np.std(values, axis=0, ddof=1)
    return std.tolist() if np.ndim(std) else float(std)


def _mean_and_spread(d_self: np.ndarray, d_collective: np.ndarray, sigma: np.ndarray) -> dict:
    """Mean, `_std` (spread) and `_sem` (standard error) over segments of per-segment D_self,
    D_collective (cm²/s) and σ (S/cm), and the Haven ratio with its propagated standard error."""
    entry = {}
    for key, values in (("D_self_cm2_s", d_self), ("D_collective_cm2_s", d_collective), ("sigma_S_cm", sigma)):
        entry[key], entry[f"{key}_std"] = float(values.mean()), _spread(values)
        entry[f"{key}_sem"] = standard_error(values)
    # the ratio of the mean coefficients, steadier than the mean of per-segment ratios
    entry["haven_ratio"], entry["haven_ratio_sem"] = ratio_with_error(
        entry["D_self_cm2_s"], entry["D_self_cm2_s_sem"], entry["D_collective_cm2_s"], entry["D_collective_cm2_s_sem"]
    )
    entry["haven_ratio_std"] = _spread(d_self / d_collective)
    return entry


@dataclass
class TransportResult:
    """Averaged MSDs and per-segment diffusion coefficients of one species at one temperature.

    time_ps: (n_t,) lag times, ps. msd_self / msd_collective: (n_t, 3) per-axis MSD, Å²,
    averaged over segments; the `_std` arrays are their sample std over segments (zero for one).
    D_self_segments / D_collective_segments: (n_segments, 3) per-axis D of each segment, cm²/s.
    msd_log_slope: d log MSD / d log t of the averaged self MSD over the fit window; the run is
    ``diffusive`` when it is 1 within the tolerance (paper 1, Eq. 11), and ``note`` says why not.
    """

    time_ps: np.ndarray
    msd_self: np.ndarray
    msd_self_std: np.ndarray
    msd_collective: np.ndarray
    msd_collective_std: np.ndarray
    fit_window_ps: tuple[float, float]
    n_segments_total: int
    D_self_segments: np.ndarray
    D_collective_segments: np.ndarray
    temperature_K: float
    n_ions: int
    volume_A3: float
    charge: int
    msd_log_slope: float = float("nan")
    diffusive: bool = False
    note: str = ""
    sigma_from: str = "collective"

    def _sigma(self, d_cm2_s):
        return nernst_einstein_conductivity(d_cm2_s, self.n_ions, self.volume_A3, self.temperature_K, self.charge)

    def to_json(self) -> dict:
        """JSON-ready summary.

        Totals: D = MSD/(6t) and σ from Eq. 13 with the collective D. Directional entries:
        D_α = MSD_α/(2t), the one-dimensional diffusion coefficient along α, and σ_α its
        contribution c e² Z² (MSD_α/6t)/(k_B T) to the total, so that σ_x + σ_y + σ_z is the
        total σ, as in paper Table 2 ("decomposed" conductivities adding up to the
        cumulative one). The conductivity-tensor component along α is 3 σ_α. `_std` is the
        std over segments (None for a single segment)."""
        d_self, d_coll = self.D_self_segments, self.D_collective_segments
        sigma_axes = self._sigma(d_coll if self.sigma_from == "collective" else d_self) / 3.0
        directional = {
            axis: _mean_and_spread(d_self[:, index], d_coll[:, index], sigma_axes[:, index])
            for index, axis in enumerate(AXES)
        }
        summary = _mean_and_spread(d_self.mean(1), d_coll.mean(1), sigma_axes.sum(1))
        return {
            **summary,
            "fit_window_ps": [round(float(t), 9) for t in self.fit_window_ps],  # drop arange round-off
            "temperature_K": float(self.temperature_K),
            "n_ions": int(self.n_ions),
            "volume_A3": float(self.volume_A3),
            "n_segments": int(self.n_segments_total),
            "segment_frames": len(self.time_ps),
            "sigma_from": self.sigma_from,
            "msd_log_slope": float(self.msd_log_slope),
            "diffusive": bool(self.diffusive),
            "note": self.note,
            "directional": directional,
        }


def _segment_msds(positions: np.ndarray, n_segments: int, path: str):
    length = len(positions) // n_segments
    if length < 4:
        raise ValueError(
            f"{path}: {len(positions)} frames cannot make {n_segments} segments of ≥ 4 frames; "
            "use fewer segments (--segments)"
        )
    for start in range(0, n_segments * length, length):
        segment = positions[start : start + length]
        yield msd_self(segment), msd_collective(segment)


def analyse_runs(
    paths,
    species: str = "Li",
    *,
    temperature_K: float,
    dt_ps: float,
    charge: int = 1,
    n_segments: int = 1,
    fit_window_ps: tuple[float, float] | None = None,
    fmt: str = "auto",
    type_map=None,
    max_frames: int | None = None,
    progress: ProgressCallback | None = None,
    slope_tolerance: float = 0.15,
    sigma_from: str = "collective",
) -> TransportResult:
    """Self and collective diffusion, Haven ratio and conductivity of `species` from runs.

    paths: one trajectory path or a list of independent runs at `temperature_K` (K).
    dt_ps: time between stored frames, ps. Each run is cut into `n_segments` equal
    segments; the MSD of every segment (FFT, all time origins) is averaged over all
    segments of all runs (truncated to the shortest segment). The fit window (ps) is
    detected on the averaged self MSD (d log MSD / d log t ≈ 1) unless given. A run is
    ``diffusive`` when the log-log slope of that MSD over the window is 1 ± `slope_tolerance`;
    when no diffusive window exists, D is still fitted over 20–50 % of the lags and the result
    says it is not diffusive (tables then leave it out). σ is Nernst–Einstein with the
    collective D (paper 1, Eq. 13) or, with ``sigma_from="self"``, with the tracer D (paper 2; the
    collective MSD needs runs far longer than its lag times to converge).
    """
    if sigma_from not in ("collective", "self"):
        raise ValueError(f"sigma_from must be 'collective' or 'self', got {sigma_from!r}")
    paths = [paths] if isinstance(paths, str) or not hasattr(paths, "__iter__") else list(paths)
    if not paths:
        raise ValueError("analyse_runs needs at least one trajectory path")
    selfs, collectives, volumes, n_ions = [], [], [], None
    for path in paths:
        trajectory = read_species_trajectory(path, species, fmt, type_map, max_frames, progress)
        n_run = trajectory.positions.shape[1]
        if n_ions is not None and n_run != n_ions:
            raise ValueError(f"{path}: {n_run} {species} ions, earlier runs had {n_ions}; runs must match")
        n_ions = n_run
        volumes.append(trajectory.volume_A3)
        for self_msd, collective_msd in _segment_msds(trajectory.positions, n_segments, str(path)):
            selfs.append(self_msd)
            collectives.append(collective_msd)
        del trajectory
    n_t = min(len(msd) for msd in selfs)
    selfs = np.stack([msd[:n_t] for msd in selfs])
    collectives = np.stack([msd[:n_t] for msd in collectives])
    time_ps = np.arange(n_t) * dt_ps
    msd_mean = selfs.mean(axis=0)
    window, slope, diffusive, note = fit_window(time_ps, msd_mean.sum(1), fit_window_ps, slope_tolerance)
    d_self, _ = diffusion_coefficients(time_ps, selfs, window)
    d_collective, _ = diffusion_coefficients(time_ps, collectives, window)
    return TransportResult(
        time_ps=time_ps,
        msd_self=msd_mean,
        msd_self_std=_curve_spread(selfs),
        msd_collective=collectives.mean(axis=0),
        msd_collective_std=_curve_spread(collectives),
        fit_window_ps=window,
        n_segments_total=len(selfs),
        D_self_segments=d_self,
        D_collective_segments=d_collective,
        temperature_K=temperature_K,
        n_ions=n_ions,
        volume_A3=float(np.mean(volumes)),
        charge=charge,
        msd_log_slope=slope,
        diffusive=diffusive,
        note=note,
        sigma_from=sigma_from,
    )
