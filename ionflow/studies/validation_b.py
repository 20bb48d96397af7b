"""Study B's dynamics validation (``md.potential: final``): the reference NEP (teacher) and the
actively learned NEP (student, the production run) on the same cell, thermostat and length.
Bulk: Li self-diffusion and partial RDFs as in Study A (``analysis.validation``); interface:
the Li distribution along the normal (``analysis.validation.interface``)."""

from __future__ import annotations

from ionflow.analysis.validation.interface import compare_profiles
from ionflow.analysis.validation.study import validate_phase
from ionflow.trajectory import iter_frames


def validate_bulk(
    name: str,
    temperature_K: float,
    teacher_path,
    student_path,
    dt_ps: float,
    species: list[str],
    min_distance_A: float,
    tolerance: dict,
) -> tuple[dict, dict]:
    """Row (``system`` first) and curves of one bulk system; RDF pairs of the elements of
    ``species`` it holds."""
    present = set(next(iter_frames(teacher_path, "extxyz")).get_chemical_symbols())
    elements = [element for element in species if element in present]
    row, curves = validate_phase(
        name,
        temperature_K,
        teacher_path,
        student_path,
        dt_ps,
        elements,
        min_distance_A,
        tolerance,
        student_format="extxyz",
    )
    return {"system": row.pop("phase"), **row}, curves


def validate_interface(
    name: str, temperature_K: float, teacher_path, student_path, species: str, bin_A: float, ks_max: float
) -> tuple[dict, dict]:
    """Row and curves of one interface: ``species`` along z, teacher vs student (KS distance)."""
    teacher = iter_frames(teacher_path, "extxyz")
    student = iter_frames(student_path, "extxyz")
    return compare_profiles(name, temperature_K, teacher, student, species, bin_A, ks_max)
