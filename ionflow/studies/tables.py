"""Study A tables: Arrhenius extrapolation per phase and Table 1 (paper 1)."""

from __future__ import annotations

import numpy as np

from ionflow.analysis.transport.arrhenius import arrhenius_sigma, supported_arrhenius
from ionflow.analysis.transport.diffusion import ratio_with_error
from ionflow.analysis.transport.tracer import sigma_per_diffusivity
from ionflow.analysis.validation.verdict import not_passed_in_words

QUANTITIES = ("sigma_S_cm", "D_self_cm2_s", "D_collective_cm2_s")


def phase_arrhenius(results: list[dict]) -> dict:
    """Arrhenius fits of σ, D_i and D of one phase from its per-temperature transport results.

    Each quantity y is fitted as ln y = ln y0 − E_a/(k_B T) over the diffusive temperatures
    (:func:`supported_arrhenius`: ≥ 3 of them, E_a > 0, else NaN and a note) and extrapolated to
    300 K. The Haven ratio at 300 K is the ratio of the extrapolated D_i and D, its standard error
    propagated from theirs. Keys per quantity: ``{q}_E_a_eV``, ``{q}_E_a_eV_std``, ``{q}_300K``,
    ``{q}_300K_std`` (standard errors), ``{q}_r2``, ``{q}_note``.
    """
    results = sorted(results, key=lambda r: r["temperature_K"])
    temperatures = [r["temperature_K"] for r in results]
    diffusive = [r.get("diffusive", True) for r in results]
    summary = {"temperatures_K": temperatures, "per_temperature": results}
    for key in QUANTITIES:
        fit = supported_arrhenius(
            temperatures, [r[key] for r in results], [r.get(f"{key}_sem") for r in results], diffusive
        )
        summary.update(
            {
                f"{key}_E_a_eV": fit["E_a_eV"],
                f"{key}_E_a_eV_std": fit["E_a_eV_std"],
                f"{key}_300K": fit["sigma_300K_S_cm"],
                f"{key}_300K_std": fit["sigma_300K_S_cm_std"],
                f"{key}_r2": fit["r2"],
                f"{key}_note": fit["note"],
                f"{key}_temperatures_used_K": fit["temperatures_used_K"],
            }
        )
    summary["haven_ratio_300K"], summary["haven_ratio_300K_std"] = ratio_with_error(
        summary["D_self_cm2_s_300K"],
        summary["D_self_cm2_s_300K_std"],
        summary["D_collective_cm2_s_300K"],
        summary["D_collective_cm2_s_300K_std"],
    )
    return summary


TABLE1_COLUMNS = {
    "D_i_cm2_s": "D_self_cm2_s_300K",
    "D_i_cm2_s_se": "D_self_cm2_s_300K_std",
    "D_cm2_s": "D_collective_cm2_s_300K",
    "D_cm2_s_se": "D_collective_cm2_s_300K_std",
    "H_R": "haven_ratio_300K",
    "H_R_se": "haven_ratio_300K_std",
    "sigma_S_cm": "sigma_S_cm_300K",
    "sigma_S_cm_se": "sigma_S_cm_300K_std",
    "E_a_eV": "sigma_S_cm_E_a_eV",
    "E_a_eV_se": "sigma_S_cm_E_a_eV_std",
    "E_a_r2": "sigma_S_cm_r2",
}


def validation_status(verdicts: dict[str, str] | None, phase: str) -> str:
    """'passed', 'inconclusive', 'failed' or 'not run' for ``phase`` from per-phase verdicts."""
    if verdicts is None or phase not in verdicts:
        return "not run"
    return verdicts[phase]


def validation_reason(status: str, required: bool = True) -> str:
    """Why a phase's numbers stay out of the tables because of its validation ('' when they may enter).

    With ``required``, a potential must pass: a failed or an inconclusive validation keeps it out.
    """
    if not required or status in ("passed", "not run"):
        return ""
    return f"the learned potential {not_passed_in_words(status)} (tables/potential_validation.csv: {status})"


def withheld(result: dict, status: str, required: bool = True) -> str:
    """Why the transport numbers of ``result`` stay out of a table ('' when its data support them).

    Two reasons, either enough: the phase's learned potential did not pass its dynamics
    validation and ``required`` (:func:`validation_reason`); or the MSD has no diffusive window
    (``diffusive`` False, paper 1 Eq. 11), so its slope is not a diffusion coefficient.
    """
    reason = validation_reason(status, required)
    reasons = [reason] if reason else []
    if not result.get("diffusive", True):
        reasons.append(result.get("note") or "the MSD is not diffusive over the fit window")
    return "; ".join(reasons)


def table1_rows(arrhenius: list[dict], verdicts: dict[str, str] | None = None, required: bool = True) -> list[dict]:
    """Rows of Table 1 (values extrapolated to 300 K), one per phase, with standard errors (``_se``).

    ``verdicts`` maps phase → its dynamics-validation verdict ('passed', 'inconclusive', 'failed').
    A phase that did not pass keeps NaN in every number when ``required`` (its MD is not evidence
    of anything), else its numbers with the verdict marked. ``note`` says why a number is NaN.
    """
    rows = []
    for entry in arrhenius:
        phase = entry["phase"]
        status = validation_status(verdicts, phase)
        row = {"phase": phase}
        row.update({column: entry[key] for column, key in TABLE1_COLUMNS.items()})
        row["temperatures_K"] = " ".join(f"{t:g}" for t in entry["temperatures_K"])
        row["sigma_from"] = entry["per_temperature"][0].get("sigma_from", "collective")
        row["potential_validation"] = status
        notes = [
            f"{name}: {entry[f'{key}_note']}"
            for name, key in (("sigma", "sigma_S_cm"), ("D_i", "D_self_cm2_s"), ("D", "D_collective_cm2_s"))
            if entry.get(f"{key}_note")
        ]
        if validation_reason(status, required):
            row.update({column: float("nan") for column in TABLE1_COLUMNS})
            notes.insert(0, validation_reason(status, required))
        row["note"] = "; ".join(notes)
        rows.append(row)
    return rows


def arrhenius_line(entry: dict, inverse_temperature: np.ndarray) -> np.ndarray:
    """σ (S/cm) of the fitted Arrhenius line at 1000/T values ``inverse_temperature`` (1/K ×1000)."""
    return arrhenius_sigma(inverse_temperature, entry["sigma_S_cm_E_a_eV"], entry["sigma_S_cm_300K"])


def table2_rows(results: list[dict], verdicts: dict[str, str] | None = None, required: bool = True) -> list[dict]:
    """Table 2 and Tables S4–S5: directional σ contributions (S/cm) and Haven ratios per phase.

    ``results`` are per-phase transport results at the analysis temperature (each with a
    ``phase`` key). σ_x + σ_y + σ_z equals the total σ of Eq. 13 (see TransportResult.to_json).
    A result :func:`withheld` (failed validation, not diffusive) keeps NaN in every number and
    ``note`` says why.
    """
    rows = []
    for result in results:
        status = validation_status(verdicts, result["phase"])
        row = {"phase": result["phase"], "temperature_K": result["temperature_K"]}
        for axis in "xyz":
            directional = result["directional"][axis]
            row[f"sigma_{axis}_S_cm"] = directional["sigma_S_cm"]
            row[f"sigma_{axis}_S_cm_std"] = directional["sigma_S_cm_std"]
            row[f"sigma_{axis}_S_cm_se"] = directional.get("sigma_S_cm_sem", np.nan)
            row[f"haven_ratio_{axis}"] = directional["haven_ratio"]
            row[f"haven_ratio_{axis}_se"] = directional.get("haven_ratio_sem", np.nan)
            row[f"D_self_{axis}_cm2_s"] = directional["D_self_cm2_s"]
            row[f"D_self_{axis}_cm2_s_se"] = directional.get("D_self_cm2_s_sem", np.nan)
        row["sigma_total_S_cm"] = result["sigma_S_cm"]
        row["sigma_total_S_cm_std"] = result["sigma_S_cm_std"]
        row["sigma_total_S_cm_se"] = result.get("sigma_S_cm_sem", np.nan)
        row["haven_ratio_total"] = result["haven_ratio"]
        row["haven_ratio_total_se"] = result.get("haven_ratio_sem", np.nan)
        note = withheld(result, status, required)
        if note:
            row.update({key: np.nan for key in row if key not in ("phase", "temperature_K")})
        row["diffusive"] = result.get("diffusive")
        row["potential_validation"] = status
        row["note"] = note
        rows.append(row)
    return rows


def table_s3_rows(
    results: list[dict], charge: int = 1, verdicts: dict[str, str] | None = None, required: bool = True
) -> list[dict]:
    """Table S3: collective and individual (tracer) σ (S/cm) of every phase at every MD temperature.

    σ_collective is Eq. 13 with the collective D; σ_individual the same with D_i, so
    σ_collective / σ_individual = 1 / H_R. ``results`` are transport results with a ``phase`` key.
    A result :func:`withheld` (failed validation, not diffusive) keeps NaN in every number and
    ``note`` says why.
    """
    rows = []
    for result in results:
        status = validation_status(verdicts, result["phase"])
        per_diffusivity = sigma_per_diffusivity(result, charge)  # S/cm per cm²/s
        numbers = {
            "D_i_cm2_s": result["D_self_cm2_s"],
            "D_i_cm2_s_se": result.get("D_self_cm2_s_sem", np.nan),
            "D_cm2_s": result["D_collective_cm2_s"],
            "D_cm2_s_se": result.get("D_collective_cm2_s_sem", np.nan),
            "sigma_collective_S_cm": per_diffusivity * result["D_collective_cm2_s"],
            "sigma_collective_S_cm_se": per_diffusivity * result.get("D_collective_cm2_s_sem", np.nan),
            "sigma_individual_S_cm": per_diffusivity * result["D_self_cm2_s"],
            "sigma_individual_S_cm_se": per_diffusivity * result.get("D_self_cm2_s_sem", np.nan),
            "H_R": result["haven_ratio"],
            "H_R_se": result.get("haven_ratio_sem", np.nan),
        }
        note = withheld(result, status, required)
        if note:
            numbers = dict.fromkeys(numbers, np.nan)
        rows.append(
            {
                "phase": result["phase"],
                "temperature_K": result["temperature_K"],
                **numbers,
                "diffusive": result.get("diffusive"),
                "potential_validation": status,
                "note": note,
            }
        )
    return rows


TABLE3_TIMES = tuple(
    f"{name}{suffix}"
    for name in ("tau_site_ps", "tau_adjacent_li_ps", "tau_site_plain_ps", "tau_adjacent_li_plain_ps")
    for suffix in ("", "_se")
)
TABLE3_DIFFUSIVE = ("jump_length_A", "jump_length_A_se", "D_self_cm2_s", "D_self_cm2_s_se")


def table3_rows(
    dynamics: list[dict], transport: list[dict], verdicts: dict[str, str] | None = None, required: bool = True
) -> list[dict]:
    """Table 3: Li residence times (ps) and jump lengths (Å, Eq. 20) per phase, each with its
    standard error (``_se``: over blocks of the run for the times, propagated for the jump length).

    ``dynamics`` are the per-phase residence results, ``transport`` the transport results of the
    same runs (matched by ``phase``). Residence times come from site occupancy and stand without
    a diffusive MSD; the jump length √(6 D_i τ) and D_i need one. A validation not passed (with
    ``required``) withholds every number. ``note`` says why a number is NaN.
    """
    by_phase = {result["phase"]: result for result in transport}
    rows = []
    for entry in dynamics:
        phase = entry["phase"]
        status = validation_status(verdicts, phase)
        row = {key: entry[key] for key in ("phase", "temperature_K", *TABLE3_TIMES, *TABLE3_DIFFUSIVE)}
        note = withheld(by_phase[phase], status, required)
        if validation_reason(status, required):
            row.update(dict.fromkeys((*TABLE3_TIMES, *TABLE3_DIFFUSIVE), np.nan))
        elif note:
            row.update(dict.fromkeys(TABLE3_DIFFUSIVE, np.nan))
        elif entry["blocks"] < 2:
            note = "fewer than two blocks of the run as long as residence_max_lag_ps: no standard error for the times"
        row.update({"sites": entry["sites"], "potential_validation": status, "note": note})
        rows.append(row)
    return rows


def structure_rows(
    results: list[dict], prefix: str, verdicts: dict[str, str] | None = None, required: bool = True
) -> list[dict]:
    """Rows of a structure table (RDF first peaks in Å: ``first_peak_``; PMF barriers in eV:
    ``pmf_``), one per phase, from the per-phase structure results. A phase whose potential did
    not pass its validation (with ``required``) keeps NaN in every number, ``note`` saying why.
    An infinite barrier (no path through voxels the mobile ions visited) is NaN too: the run
    never crossed it, so it bounds the barrier from below but gives no value; ``note`` names it,
    and names every number whose standard error (``_se``, over blocks of the run) is NaN."""
    rows = []
    for result in results:
        status = validation_status(verdicts, result["phase"])
        reason = validation_reason(status, required)
        numbers = {k: (np.nan if reason else v) for k, v in result.items() if k.startswith(prefix)}
        uncrossed = [k for k, v in numbers.items() if np.isinf(v)]
        if uncrossed:
            numbers.update(dict.fromkeys(uncrossed, np.nan))
            reason = f"never crossed in the run, so no barrier can be given: {', '.join(uncrossed)}"
        unsure = [k for k, v in numbers.items() if np.isfinite(v) and np.isnan(numbers.get(f"{k}_se", 0.0))]
        if unsure:
            why = f"no standard error (one block, or a block that never crossed): {', '.join(unsure)}"
            reason = f"{reason}; {why}" if reason else why
        row = {"phase": result["phase"], "temperature_K": result["temperature_K"], **numbers}
        rows.append(row | {"potential_validation": status, "note": reason})
    return rows
