"""Study B's dynamics validation (``md.potential: final``): the reference NEP (teacher) and the
actively learned NEP (student, the production run) on the same cell, thermostat and length.
Bulk: Li self-diffusion and partial RDFs as in Study A (``analysis.validation``); interface:
the Li distribution along the normal (``analysis.validation.interface``)."""

from __future__ import annotations

import logging
import math

from ionflow.analysis.validation.interface import compare_profiles
from ionflow.analysis.validation.study import validate_phase
from ionflow.analysis.validation.verdict import VERDICTS, not_passed_in_words, read_verdicts
from ionflow.plotting import mark_unsupported
from ionflow.trajectory import iter_frames

log = logging.getLogger(__name__)


def validate_bulk(
    name: str,
    temperature_K: float,
    teacher_path,
    student_path,
    dt_ps: float,
    species: list[str],
    min_distance_A: float,
    tolerance: dict,
    mobile: str,
) -> tuple[dict, dict]:
    """Row (``system`` first) and curves of one bulk system: the ``mobile`` element's diffusion,
    the framework's MSD, RDF pairs of the elements of ``species`` it holds."""
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
        mobile=mobile,
    )
    return {"system": row.pop("phase"), **row}, curves


def validate_interface(
    name: str, temperature_K: float, teacher_path, student_path, species: str, bin_A: float, ks_max: float
) -> tuple[dict, dict]:
    """Row and curves of one interface: ``species`` along z, teacher vs student (KS distance)."""
    teacher = iter_frames(teacher_path, "extxyz")
    student = iter_frames(student_path, "extxyz")
    return compare_profiles(name, temperature_K, teacher, student, species, bin_A, ks_max)


def system_verdicts(paths: list) -> dict[str, str] | None:
    """System → verdict from Study B's ``tables/potential_validation.csv`` (``paths``: none when
    the MD ran with the reference model, which needs no validation: None)."""
    return read_verdicts(paths[0], key="system") if paths else None


def md_status(verdicts: dict[str, str] | None, system: str, proxies: list[str]) -> tuple[str, str]:
    """(status, reason) of the production MD of ``system`` run with the learned NEP.

    ``verdicts`` maps each validated system to its verdict (None: the MD ran with the reference
    model itself and needs none, status 'not needed (reference model)'). A system validated
    itself takes its own verdict; one that was not (a bulk phase besides
    ``validation.dynamics.bulk``) takes the worst verdict of ``proxies``, the systems of its kind
    the same NEP was validated on, as 'passed on lzc_alpha'. ``reason`` says why its numbers
    stay out of a table ('' when they may enter): a verdict other than 'passed', or no
    validation at all of a learned NEP.
    """
    if verdicts is None:
        return "not needed (reference model)", ""
    if system in verdicts:
        verdict = status = verdicts[system]
        where = system
    else:
        checked = [name for name in proxies if name in verdicts]
        if not checked:
            return "not run", f"the learned NEP was not validated on {system} or a system like it"
        verdict = max((verdicts[name] for name in checked), key=VERDICTS.index)
        where = ", ".join(checked)
        status = f"{verdict} on {where}"
    if verdict == "passed":
        return status, ""
    return status, f"the learned NEP {not_passed_in_words(verdict)} on {where} (tables/potential_validation.csv)"


def withhold(row: dict, numbers: tuple[str, ...], reason: str) -> dict:
    """``row`` with its ``numbers`` (keys) set to NaN when ``reason`` (why the data do not support
    them) is not empty; ``note`` gains the reason."""
    if not reason:
        return row
    note = "; ".join(filter(None, (reason, row.get("note", ""))))
    return row | dict.fromkeys(numbers, math.nan) | {"note": note}


def gate(
    verdicts: dict[str, str] | None, system: str, proxies: list[str], withheld: str, figures=()
) -> tuple[str, str]:
    """``md_status`` of ``system``'s production MD, acted on: when its numbers stay out, a
    warning says that ``withheld`` (what, in words) is not supported and why, and each of ``figures``
    (PNG paths, already drawn) gets the reason as a banner. Returns (status, reason)."""
    status, reason = md_status(verdicts, system, proxies)
    if reason:
        log.warning("%s: %s not supported: %s", system, withheld, reason)
        for figure in figures:
            mark_unsupported(figure, reason)
    return status, reason
