"""Teacher vs student figure of one phase: Li MSD per axis and partial RDFs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np

from ionflow.analysis.transport.runs import AXES
from ionflow.plotting import figure_style, panel_grid, save_figure


def plot_teacher_student(curves: dict[str, np.ndarray], row: dict, path: str | Path, title: str) -> Path:
    """Left: Li self MSD per axis (Å²) of teacher (dashed) and student (solid) with the fit window;
    right: partial RDFs of both. ``curves`` as written by ``validate_phase``; ``row`` its verdict."""
    pairs = sorted({key.split("_", 2)[2] for key in curves if key.startswith("rdf_teacher_")})
    with figure_style():
        n_cols = 4
        fig, grid = panel_grid(-(-(1 + len(pairs)) // n_cols), n_cols)
        fig.subplots_adjust(hspace=0.45, wspace=0.35)
        axes = grid.ravel()
        ax = axes[0]
        t = curves["time_ps"]
        for k, axis in enumerate(AXES):
            ax.plot(t, curves["msd_teacher"][:, k], "--", color=f"C{k}", linewidth=1.0)
            ax.plot(t, curves["msd_student"][: len(t), k], "-", color=f"C{k}", label=f"{axis}")
        low, high = (float(v) for v in str(row["fit_window_ps"]).split())
        ax.axvspan(low, high, color="0.9", zorder=0)
        ax.set(xlabel="t (ps)", ylabel="Li MSD (Å²)", title=f"D ratio {row['D_ratio']:.2f} ± {row['D_ratio_se']:.2f}")
        ax.legend(title="solid student\ndashed teacher", fontsize=7, title_fontsize=7)
        for ax, pair in zip(axes[1:], pairs):
            ax.plot(curves["r_A"], curves[f"rdf_teacher_{pair}"], "--", color="0.2", linewidth=1.0, label="teacher")
            ax.plot(curves["r_A"], curves[f"rdf_student_{pair}"], color="C3", label="student")
            ax.set(xlabel="r (Å)", ylabel="g(r)", title=pair)
        axes[1].legend(fontsize=7)
        for ax in axes[1 + len(pairs) :]:
            ax.set_visible(False)
        verdict = row["verdict"].upper()
        fig.suptitle(f"{title}: {verdict}", fontsize=10)
        if row["note"]:
            fig.text(0.5, -0.02, textwrap.fill(row["note"], 160), ha="center", va="top", fontsize=7)
        return save_figure(fig, path)


def plot_profile_comparison(curves: dict[str, np.ndarray], row: dict, path: str | Path, title: str) -> Path:
    """Mean Li count per z bin of teacher (dashed) and student (solid) at an interface, with the
    KS distance and verdict of ``row`` (as written by ``compare_profiles``)."""
    with figure_style():
        fig, grid = panel_grid(1, 1)
        ax = grid[0, 0]
        ax.plot(curves["z_A"], curves["teacher"], "--", color="0.2", linewidth=1.0, label="teacher")
        ax.plot(curves["z_A"], curves["student"], color="C3", label="student")
        ax.set(xlabel="z (Å)", ylabel="Li per bin (time average)")
        verdict = f"{title}: {row['verdict'].upper()}"
        ax.set_title(f"{verdict}\nKS {row['ks_distance']:.3f} (allowed {row['ks_allowed']:.3f})", fontsize=9)
        ax.legend(fontsize=7)
        if row["note"]:
            fig.text(0.5, -0.02, textwrap.fill(row["note"], 100), ha="center", va="top", fontsize=7)
        return save_figure(fig, path)
