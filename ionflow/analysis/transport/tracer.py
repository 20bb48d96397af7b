"""Paper 2's bulk transport: tracer σ per run and its Arrhenius fit per phase (Figs. 2d, S6a-b).

Paper 2 takes D = MSD/(6t) of the Li self MSD and σ from the Nernst–Einstein relation, then fits
ln σ against 1/T over 450–700 K and extrapolates to 300 K.
"""

from ionflow.analysis.transport.arrhenius import fit_arrhenius
from ionflow.analysis.transport.diffusion import nernst_einstein_conductivity


def tracer_sigma(result: dict) -> float:
    """σ (S/cm) of one run from its ``D_self_cm2_s`` (cm²/s), ``n_ions``, ``volume_A3`` (Å³) and
    ``temperature_K`` (the keys of a transport summary)."""
    return float(
        nernst_einstein_conductivity(
            result["D_self_cm2_s"], result["n_ions"], result["volume_A3"], result["temperature_K"]
        )
    )


def tracer_arrhenius(results: list[dict], phases: list[str]) -> list[dict]:
    """Per phase (in ``phases`` order): ``temperatures_K`` and ``sigma_S_cm`` (ascending T) of its
    runs among ``results`` (transport summaries with a ``phase``), the ``fit_arrhenius`` result as
    ``fit``, or ``fit`` None, the temperatures ``stuck_K`` of runs without diffusion and a ``note``
    when there are any (σ ≤ 0: a flat self MSD has no Arrhenius meaning)."""
    entries = []
    for phase in phases:
        runs = sorted((r for r in results if r["phase"] == phase), key=lambda r: r["temperature_K"])
        if not runs:
            raise ValueError(f"no transport result for phase {phase!r}; check md.bulk and the transport inputs")
        temperatures = [r["temperature_K"] for r in runs]
        sigma = [tracer_sigma(r) for r in runs]
        stuck = [t for t, s in zip(temperatures, sigma) if s <= 0]
        entry = {
            "phase": phase,
            "temperatures_K": temperatures,
            "sigma_S_cm": sigma,
            "fit": None,
            "stuck_K": stuck,
            "note": "",
        }
        if stuck:
            entry["note"] = f"no Li diffusion within the run at {' '.join(f'{t:g}' for t in stuck)} K"
        else:
            entry["fit"] = fit_arrhenius(temperatures, sigma)
        entries.append(entry)
    return entries


def tracer_arrhenius_rows(entries: list[dict]) -> list[dict]:
    """Rows of ``tables/arrhenius_b.csv``: phase, temperatures_K, sigma_RT_mS_cm (300 K), E_a_eV, r2, note."""
    rows = []
    for entry in entries:
        fit = entry["fit"]
        rows.append(
            {
                "phase": entry["phase"],
                "temperatures_K": " ".join(f"{t:g}" for t in entry["temperatures_K"]),
                "sigma_RT_mS_cm": "nan" if fit is None else f"{1000 * fit['sigma_300K_S_cm']:.4g}",
                "E_a_eV": "nan" if fit is None else f"{fit['E_a_eV']:.3f}",
                "r2": "nan" if fit is None else f"{fit['r2']:.3f}",
                "note": entry["note"],
            }
        )
    return rows
