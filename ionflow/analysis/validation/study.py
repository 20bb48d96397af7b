"""Orchestration of one phase's validation at one temperature (what the Snakemake script calls)."""

from __future__ import annotations

import numpy as np

from ionflow.analysis.parity import force_parity_table, parity_metrics
from ionflow.analysis.validation.dynamics import trajectory_summary
from ionflow.analysis.validation.ensemble import NO_ENSEMBLE, ensemble_checks
from ionflow.analysis.validation.verdict import compare


def force_parity_by_element(parity: dict[str, np.ndarray]) -> tuple[dict[str, float], dict[str, float]]:
    """Per element, from a ``parity.npz`` of ``dp test``: the lowest force-parity R² over x, y and
    z, and the slope of predicted on reference forces through the origin (x, y and z together;
    below 1 the model's forces are too weak)."""
    rows = force_parity_table(parity["force_ref"], parity["force_pred"], parity["element"])
    worst: dict[str, float] = {}
    for row in rows:
        if row["element"] != "all":
            element = str(row["element"])
            worst[element] = min(worst.get(element, np.inf), row["r2"])
    elements = np.asarray(parity["element"])
    slopes = {}
    for element in worst:
        chosen = elements == element
        slopes[element] = parity_metrics(parity["force_ref"][chosen], parity["force_pred"][chosen])["slope"]
    return worst, slopes


def validate_phase(
    phase: str,
    temperature_K: float,
    teacher_path,
    student_path,
    dt_ps: float,
    type_map,
    min_distance_A: float,
    tolerance: dict,
    r_max_A: float = 6.0,
    window_ps=None,
    parity: dict | None = None,
    student_format: str = "lammps-dump",
    mobile: str = "Li",
    ensemble: dict | None = None,
) -> tuple[dict, dict]:
    """Teacher (extxyz) and student (``student_format``: a LAMMPS dump, or extxyz from CPUNEP or
    GPUMD) trajectories of one phase at ``temperature_K`` → (validation row, curves for the
    figure: time_ps, MSD and RDFs of both runs).

    The student's D (of the ``mobile`` element) is fitted over the teacher's window, so both
    coefficients cover the same lag times. ``ensemble``: the arrays of
    :func:`ionflow.potentials.ensemble_energies.ensemble_energies`, for the ensemble gap and the
    force errors on both runs' frames (columns NaN, with the reason, without them).
    """
    teacher = trajectory_summary(
        teacher_path, "extxyz", type_map, dt_ps, mobile, type_map, r_max_A=r_max_A, window_ps=window_ps
    )
    student = trajectory_summary(
        student_path,
        student_format,
        type_map,
        dt_ps,
        mobile,
        type_map,
        r_max_A=r_max_A,
        window_ps=teacher["fit_window_ps"],
    )
    row = compare(
        phase,
        temperature_K,
        teacher,
        student,
        min_distance_A,
        tolerance,
        *((None, None) if parity is None else force_parity_by_element(parity)),
    )
    row["fit_window_ps"] = " ".join(f"{t:g}" for t in teacher["fit_window_ps"])
    row.update(ensemble_checks(ensemble, temperature_K) if ensemble is not None else NO_ENSEMBLE)
    curves = {"time_ps": teacher["time_ps"], "r_A": teacher["r_A"]}
    for name, run in (("teacher", teacher), ("student", student)):
        curves[f"msd_{name}"] = run["msd"][: len(teacher["time_ps"])]
        curves.update({f"rdf_{name}_{pair}": g for pair, g in run["rdfs"].items()})
    return row, curves
