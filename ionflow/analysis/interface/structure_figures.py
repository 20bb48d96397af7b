"""Figures of the Study B structure analyses (paper 2, Figs. S5, S9/S11, S12, S13): side views
of frames, interlayer glide, Li layer populations and the CSM reference curves, written as
300 dpi PNGs atomically (``ionflow.plotting.save_figure``); each returns its ``path``.
"""

import textwrap
from pathlib import Path

import numpy as np
from ase.data import chemical_symbols, covalent_radii
from ase.data.colors import jmol_colors
from ase.visualize.plot import plot_atoms
from matplotlib.lines import Line2D

from ionflow.analysis.interface.csm_reference import PAPER_VOLUME_BANDS_A3, SHAPE_NAMES
from ionflow.analysis.interface.glide import Glide
from ionflow.analysis.interface.layers import LayerPopulation
from ionflow.plotting import figure_style, panel_grid, save_figure


def _time_title(atoms) -> str:
    """ "t = …" from ``atoms.info['time_ps']``, in ns from 1 ns on, else in ps."""
    time_ps = atoms.info["time_ps"]
    return f"t = {time_ps / 1000.0:.3g} ns" if time_ps >= 1000.0 else f"t = {time_ps:.3g} ps"


def _draw_side_view(ax, atoms, rotation: str) -> None:
    """``atoms`` wrapped into their cell, drawn by ``ase.visualize.plot.plot_atoms`` on ``ax``
    (Jmol colours, cell outlined) and titled with their time; the default rotation looks
    along y with z up."""
    wrapped = atoms.copy()
    wrapped.wrap()
    plot_atoms(wrapped, ax, rotation=rotation, radii=0.6 * covalent_radii[wrapped.numbers])
    ax.set_axis_off()
    ax.set_title(_time_title(atoms))


def _element_legend(ax, frames) -> None:
    """One legend entry per element of ``frames``, in the Jmol colours of the drawings."""
    numbers = sorted(set().union(*(set(atoms.numbers) for atoms in frames)))
    handles = [
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            markersize=6,
            markerfacecolor=jmol_colors[n],
            markeredgecolor="k",
            markeredgewidth=0.5,
            label=chemical_symbols[n],
        )
        for n in numbers
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles))


def plot_side_views(frames, path, rotation: str = "-90x") -> Path:
    """Figs. S9, S11 (and 3a-b): side views of ``frames`` (e.g. the first and last of a run,
    with ``info['time_ps']``), one panel each, z vertical with the default ``rotation`` (ASE
    Euler angles, degrees)."""
    with figure_style():
        fig, axes = panel_grid(1, len(frames))
        fig.set_size_inches(3.2 * len(frames), 6.0)
        for ax, atoms in zip(axes[0], frames):
            _draw_side_view(ax, atoms, rotation)
        _element_legend(axes[0, len(frames) // 2], frames)
        fig.tight_layout()
        return save_figure(fig, path)


def plot_glide(glide: Glide, path, frames=(), reference_A: float | None = None, rotation: str = "-90x") -> Path:
    """Fig. S5: |in-plane shift| of every pair of adjacent layers (thin) and their mean (thick)
    vs time, beside a published glide ``reference_A`` (Å, dotted) when given; ``frames`` (e.g.
    the first and last, with ``info['time_ps']``) are drawn as side views to the right."""
    with figure_style():
        fig, axes = panel_grid(1, 1 + len(frames), gridspec_kw={"width_ratios": (1.6,) + (1,) * len(frames)})
        ax = axes[0, 0]
        magnitude = np.linalg.norm(glide.shift_A, axis=2)
        for k in range(magnitude.shape[1]):
            ax.plot(
                glide.time_ps, magnitude[:, k], color="0.6", linewidth=0.6, label="each layer pair" if k == 0 else None
            )
        ax.plot(glide.time_ps, glide.mean_shift_A, color="k", label="mean over pairs")
        if reference_A is not None:
            ax.axhline(reference_A, color="tab:red", linestyle=":", label=f"reference ≈ {reference_A:g} Å")
        ax.set_xlabel("Time (ps)")
        ax.set_ylabel("Interlayer glide (Å)")
        ax.set_ylim(0.0, 1.2 * max(reference_A or 0.0, float(np.max(magnitude, initial=0.0)), 0.1))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3)
        for panel, atoms in zip(axes[0, 1:], frames):
            _draw_side_view(panel, atoms, rotation)
        if len(frames):
            _element_legend(axes[0, -1], frames)
        fig.tight_layout()
        return save_figure(fig, path)


def plot_layer_populations(populations: dict[str, LayerPopulation | str], path) -> Path:
    """Fig. S12: mean Li per cation layer (bars, ± one standard deviation over frames) vs the
    layer height along the stacking normal, Li-rich layers red and Li-poor blue, one panel
    per phase with its rich : poor ratio; ``populations`` from ``layers.layer_populations``,
    or for a phase without layers the reason (written in its panel)."""
    with figure_style():
        fig, axes = panel_grid(1, len(populations))
        for ax, (phase, population) in zip(axes[0], populations.items()):
            if isinstance(population, str):
                ax.text(0.5, 0.5, textwrap.fill(population, 40), ha="center", va="center", transform=ax.transAxes)
                ax.set_title(f"{phase}: no layers")
                ax.set_axis_off()
                continue
            spread = population.counts.std(axis=0)
            width = 0.6 * np.min(np.diff(np.sort(population.height_A)), initial=3.0)
            for rich, colour, label in ((True, "tab:red", "Li-rich"), (False, "tab:blue", "Li-poor")):
                chosen = population.rich == rich
                ax.bar(
                    population.height_A[chosen],
                    population.mean_count[chosen],
                    width=width,
                    yerr=spread[chosen],
                    color=colour,
                    capsize=2,
                    label=label,
                )
            ratio = "∞" if np.isinf(population.rich_to_poor) else f"{population.rich_to_poor:.2f}"
            ax.set_title(f"{phase}: rich : poor = {ratio} : 1")
            ax.set_xlabel("Layer height along the stacking normal (Å)")
            ax.set_ylabel("Li per layer")
            ax.set_ylim(bottom=0.0)
        if any(not isinstance(population, str) for population in populations.values()):
            layered = next(ax for ax, p in zip(axes[0], populations.values()) if not isinstance(p, str))
            layered.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
        fig.tight_layout()
        return save_figure(fig, path)


def plot_csm_reference(curves: dict[str, dict[str, np.ndarray]], path, structures=None) -> Path:
    """Fig. S13: octahedral CSM along axial elongation, the Bailar twist (60° octahedron → 0°
    trigonal prism) and random displacements (mean ± one standard deviation), and the hull
    volume of the perfect polyhedra vs Li–X distance beside the paper's volume bands of Fig. S14;
    ``curves`` from ``csm_reference.csm_reference_curves``; ``structures`` maps a name to the
    ``polyhedra.li_polyhedra`` table of a structure, its Li drawn as points on the volume panel."""
    with figure_style():
        fig, axes = panel_grid(2, 2)
        paths = (
            ("elongation", "factor", "Axial elongation of one trans pair (× Li–X)"),
            ("twist", "angle_deg", "Bailar twist angle (°; 60 octahedron, 0 prism)"),
            ("random", "sigma_A", "Random displacement σ per axis (Å)"),
        )
        for ax, (name, key, label) in zip(axes.flat, paths):
            curve = curves[name]
            ax.plot(curve[key], curve["csm"], color="k")
            if "csm_std" in curve:
                ax.fill_between(
                    curve[key],
                    curve["csm"] - curve["csm_std"],
                    curve["csm"] + curve["csm_std"],
                    color="0.8",
                    label="± 1 s.d.",
                )
            ax.axhline(3.0, color="tab:red", linestyle=":", label="CSM 3: bulk Li (paper)")
            ax.legend(loc="best")
            ax.set_xlabel(label)
            ax.set_ylabel("CSM vs octahedron")
            ax.set_ylim(bottom=0.0)
        ax = axes[1, 1]
        volume = curves["volume"]
        for (shape, name), colour in zip(SHAPE_NAMES.items(), ("tab:blue", "tab:orange", "tab:green")):
            ax.plot(volume["radius_A"], volume[shape], color=colour, label=name)
            ax.axhspan(*PAPER_VOLUME_BANDS_A3[shape], color=colour, alpha=0.15)
        # Shrinking markers keep structures with the same polyhedra visible on top of each other.
        for k, ((name, sizes), marker) in enumerate(zip((structures or {}).items(), "os^vD")):
            ax.scatter(
                sizes["mean_bond_A"],
                sizes["volume_A3"],
                s=90.0 / (k + 1),
                marker=marker,
                facecolors="none",
                edgecolors="k",
                label=f"Li of {name}",
            )
        ax.set_xlabel("Li–X distance (Å)")
        ax.set_ylabel("Polyhedron volume (Å³)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, title="shaded: paper's bands, Fig. S14")
        fig.tight_layout()
        return save_figure(fig, path)
