"""Teacher vs student: one row of ``tables/potential_validation.csv`` with a verdict.

A learned potential passes at one temperature when every check its data can assess holds:
- Li self-diffusion D_student / D_teacher inside ``tolerance["D_ratio"]``, both fitted over the
  same window; when the teacher's MSD is not yet linear (d log MSD / d log t < 1) D is the MSD
  slope over that window and the note says so; when the teacher's Li do not hop at all
  (slope < ``HOPPING_SLOPE``) the comparison is not assessable, unless the student's Li hop: that
  fails;
- the sign of log(D_z/D_x) kept where the teacher resolves it (|D_z/D_x − 1| > 2 standard errors);
- every partial RDF close to the teacher's: mean |g_student − g_teacher| (the Fig. S3 score) at
  most ``tolerance["rdf_mad"]`` or twice the teacher's own first-half vs second-half score,
  whichever is larger (a Li sublattice that rearranges during the run sets that floor);
- every first RDF peak the teacher has, the student has too, within ``tolerance["peak_shift_A"]``:
  the mean |Δg| of a whole curve can hide a small, unphysical peak at short range (a Li on top
  of a Zr), the first-peak position does not. A student whose first prominent peak lies
  further out still passes when its curve has a maximum within the tolerance of the teacher's
  first peak (a broad shell with two humps, e.g. Li-Li at 1000 K: the prominent one is the
  second when the first is a little lower); a student peak closer in fails, and so does one
  where the teacher's RDF of that pair is empty (g < 0.1; two Y 1.5 Å apart where the
  teacher's nearest are beyond the RDF range);
- the framework stays as still as the teacher's: the MSD of every element other than Li at the
  end of the fit window at most ``FRAMEWORK_FACTOR`` times the teacher's or the teacher's plus
  ``FRAMEWORK_SLACK_A2``, whichever is larger (a student whose Cl or Zr sublattice flows can
  match D and the RDFs while being another material);
- no pair of atoms closer than ``min_distance_A`` in the student run (a collapsing potential);
- force parity R² ≥ ``tolerance["force_r2"]`` for every element on the test set, when given.

The verdict is ``passed`` (every assessable check holds), ``failed`` (a check fails beyond doubt)
or ``inconclusive``: the only failing check is the D ratio and the tolerance band lies within two
standard errors of it, so the runs are too short to tell the student from the teacher. A pass
whose D ratio is within the band but less than two standard errors from one of its edges says so
in the note: such a run rules out only larger errors than the band's (with a standard error of
0.25, a student that moves Li exactly like its teacher lands inside 0.8-1.25 two times in three).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.signal import find_peaks

from ionflow.analysis.structure.rdf import rdf_mean_absolute_difference
from ionflow.analysis.transport.diffusion import ratio_with_error

# A force parity slope below this (forces a percent too weak) is named as the likely cause of a
# student that moves Li too fast: β-Li2ZrCl6 at 0.964 (8,000 training steps) moved Li 1.44× its
# teacher's, at 0.983 (32,000 steps) 1.12× (docs/potential_validation.md).
SOFT_FORCE_SLOPE = 0.99
DEFAULT_TOLERANCE = {"D_ratio": [0.8, 1.25], "rdf_mad": 0.1, "force_r2": 0.95, "peak_shift_A": 0.3}
HOPPING_SLOPE = 0.5  # d log MSD / d log t below this: vibration in a cage, no D to compare
FRAMEWORK_FACTOR = 2.0  # a framework element may move this many times the teacher's MSD ...
FRAMEWORK_SLACK_A2 = 1.0  # ... or this much more (Å²), whichever is larger: thermal vibration
VERDICTS = ("passed", "inconclusive", "failed")  # a phase takes the worst of its temperatures


def not_passed_in_words(verdict: str) -> str:
    """What a verdict other than 'passed' says of the learned potential, for a table's note."""
    if verdict == "failed":
        return "failed its dynamics validation"
    return "was not shown to move Li like its reference"


def _anisotropy_check(teacher: dict, student: dict) -> tuple[bool | None, str]:
    ratio, error = teacher["D_z_over_D_x"], teacher["D_z_over_D_x_se"]
    if not (math.isfinite(ratio) and math.isfinite(error)) or abs(ratio - 1.0) <= 2.0 * error:
        return None, "teacher's D_z/D_x not resolved from 1"
    same_side = (student["D_z_over_D_x"] > 1.0) == (ratio > 1.0)
    return same_side, "" if same_side else "D_z/D_x on the other side of 1 than the teacher's"


def _has_maximum_near(run: dict, pair: str, r_A: float, within_A: float) -> bool:
    """Whether ``run``'s RDF of ``pair`` has a local maximum within ``within_A`` (Å) of ``r_A``."""
    maxima, _ = find_peaks(run["rdfs"][pair])
    return bool(np.any(np.abs(np.asarray(run["r_A"])[maxima] - r_A) <= within_A))


def _empty_at(run: dict, pair: str, r_A: float, level: float = 0.1) -> bool:
    """Whether ``run``'s RDF of ``pair`` is below ``level`` at ``r_A`` (Å): no such pairs there."""
    return bool(np.interp(r_A, run["r_A"], run["rdfs"][pair]) < level)


def compare(
    phase: str,
    temperature_K: float,
    teacher: dict,
    student: dict,
    min_distance_A: float,
    tolerance: dict | None = None,
    force_r2: dict[str, float] | None = None,
    force_slope: dict[str, float] | None = None,
) -> dict:
    """One validation row from two :func:`trajectory_summary` results (teacher first).

    ``force_r2`` maps element → R² of the force parity on the test set, ``force_slope`` element →
    its slope (predicted on reference, through the origin): reported, and named in the note as
    the likely cause when the student moves Li too fast with forces too weak. Columns hold both
    runs' D (cm²/s) with standard errors, their ratio, D_z/D_x of both, first RDF peaks (Å),
    the student's closest pair (Å), one boolean per check (empty when not assessable), ``passed``
    and ``note`` (every failed or unassessable check, in words).
    """
    tolerance = {**DEFAULT_TOLERANCE, **(tolerance or {})}
    row = {"phase": phase, "temperature_K": float(temperature_K)}
    for name, run in (("teacher", teacher), ("student", student)):
        row[f"D_{name}_cm2_s"], row[f"D_{name}_cm2_s_se"] = run["D_cm2_s"], run["D_cm2_s_se"]
        row[f"D_z_over_D_x_{name}"] = run["D_z_over_D_x"]
        row[f"diffusive_{name}"] = run["diffusive"]
        row[f"msd_log_slope_{name}"] = run["msd_log_slope"]
    row["D_ratio"], row["D_ratio_se"] = ratio_with_error(
        student["D_cm2_s"], student["D_cm2_s_se"], teacher["D_cm2_s"], teacher["D_cm2_s_se"]
    )
    checks, notes, resolved = {}, [], True
    if teacher["msd_log_slope"] >= HOPPING_SLOPE:
        if not teacher["diffusive"]:
            notes.append(
                f"teacher not diffusive by the paper's criterion ({teacher['note']}): "
                "D compared as the MSD slope over the same window"
            )
        low, high = tolerance["D_ratio"]
        checks["D_ratio_ok"] = low <= row["D_ratio"] <= high
        spread = 2.0 * row["D_ratio_se"]
        if checks["D_ratio_ok"] and (row["D_ratio"] - spread < low or row["D_ratio"] + spread > high):
            notes.append(
                f"D_student/D_teacher = {row['D_ratio']:.2f} ± {row['D_ratio_se']:.2f} inside {low:g}-{high:g}, but "
                f"{row['D_ratio'] - spread:.2f}-{row['D_ratio'] + spread:.2f} (2 standard errors) is as consistent "
                "with these runs: the check rules out only larger errors (run longer: validation.production_ps)"
            )
        if not checks["D_ratio_ok"]:
            edge = low if row["D_ratio"] < low else high
            resolved = not abs(row["D_ratio"] - edge) <= spread
            notes.append(
                f"D_student/D_teacher = {row['D_ratio']:.2f} ± {row['D_ratio_se']:.2f} outside {low:g}-{high:g}"
                + ("" if resolved else " but within 2 standard errors of it: run longer (validation.production_ps)")
            )
        checks["anisotropy_ok"], why = _anisotropy_check(teacher, student)
        if why:
            notes.append(why)
    elif student["msd_log_slope"] >= HOPPING_SLOPE:
        checks["D_ratio_ok"], checks["anisotropy_ok"] = False, None
        notes.append(
            f"the student's Li hop (d log MSD / d log t = {student['msd_log_slope']:.2f}), "
            f"the teacher's do not ({teacher['msd_log_slope']:.2f})"
        )
    else:
        checks["D_ratio_ok"] = checks["anisotropy_ok"] = None
        notes.append(
            f"diffusion not assessable: the teacher's Li do not hop "
            f"(d log MSD / d log t = {teacher['msd_log_slope']:.2f})"
        )
    off, shifted = [], []
    for pair, peak in teacher["first_peaks_A"].items():
        own = student["first_peaks_A"][pair]
        row[f"peak_{pair}_teacher_A"], row[f"peak_{pair}_student_A"] = peak, own
        shift = tolerance["peak_shift_A"]
        if math.isfinite(peak) and not abs(own - peak) <= shift:
            further_out = math.isfinite(own) and own > peak  # NaN: the student has no shell at all
            if not further_out or not _has_maximum_near(student, pair, peak, shift):
                shifted.append(f"{pair} {own:.2f} Å against {peak:.2f}")
        elif not math.isfinite(peak) and math.isfinite(own) and _empty_at(teacher, pair, own):
            shifted.append(f"{pair} {own:.2f} Å where the teacher has no pair")
        score = rdf_mean_absolute_difference(teacher["r_A"], teacher["rdfs"][pair], student["rdfs"][pair])
        allowed = max(tolerance["rdf_mad"], 2.0 * teacher["rdf_noise"][pair])
        row[f"rdf_mad_{pair}"], row[f"rdf_allowed_{pair}"] = score, allowed
        if score > allowed:
            off.append(f"{pair} {score:.2f} > {allowed:.2f}")
    checks["rdf_ok"] = not off
    if off:
        notes.append("RDFs differ from the teacher's (mean |Δg|): " + ", ".join(off))
    checks["peaks_ok"] = not shifted
    if shifted:
        notes.append("first RDF peaks moved: " + ", ".join(shifted))
    moved = []
    for element, teacher_msd in teacher.get("framework_msd_A2", {}).items():
        student_msd = student["framework_msd_A2"][element]
        row[f"msd_{element}_teacher_A2"], row[f"msd_{element}_student_A2"] = teacher_msd, student_msd
        if student_msd > max(FRAMEWORK_FACTOR * teacher_msd, teacher_msd + FRAMEWORK_SLACK_A2):
            moved.append(f"{element} {student_msd:.2g} Å² against {teacher_msd:.2g}")
    if "framework_msd_A2" in teacher:
        checks["framework_ok"] = not moved
    if moved:
        notes.append(
            "the framework moves more than the teacher's (MSD at the end of the fit window): " + ", ".join(moved)
        )
    row["closest_pair_student_A"] = student["closest_pair_A"]
    checks["no_collapse"] = student["closest_pair_A"] >= min_distance_A
    if not checks["no_collapse"]:
        notes.append(f"atoms {student['closest_pair_A']:.2f} Å apart (< {min_distance_A:g}): the potential collapses")
    if force_r2:
        row["force_r2_min"] = min(force_r2.values())
        checks["force_r2_ok"] = row["force_r2_min"] >= tolerance["force_r2"]
        if not checks["force_r2_ok"]:
            weakest = min(force_r2, key=force_r2.get)
            notes.append(f"force R² {force_r2[weakest]:.2f} for {weakest} (< {tolerance['force_r2']:g})")
    if force_slope:
        row["force_slope_min"] = min(force_slope.values())
        weakest = min(force_slope, key=force_slope.get)
        too_fast = checks["D_ratio_ok"] is False and row["D_ratio"] > tolerance["D_ratio"][1]
        if too_fast and force_slope[weakest] < SOFT_FORCE_SLOPE:
            notes.append(
                f"{weakest} forces {100 * (1 - force_slope[weakest]):.1f} % too weak on the test set (parity slope "
                f"{force_slope[weakest]:.3f}): an under-trained potential is softer than its reference; "
                "train longer (deepmd.numb_steps)"
            )
    row.update(checks)
    row["passed"] = all(value is not False for value in checks.values())
    unresolved = checks["D_ratio_ok"] is False and not resolved
    others_hold = all(value is not False for key, value in checks.items() if key != "D_ratio_ok")
    row["verdict"] = "passed" if row["passed"] else "inconclusive" if unresolved and others_hold else "failed"
    row["note"] = "; ".join(notes)
    return row


def phase_verdicts(rows: list[dict], key: str = "phase") -> dict[str, str]:
    """Phase (or the ``key`` column: Study B's ``system``) → the worst verdict of its validation
    rows ('passed' < 'inconclusive' < 'failed')."""
    verdicts: dict[str, str] = {}
    for row in rows:
        worst = max(verdicts.get(row[key], "passed"), row["verdict"], key=VERDICTS.index)
        verdicts[row[key]] = worst
    return verdicts


def read_verdicts(path, key: str = "phase") -> dict[str, str]:
    """Phase (or ``key``) → verdict, from a ``tables/potential_validation.csv``; a clear error
    when it has no rows."""
    table = pd.read_csv(path, comment="#")
    if table.empty:
        raise ValueError(f"{path}: no validation rows; rerun the validation rules (validate_potential)")
    return phase_verdicts(table.to_dict("records"), key)
