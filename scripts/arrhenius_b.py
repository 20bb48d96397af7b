"""Snakemake adapter: Arrhenius fit of the tracer conductivity per bulk phase (paper B: D = MSD/6t
of the Li self MSD, Nernst-Einstein, 450-700 K), table and figure."""

import csv
import json

import numpy as np

from ionflow.analysis.figures import figure_style, panel_grid, save_figure
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.transport.arrhenius import K_B_EV, fit_arrhenius
from ionflow.transport.diffusion import nernst_einstein_conductivity
from ionflow.provenance import name_inputs


def tracer_sigma(result: dict) -> float:
    """σ (S/cm) from the self diffusion coefficient, as paper B computes it."""
    return float(nernst_einstein_conductivity(result["D_self_cm2_s"], result["n_ions"], result["volume_A3"],
                                              result["temperature_K"]))


with log_to(snakemake.log[0]) as log:
    results = [json.loads(open(path).read()) for path in snakemake.input]
    rows = []
    with figure_style():
        fig, axes = panel_grid(1, 1)
        ax = axes[0, 0]
        for n, phase in enumerate(snakemake.params.phases):
            ours = sorted((r for r in results if r["phase"] == phase), key=lambda r: r["temperature_K"])
            temperatures = [r["temperature_K"] for r in ours]
            sigma = [tracer_sigma(r) for r in ours]
            row = {"phase": phase, "temperatures_K": " ".join(f"{t:g}" for t in temperatures)}
            stuck = [t for t, s in zip(temperatures, sigma) if s <= 0]
            if stuck:
                # A flat self MSD (no Li hop within the run) has no Arrhenius meaning: say so, do not fit.
                log.warning("%s: no diffusion at %s K; no Arrhenius fit", phase, stuck)
                rows.append({**row, "sigma_RT_mS_cm": "nan", "E_a_eV": "nan", "r2": "nan",
                             "note": f"no Li diffusion within the run at {' '.join(f'{t:g}' for t in stuck)} K"})
                continue
            fit = fit_arrhenius(temperatures, sigma)
            log.info("%s: %s", phase, fit)
            rows.append({**row, "sigma_RT_mS_cm": f"{1000 * fit['sigma_300K_S_cm']:.4g}",
                         "E_a_eV": f"{fit['E_a_eV']:.3f}", "r2": f"{fit['r2']:.3f}", "note": ""})
            ax.semilogy([1000 / t for t in temperatures], sigma, "o", color=f"C{n}", label=phase)
            inverse = np.linspace(1000 / max(temperatures), 1000 / 300, 50)
            line = fit["sigma_300K_S_cm"] * np.exp(-fit["E_a_eV"] / K_B_EV * (inverse / 1000 - 1 / 300))
            ax.semilogy(inverse, line, "-", color=f"C{n}")
        ax.axvline(1000 / 300, color="0.6", lw=0.8, ls=":")
        ax.set_xlabel("1000/T (1/K)")
        ax.set_ylabel("σ (S/cm), tracer Nernst–Einstein")
        ax.legend()
    save_figure(fig, snakemake.output.figure)
    with atomic_path(snakemake.output.table) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

name_inputs(snakemake.output, snakemake.input)
