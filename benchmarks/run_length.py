"""How long must an MD run be for the paper's diffusive criterion? Read from validation MSDs.

For every ``validation/<phase>/T<T>/seed<s>/curves.npz`` under a results folder, the teacher's
and the student's Li MSD (Å², per axis) are fitted over their last half as MSD(t) = c + 6 D t
(the cage offset c in Å², D in Å²/ps). The local slope d log MSD / d log t = 6Dt / (c + 6Dt)
reaches 1 − ``tolerance`` at t* = (1 − tol) c / (tol · 6D); a window spanning a factor
``span`` from t*, within the first ``max_fraction`` of the lags (ionflow.analysis.transport.
diffusion.detect_diffusive_window), needs a run of span · t* / max_fraction. Prints a Markdown
table with the measured local slope at the longest trusted lag beside the estimate.

    python benchmarks/run_length.py results/fidelity/study_a
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np


def cage_and_slope(time_ps: np.ndarray, msd: np.ndarray, start: float = 0.25, stop: float = 0.5) -> tuple[float, float]:
    """(c, 6D) of a straight line through the MSD (Å²) between ``start`` and ``stop`` of the lags."""
    n = len(time_ps) - 1
    chosen = slice(int(start * n), int(stop * n) + 1)
    slope, intercept = np.polyfit(time_ps[chosen], msd[chosen], 1)
    return float(intercept), float(slope)


def required_length_ps(
    c: float, six_d: float, tolerance: float = 0.15, span: float = 3.0, max_fraction: float = 0.5
) -> float:
    """Run length (ps) for a window of local slope ≥ 1 − tolerance spanning ``span`` in time."""
    if six_d <= 0:
        return float("inf")
    t_star = (1.0 - tolerance) * max(c, 0.0) / (tolerance * six_d)
    return span * t_star / max_fraction


def local_slope(time_ps: np.ndarray, msd: np.ndarray, at: float) -> float:
    """d log MSD / d log t around the lag ``at`` (ps), over a factor 1.5 in time."""
    low, high = np.searchsorted(time_ps, [at / 1.5**0.5, at * 1.5**0.5])
    high = min(high, len(time_ps) - 1)
    return float(np.log(msd[high] / msd[low]) / np.log(time_ps[high] / time_ps[low]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="a Study A results folder with validation/")
    args = parser.parse_args()
    print("| phase | T (K) | run | run length (ps) | slope at 50 % of it | c (Å²) | D (cm²/s) | length needed (ps) |")
    print("|---|---|---|---|---|---|---|---|")
    for path in sorted(args.results.glob("validation/*/T*/seed*/curves.npz")):
        phase, temperature = path.parts[-4], path.parts[-3][1:]
        curves = np.load(path)
        time_ps = curves["time_ps"]
        for run in ("teacher", "student"):
            msd = curves[f"msd_{run}"]
            msd = msd.sum(axis=1) if msd.ndim == 2 else msd
            c, six_d = cage_and_slope(time_ps, msd)
            length = time_ps[-1]
            print(
                f"| {phase} | {temperature} | {run} | {length:.0f} | {local_slope(time_ps, msd, 0.5 * length):.2f} | "
                f"{c:.1f} | {six_d / 6 * 1e-4:.2e} | {required_length_ps(c, six_d):.0f} |"
            )


if __name__ == "__main__":
    main()
