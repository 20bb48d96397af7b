"""Paper 2's bulk transport: tracer σ per run and its Arrhenius fit per phase (Figs. 2d, S6a-b).

Paper 2 takes D = MSD/(6t) of the Li self MSD and σ from the Nernst–Einstein relation, then fits
ln σ against 1/T over 450–700 K and extrapolates to 300 K. The fit follows Study A's rules: only
diffusive runs, at least three temperatures, E_a > 0; otherwise NaN and a note.
"""

import numpy as np

from ionflow.analysis.transport.arrhenius import supported_arrhenius
from ionflow.analysis.transport.diffusion import nernst_einstein_conductivity


def sigma_per_diffusivity(result: dict, charge: int = 1) -> float:
    """Nernst–Einstein σ (S/cm) per unit D (cm²/s) of one run, from its ``n_ions``, ``volume_A3``
    (Å³) and ``temperature_K`` (the keys of a transport summary); σ is linear in D."""
    return float(
        nernst_einstein_conductivity(1.0, result["n_ions"], result["volume_A3"], result["temperature_K"], charge)
    )


def tracer_sigma(result: dict) -> float:
    """σ (S/cm) of one run from its ``D_self_cm2_s`` (cm²/s) (:func:`sigma_per_diffusivity`)."""
    return sigma_per_diffusivity(result) * result["D_self_cm2_s"]


def tracer_arrhenius(results: list[dict], phases: list[str]) -> list[dict]:
    """Per phase (in ``phases`` order): ``temperatures_K``, ``sigma_S_cm`` and ``sigma_S_cm_se``
    (ascending T) of its runs among ``results`` (transport summaries with a ``phase``), and the
    Arrhenius ``fit`` only where the data support one (:func:`supported_arrhenius`: ≥ 3 diffusive
    temperatures with σ > 0, E_a > 0), else ``fit`` None; ``unused_K`` lists the temperatures
    left out and ``note`` says why."""
    entries = []
    for phase in phases:
        runs = sorted((r for r in results if r["phase"] == phase), key=lambda r: r["temperature_K"])
        if not runs:
            raise ValueError(f"no transport result for phase {phase!r}; check md.bulk and the transport inputs")
        temperatures = [r["temperature_K"] for r in runs]
        sigma = [tracer_sigma(r) for r in runs]
        errors = [sigma_per_diffusivity(r) * r.get("D_self_cm2_s_sem", np.nan) for r in runs]
        fit = supported_arrhenius(temperatures, sigma, errors, [r.get("diffusive", True) for r in runs])
        entries.append(
            {
                "phase": phase,
                "temperatures_K": temperatures,
                "sigma_S_cm": sigma,
                "sigma_S_cm_se": errors,
                "fit": None if np.isnan(fit["E_a_eV"]) else fit,
                "unused_K": [t for t in temperatures if t not in fit["temperatures_used_K"]],
                "note": fit["note"],
            }
        )
    return entries


def tracer_arrhenius_rows(entries: list[dict]) -> list[dict]:
    """Rows of ``tables/arrhenius_b.csv``: phase, temperatures_K, σ at 300 K (mS/cm) and E_a (eV)
    with standard errors, r2 and note (why a value is NaN)."""
    rows = []
    for entry in entries:
        fit = entry["fit"] or {}
        rows.append(
            {
                "phase": entry["phase"],
                "temperatures_K": " ".join(f"{t:g}" for t in entry["temperatures_K"]),
                "sigma_RT_mS_cm": 1000 * fit.get("sigma_300K_S_cm", np.nan),
                "sigma_RT_mS_cm_se": 1000 * fit.get("sigma_300K_S_cm_std", np.nan),
                "E_a_eV": fit.get("E_a_eV", np.nan),
                "E_a_eV_se": fit.get("E_a_eV_std", np.nan),
                "r2": fit.get("r2", np.nan),
                "note": entry["note"],
            }
        )
    return rows
