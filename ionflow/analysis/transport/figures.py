"""Fig. 5 of paper 1: self and collective MSD on log axes, and the Arrhenius plot of σ; paper 2's
tracer-σ Arrhenius plot of the bulk phases."""

from __future__ import annotations

import numpy as np

from ionflow.analysis.transport.arrhenius import arrhenius_sigma
from ionflow.plotting import figure_style, panel_grid
from ionflow.studies.tables import arrhenius_line


def plot_msd_arrhenius(msd_curves: dict[str, list[dict]], arrhenius: list[dict]):
    """Figure with one MSD panel per phase and one Arrhenius panel.

    ``msd_curves[phase]`` is a list of dicts with ``time_ps``, ``msd_self`` and
    ``msd_collective`` ((n_t, 3) Å², summed over axes here), ``fit_window_ps`` and
    ``temperature_K``. ``arrhenius`` holds the per-phase fits of :func:`phase_arrhenius`.
    """
    phases = list(msd_curves)
    diffusive = {
        (entry["phase"], point["temperature_K"]): point.get("diffusive", True)
        for entry in arrhenius
        for point in entry["per_temperature"]
    }
    with figure_style():
        fig, axes = panel_grid(1, len(phases) + 1)
        for ax, phase in zip(axes[0], phases):
            curves = sorted(msd_curves[phase], key=lambda c: c["temperature_K"])
            colours = _colours(len(curves))
            for colour, curve in zip(colours, curves):
                t = curve["time_ps"][1:]
                ax.loglog(t, curve["msd_collective"].sum(1)[1:], color=colour, label=f"{curve['temperature_K']:.0f} K")
                ax.loglog(t, curve["msd_self"].sum(1)[1:], color=colour, ls="--")
            start, stop = curves[-1]["fit_window_ps"]
            linear = diffusive.get((phase, float(curves[-1]["temperature_K"])), True)
            window = "fit window" + ("" if linear else ", not diffusive")
            ax.axvspan(start, stop, color="0.9", zorder=0, label=window)
            ax.set_title(phase.replace("_", " "))
            ax.set_xlabel("t (ps)")
            ax.set_ylabel(r"MSD (Å$^2$)")
            ax.legend(title="— collective, -- self", loc="upper left", fontsize=7, title_fontsize=7)
        _arrhenius_panel(axes[0][-1], arrhenius)
        fig.tight_layout()
    return fig


def _colours(n: int):
    import matplotlib.pyplot as plt

    return plt.cm.plasma(np.linspace(0.1, 0.85, max(n, 1)))


def _arrhenius_panel(ax, arrhenius: list[dict]) -> None:
    colours = _colours(len(arrhenius))
    for colour, entry in zip(colours, arrhenius):
        points = entry["per_temperature"]
        inverse = np.array([1000.0 / p["temperature_K"] for p in points])
        sigma = np.array([p["sigma_S_cm"] for p in points])
        errors = [p.get("sigma_S_cm_sem") or 0.0 for p in points]
        diffusive = np.array([p.get("diffusive", True) for p in points], bool)
        name = entry["phase"].replace("_", " ")
        ax.errorbar(
            inverse[diffusive], sigma[diffusive], yerr=np.asarray(errors)[diffusive], fmt="o", color=colour, ms=4
        )
        ax.plot(inverse[~diffusive], sigma[~diffusive], "o", mfc="none", color=colour, ms=4)
        if not np.isfinite(entry["sigma_S_cm_E_a_eV"]):
            ax.plot([], [], "o", color=colour, label=f"{name}: no fit (open: not diffusive)")
            continue
        line = np.linspace(inverse.min(), 1000.0 / 300.0, 50)
        label = (
            f"{name}: $E_a$ = {entry['sigma_S_cm_E_a_eV']:.2f} ± {entry['sigma_S_cm_E_a_eV_std']:.2f} eV, "
            f"$R^2$ = {entry['sigma_S_cm_r2']:.2f}"
        )
        ax.semilogy(line, arrhenius_line(entry, line), color=colour, label=label)
        ax.plot([1000.0 / 300.0], [entry["sigma_S_cm_300K"]], marker="*", color=colour, ms=9)
    ax.set_yscale("log")
    ax.set_xlabel(r"1000/T (K$^{-1}$)")
    ax.set_ylabel(r"$\sigma$ (S cm$^{-1}$)")
    ax.set_title("Arrhenius (★ = 300 K extrapolation)")
    ax.legend(loc="best", fontsize=6)


def plot_tracer_arrhenius(entries: list[dict], reference: dict | None = None):
    """Paper 2, Figs. 2d and S6a-b: tracer σ vs 1000/T per bulk phase with its Arrhenius line down
    to 300 K (phases without a supported fit: points only). Temperatures left out of a fit (not
    diffusive, σ ≤ 0) are open markers and named in the legend, which sits below the axes;
    ``entries`` from ``transport.tracer.tracer_arrhenius``; ``reference`` maps a phase to a
    published ``sigma_RT_mS_cm`` (reference values), drawn as a star at 300 K."""
    with figure_style():
        fig, axes = panel_grid(1, 1)
        ax = axes[0, 0]
        for n, entry in enumerate(entries):
            inverse = np.array([1000.0 / t for t in entry["temperatures_K"]])
            sigma = np.array(entry["sigma_S_cm"])
            shown = sigma > 0
            used = ~np.isin(entry["temperatures_K"], entry["unused_K"])
            unused = " ".join(f"{t:g}" for t in entry["unused_K"])
            label = entry["phase"] if entry["fit"] is not None else f"{entry['phase']}: no fit"
            label += f" (not used: {unused} K)" if unused else ""
            filled, hollow = shown & used, shown & ~used
            ax.semilogy(inverse[filled], sigma[filled], "o", color=f"C{n}", label=label if filled.any() else None)
            ax.semilogy(
                inverse[hollow], sigma[hollow], "o", mfc="none", color=f"C{n}", label=None if filled.any() else label
            )
            if entry["fit"] is not None:
                fit = entry["fit"]
                line = np.linspace(inverse.min(), 1000.0 / 300.0, 50)
                ax.semilogy(line, arrhenius_sigma(line, fit["E_a_eV"], fit["sigma_300K_S_cm"]), "-", color=f"C{n}")
            reported = (reference or {}).get(entry["phase"])
            if reported:
                ax.semilogy(
                    [1000.0 / 300.0],
                    [reported["sigma_RT_mS_cm"] / 1000.0],
                    "*",
                    ms=10,
                    color=f"C{n}",
                    markeredgecolor="k",
                    label=f"{entry['phase']}, reference (300 K)",
                )
        ax.axvline(1000.0 / 300.0, color="0.6", lw=0.8, ls=":")
        ax.set_xlabel("1000/T (1/K)")
        ax.set_ylabel("tracer σ (S/cm)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1)
        fig.set_size_inches(fig.get_figwidth() + 0.6, fig.get_figheight() + 0.3 * len(ax.get_legend().texts))
        fig.tight_layout()
    return fig


def plot_directional_msd(curves: dict[str, dict]):
    """Fig. 6: collective (top) and self (bottom) MSD per axis and total, one column per phase.

    ``curves[phase]`` holds ``time_ps``, ``msd_collective``, ``msd_self`` ((n_t, 3), Å²),
    ``temperature_K`` and ``fit_window_ps``.
    """
    colours = {"x": "tab:green", "y": "tab:red", "z": "tab:blue"}
    with figure_style():
        fig, axes = panel_grid(2, len(curves))
        for column, (phase, curve) in enumerate(curves.items()):
            t = curve["time_ps"][1:]
            for row, key in enumerate(("msd_collective", "msd_self")):
                ax = axes[row][column]
                msd = curve[key][1:]
                ax.loglog(t, msd.sum(1), color="tab:pink", label="total")
                for index, axis in enumerate("xyz"):
                    ax.loglog(t, msd[:, index], color=colours[axis], label=axis)
                ax.axvspan(*curve["fit_window_ps"], color="0.9", zorder=0)
                kind = "collective" if key == "msd_collective" else "self"
                ax.set_title(f"{phase.replace('_', ' ')}, {kind}, {float(curve['temperature_K']):.0f} K")
                ax.set_xlabel("t (ps)")
                ax.set_ylabel(r"MSD (Å$^2$)")
                ax.legend(loc="upper left", fontsize=6)
        fig.tight_layout()
    return fig
