"""Study A tables: Arrhenius extrapolation per phase and Table 1 (paper 1)."""

from __future__ import annotations

import numpy as np

from ionflow.transport import fit_arrhenius
from ionflow.transport.arrhenius import arrhenius_sigma
from ionflow.transport.diffusion import nernst_einstein_conductivity

QUANTITIES = ("sigma_S_cm", "D_self_cm2_s", "D_collective_cm2_s")


def _stds(results: list[dict], key: str):
    """Per-temperature spreads of ``key``, or None unless every temperature has a positive one."""
    stds = [r.get(f"{key}_std") for r in results]
    return stds if all(s is not None and s > 0 for s in stds) else None


def phase_arrhenius(results: list[dict]) -> dict:
    """Arrhenius fits of σ, D_i and D of one phase from its per-temperature transport results.

    Each quantity y is fitted as ln y = ln y0 − E_a/(k_B T) and extrapolated to 300 K; the
    Haven ratio at 300 K is the ratio of the extrapolated D_i and D. Keys per quantity:
    ``{q}_E_a_eV``, ``{q}_E_a_eV_std``, ``{q}_300K``, ``{q}_300K_std``, ``{q}_r2``.
    """
    results = sorted(results, key=lambda r: r["temperature_K"])
    temperatures = [r["temperature_K"] for r in results]
    summary = {"temperatures_K": temperatures, "per_temperature": results}
    for key in QUANTITIES:
        values = [r[key] for r in results]
        fit = fit_arrhenius(temperatures, values, _stds(results, key))
        summary.update({
            f"{key}_E_a_eV": fit["E_a_eV"],
            f"{key}_E_a_eV_std": fit["E_a_eV_std"],
            f"{key}_300K": fit["sigma_300K_S_cm"],
            f"{key}_300K_std": fit["sigma_300K_S_cm_std"],
            f"{key}_r2": fit["r2"],
        })
    summary["haven_ratio_300K"] = summary["D_self_cm2_s_300K"] / summary["D_collective_cm2_s_300K"]
    return summary


TABLE1_COLUMNS = {
    "D_i_cm2_s": "D_self_cm2_s_300K",
    "D_cm2_s": "D_collective_cm2_s_300K",
    "H_R": "haven_ratio_300K",
    "sigma_S_cm": "sigma_S_cm_300K",
    "sigma_S_cm_std": "sigma_S_cm_300K_std",
    "E_a_eV": "sigma_S_cm_E_a_eV",
    "E_a_eV_std": "sigma_S_cm_E_a_eV_std",
    "E_a_r2": "sigma_S_cm_r2",
}


def table1_rows(arrhenius: list[dict]) -> list[dict]:
    """Rows of Table 1 (values extrapolated to 300 K), one per phase, with the fit's spread."""
    rows = []
    for entry in arrhenius:
        row = {"phase": entry["phase"]}
        row.update({column: entry[key] for column, key in TABLE1_COLUMNS.items()})
        row["temperatures_K"] = " ".join(f"{t:g}" for t in entry["temperatures_K"])
        rows.append(row)
    return rows


def arrhenius_line(entry: dict, inverse_temperature: np.ndarray) -> np.ndarray:
    """σ (S/cm) of the fitted Arrhenius line at 1000/T values ``inverse_temperature`` (1/K ×1000)."""
    return arrhenius_sigma(inverse_temperature, entry["sigma_S_cm_E_a_eV"], entry["sigma_S_cm_300K"])


def table2_rows(results: list[dict]) -> list[dict]:
    """Table 2 and Tables S4–S5: directional σ contributions (S/cm) and Haven ratios per phase.

    ``results`` are per-phase transport results at the analysis temperature (each with a
    ``phase`` key). σ_x + σ_y + σ_z equals the total σ of Eq. 13 (see TransportResult.to_json).
    """
    rows = []
    for result in results:
        row = {"phase": result["phase"], "temperature_K": result["temperature_K"]}
        for axis in "xyz":
            directional = result["directional"][axis]
            row[f"sigma_{axis}_S_cm"] = directional["sigma_S_cm"]
            row[f"sigma_{axis}_S_cm_std"] = directional["sigma_S_cm_std"]
            row[f"haven_ratio_{axis}"] = directional["haven_ratio"]
            row[f"D_self_{axis}_cm2_s"] = directional["D_self_cm2_s"]
        row["sigma_total_S_cm"] = result["sigma_S_cm"]
        row["sigma_total_S_cm_std"] = result["sigma_S_cm_std"]
        row["haven_ratio_total"] = result["haven_ratio"]
        rows.append(row)
    return rows


def table_s3_rows(results: list[dict], charge: int = 1) -> list[dict]:
    """Table S3: collective and individual (tracer) σ (S/cm) of every phase at every MD temperature.

    σ_collective is Eq. 13 with the collective D; σ_individual the same with D_i, so
    σ_collective / σ_individual = 1 / H_R. ``results`` are transport results with a ``phase`` key.
    """
    rows = []
    for result in results:
        individual = nernst_einstein_conductivity(result["D_self_cm2_s"], result["n_ions"], result["volume_A3"],
                                                  result["temperature_K"], charge)
        rows.append({"phase": result["phase"], "temperature_K": result["temperature_K"],
                     "D_i_cm2_s": result["D_self_cm2_s"], "D_cm2_s": result["D_collective_cm2_s"],
                     "sigma_collective_S_cm": result["sigma_S_cm"], "sigma_collective_S_cm_std": result["sigma_S_cm_std"],
                     "sigma_individual_S_cm": float(individual), "H_R": result["haven_ratio"]})
    return rows
