"""Teacher vs student at an interface: where the Li sit along the normal.

Both runs start from the same cell, so their z bins (fractions of the cell height, ``slab``)
are the same. The comparison is the Kolmogorov–Smirnov distance between the time-averaged Li
distributions along z (the largest difference of their cumulative fractions, 0 to 1, from the
cell's z origin). Its noise floor is the teacher's own distance between the first and second
half of its run, as for the RDFs of ``verdict``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from ase import Atoms

from ionflow.analysis.interface.profiles import number_density_vs_z_time

DEFAULT_KS_MAX = 0.1


def ks_distance(counts_a: np.ndarray, counts_b: np.ndarray) -> float:
    """Largest difference of the cumulative fractions of two histograms over the same bins."""
    cdf_a = np.cumsum(counts_a) / np.sum(counts_a)
    cdf_b = np.cumsum(counts_b) / np.sum(counts_b)
    return float(np.abs(cdf_a - cdf_b).max())


def compare_profiles(
    name: str,
    temperature_K: float,
    teacher: Iterable[Atoms],
    student: Iterable[Atoms],
    species: str = "Li",
    bin_A: float = 0.5,
    ks_max: float = DEFAULT_KS_MAX,
) -> tuple[dict, dict]:
    """One validation row and the profiles (bin centres in Å, mean ``species`` count per bin of
    teacher and student) of two interface trajectories of the same cell.

    Passes when the KS distance is at most ``ks_max`` or twice the teacher's half-vs-half
    distance, whichever is larger.
    """
    z_teacher, counts_teacher = number_density_vs_z_time(teacher, species, bin_A)
    _, counts_student = number_density_vs_z_time(student, species, bin_A)
    if counts_teacher.shape[1] != counts_student.shape[1]:
        raise ValueError(
            f"{name}: teacher and student have {counts_teacher.shape[1]} and {counts_student.shape[1]} z bins; "
            "both runs must start from the same cell"
        )
    half = len(counts_teacher) // 2
    noise = ks_distance(counts_teacher[:half].sum(0), counts_teacher[half:].sum(0)) if half else float("nan")
    distance = ks_distance(counts_teacher.sum(0), counts_student.sum(0))
    allowed = max(ks_max, 2.0 * noise) if np.isfinite(noise) else ks_max
    passed = distance <= allowed
    row = {
        "system": name,
        "temperature_K": float(temperature_K),
        "check": f"{species} distribution along z",
        "ks_distance": distance,
        "ks_teacher_halves": noise,
        "ks_allowed": allowed,
        "passed": passed,
        "verdict": "passed" if passed else "failed",
        "note": ""
        if passed
        else f"{species} sit elsewhere along z than with the teacher (KS {distance:.2f} > {allowed:.2f})",
    }
    curves = {"z_A": z_teacher, "teacher": counts_teacher.mean(0), "student": counts_student.mean(0)}
    return row, curves
