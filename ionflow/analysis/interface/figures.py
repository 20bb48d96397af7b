"""Figures of the Study B interface analyses (paper 2, Figs. 3c-f, 5, S8, S14): Li coordination,
density and hops along z, displacement classes and CSM-volume maps, written as 300 dpi PNGs
atomically (side views, glide, layer populations: ``structure_figures``).

Each function takes the output of one analysis, draws it in the ionflow style and writes it
to ``path`` with ``ionflow.plotting.save_figure`` (a temporary file renamed on
success, ``ionflow.io.atomic_path``); it returns ``path``.
"""

from pathlib import Path

import numpy as np
from matplotlib import patheffects
from matplotlib.colors import LogNorm

from ionflow.analysis.interface.hops import (
    DISPLACEMENT_CLASSES,
    HopProfile,
    displacement_classes,
    displacement_components,
)
from ionflow.analysis.interface.layers import counts_per_plane
from ionflow.analysis.interface.profiles import CoordinationProfile
from ionflow.plotting import figure_style, panel_grid, save_figure

CLASS_COLOURS = dict(zip(DISPLACEMENT_CLASSES, ("tab:blue", "tab:orange", "tab:green", "tab:red", "0.6")))
CN_GROUPS = (("≤ 3", 0, 3), ("4", 4, 4), ("5", 5, 5), ("6", 6, 6), ("≥ 7", 7, None))


def _bin_width(z_A) -> float:
    """Width (Å) of the equal z bins centred at ``z_A`` (bins start at z = 0)."""
    return float(z_A[1] - z_A[0]) if len(z_A) > 1 else 2.0 * float(z_A[0])


def _mark_interfaces(ax, interfaces_A, vertical: bool = True, colour: str = "k") -> None:
    """Dashed lines at the interface positions (Å), one legend entry."""
    for k, position in enumerate(() if interfaces_A is None else interfaces_A):
        line = ax.axvline if vertical else ax.axhline
        line(position, color=colour, linestyle="--", linewidth=0.8, label="interface" if k == 0 else None)


def plot_coordination_vs_z(profile: CoordinationProfile, path, interfaces_A=None) -> Path:
    """Figs. 3c, 4a-b, S10a: mean Li coordination numbers vs z (top) and the fraction of Li
    with each total CN (bottom); bins without Li are left out; ``interfaces_A`` (Å) are marked."""
    occupied = profile.centers_per_bin > 0
    z_A = profile.z_A[occupied]
    bin_A = _bin_width(profile.z_A)
    with figure_style():
        fig, axes = panel_grid(2, 1, sharex=True)
        fig.set_size_inches(6.4, 4.8)
        top, bottom = axes[:, 0]
        for species, cn in profile.cn.items():
            top.plot(z_A, cn[occupied], marker="o", markersize=2, label=f"Li–{species}")
        top.plot(z_A, sum(profile.cn.values())[occupied], color="k", marker="o", markersize=2, label="total")
        top.set_ylabel("Coordination number")
        top.set_ylim(bottom=0.0)
        _mark_interfaces(top, interfaces_A)
        top.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
        counts = profile.total_cn_counts[occupied]
        below = np.zeros(len(z_A))
        for name, low, high in CN_GROUPS:
            fraction = counts[:, low : (None if high is None else high + 1)].sum(axis=1) / counts.sum(axis=1)
            bottom.bar(z_A, fraction, width=bin_A, bottom=below, label=f"CN {name}")
            below += fraction
        _mark_interfaces(bottom, interfaces_A)
        bottom.set_xlabel("z (Å)")
        bottom.set_ylabel("Fraction of Li")
        bottom.set_ylim(0.0, 1.0)
        bottom.set_xlim(profile.z_A[0] - bin_A / 2, profile.z_A[-1] + bin_A / 2)
        bottom.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
        fig.tight_layout()
        return save_figure(fig, path)


def _density_map(fig, ax, z_A, counts, frame_interval_ps: float) -> None:
    """Li per z bin (colour) vs time (x; ns, or ps for runs shorter than 1 ns) and z (Å, y) on
    ``ax``, with its colour bar."""
    duration_ps = len(counts) * frame_interval_ps
    unit, per_ps = ("ns", 1e-3) if duration_ps >= 1000.0 else ("ps", 1.0)
    edges_t = np.arange(len(counts) + 1) * frame_interval_ps * per_ps
    bin_A = _bin_width(z_A)
    edges_z = np.append(z_A - bin_A / 2, z_A[-1] + bin_A / 2)
    mesh = ax.pcolormesh(edges_t, edges_z, np.asarray(counts).T, shading="flat", cmap="magma")
    fig.colorbar(mesh, ax=ax, label=f"Li per {bin_A:.2g} Å bin")
    ax.set_xlabel(f"Time ({unit})")
    ax.set_ylabel("z (Å)")


def plot_density_vs_z_time(z_A, counts, frame_interval_ps: float, path, interfaces_A=None) -> Path:
    """Figs. 3d, S10b: Li per z bin vs time (map) and the profiles of the first and last
    frame (right); ``counts`` (n_frames, n_bins) from ``number_density_vs_z_time``."""
    counts = np.asarray(counts)
    with figure_style():
        fig, axes = panel_grid(1, 2, sharey=True, gridspec_kw={"width_ratios": (3, 1)})
        ax_map, ax_profile = axes[0]
        _density_map(fig, ax_map, z_A, counts, frame_interval_ps)
        ax_profile.plot(counts[0], z_A, label="first frame")
        ax_profile.plot(counts[-1], z_A, label="last frame")
        _mark_interfaces(ax_profile, interfaces_A, vertical=False)
        ax_profile.set_xlabel("Li per bin")
        ax_profile.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22))
        fig.tight_layout()
        return save_figure(fig, path)


def plot_density_with_plane_counts(z_A, counts, frame_interval_ps: float, path, interfaces_A=None) -> Path:
    """Fig. S8: the Li z–time map of Fig. 3d, large, with the Li count of every plane of the
    first frame written at its z at the start (left) and at the end (right) of the run
    (``layers.counts_per_plane``; paper 2: 196 Li per plane at t = 0 for interface 1);
    ``interfaces_A`` (Å) are marked as dashed lines."""
    counts = np.asarray(counts)
    centres_A, per_plane = counts_per_plane(z_A, counts)
    outline = [patheffects.withStroke(linewidth=1.5, foreground="k")]
    with figure_style():
        fig, axes = panel_grid(1, 1)
        fig.set_size_inches(7.0, 6.0)
        ax = axes[0, 0]
        _density_map(fig, ax, z_A, counts, frame_interval_ps)
        _mark_interfaces(ax, interfaces_A, vertical=False, colour="c")  # visible on the dark map
        for centre, start, end in zip(centres_A, per_plane[0], per_plane[-1]):
            for x, value, align in ((0.01, start, "left"), (0.99, end, "right")):
                ax.text(
                    x,
                    centre,
                    str(value),
                    transform=ax.get_yaxis_transform(),
                    ha=align,
                    va="center",
                    fontsize=6,
                    color="w",
                    path_effects=outline,
                )
        ax.set_title(f"Li per plane ({len(centres_A)} planes): first frame left, last frame right")
        if interfaces_A is not None:
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1))
        return save_figure(fig, path)


def plot_hop_counts_vs_z(profile: HopProfile, interval_ps: float, path, interfaces_A=None) -> Path:
    """Figs. 3e, 4c-d, S10c: Li hops per z bin and interval of ``interval_ps`` (mean over the
    intervals, band ± one standard deviation)."""
    mean, spread = profile.hops.mean(axis=0), profile.hops.std(axis=0)
    bin_A = _bin_width(profile.z_A)
    with figure_style():
        fig, axes = panel_grid(1, 1)
        ax = axes[0, 0]
        ax.bar(profile.z_A, mean, width=bin_A, color="tab:blue", label=f"mean of {len(profile.hops)} intervals")
        ax.fill_between(
            profile.z_A,
            np.maximum(mean - spread, 0.0),
            mean + spread,
            step="mid",
            color="tab:blue",
            alpha=0.25,
            linewidth=0,
            label="± 1 s.d.",
        )
        _mark_interfaces(ax, interfaces_A)
        ax.set_xlabel("z (Å)")
        ax.set_ylabel(f"Hops per {bin_A:.2g} Å bin per {interval_ps:g} ps")
        ax.set_xlim(profile.z_A[0] - bin_A / 2, profile.z_A[-1] + bin_A / 2)
        ax.set_ylim(bottom=0.0)
        ax.legend(loc="upper right")
        fig.tight_layout()
        return save_figure(fig, path)


def plot_displacement_classes(start, end, path, threshold_A: float = 1.0) -> Path:
    """Figs. 3f, 4e-f: net Li displacements R_z vs R_xy coloured by class (left) and the number
    of Li per class (right); ``start``, ``end`` unwrapped positions from ``net_displacement``."""
    r_xy, r_z = displacement_components(start, end)
    labels, counts = displacement_classes(start, end, threshold_A)
    with figure_style():
        fig, axes = panel_grid(1, 2)
        ax_scatter, ax_bar = axes[0]
        for name in DISPLACEMENT_CLASSES:
            chosen = labels == name
            ax_scatter.scatter(r_xy[chosen], r_z[chosen], s=4, color=CLASS_COLOURS[name], label=name, linewidths=0)
        reach = max(float(np.max(r_xy, initial=0.0)), float(np.max(r_z, initial=0.0)), 2.0 * threshold_A) * 1.05
        ax_scatter.plot([threshold_A, reach], [threshold_A, reach], color="k", linewidth=0.6)
        ax_scatter.axvline(threshold_A, color="k", linewidth=0.6)
        ax_scatter.axhline(threshold_A, color="k", linewidth=0.6)
        ax_scatter.set_xlim(0.0, reach)
        ax_scatter.set_ylim(0.0, reach)
        ax_scatter.set_xlabel("$R_{xy}$ (Å)")
        ax_scatter.set_ylabel("$R_z$ (Å)")
        ax_scatter.legend(loc="upper right", markerscale=2)
        ax_bar.bar(list(counts), list(counts.values()), color=[CLASS_COLOURS[name] for name in counts])
        ax_bar.set_ylabel("Number of Li")
        ax_bar.tick_params(axis="x", labelrotation=30)
        fig.tight_layout()
        return save_figure(fig, path)


def _hexbin_maps(fig, axes, samples, gridsize: int) -> None:
    """Hexbin maps of polyhedron volume vs CSM, one per axis, on the same extent and log colour
    scale so that their populations compare directly; ``samples`` are (csm, volume_A3, title)."""
    csm_max = max([1.0] + [float(np.max(csm, initial=0.0)) for csm, _, _ in samples])
    volume_max = max([1.0] + [float(np.max(volume, initial=0.0)) for _, volume, _ in samples])
    maps = []
    for ax, (csm, volume, title) in zip(axes, samples):
        maps.append(ax.hexbin(csm, volume, gridsize=gridsize, extent=(0.0, csm_max, 0.0, volume_max), mincnt=1))
        ax.set_title(f"{title} (n = {len(csm)})")
        ax.set_xlabel("CSM")
    norm = LogNorm(1.0, max(2.0, *(float(np.ma.filled(m.get_array(), 0.0).max(initial=0.0)) for m in maps)))
    for hexes in maps:
        hexes.set_norm(norm)
    axes[0].set_ylabel("Polyhedron volume (Å³)")
    fig.colorbar(maps[0], ax=list(axes), label="Li per hexagon")


def _measured(table: dict, members=None) -> tuple[np.ndarray, np.ndarray]:
    """CSM and volume (Å³) of the Li of ``table`` (``li_polyhedra``) that have a shape, among ``members``."""
    chosen = np.isfinite(table["csm"]) & (True if members is None else members)
    return table["csm"][chosen], table["volume_A3"][chosen]


def plot_csm_volume_maps(table: dict, path, gridsize: int = 40) -> Path:
    """Fig. 5 (and S14c-f): hexbin maps of polyhedron volume vs CSM for bulk-like Li (left) and
    interface Li (right), on the same axes and colour scale; ``table`` from ``li_polyhedra``."""
    samples = [
        (*_measured(table, ~table["interface"]), "bulk-like Li"),
        (*_measured(table, table["interface"]), "interface Li"),
    ]
    with figure_style():
        fig, axes = panel_grid(1, 2, sharex=True, sharey=True)
        _hexbin_maps(fig, axes[0], samples, gridsize)
        return save_figure(fig, path)


def plot_bulk_csm_volume_maps(tables: dict[str, dict], path, gridsize: int = 40) -> Path:
    """Fig. S14a-b: hexbin maps of polyhedron volume vs CSM of every Li of each bulk phase, one
    panel per phase on the same axes and colour scale; ``tables`` maps a phase to the output
    of ``li_polyhedra`` on its bulk frames."""
    with figure_style():
        fig, axes = panel_grid(1, len(tables), sharex=True, sharey=True)
        _hexbin_maps(fig, axes[0], [(*_measured(table), phase) for phase, table in tables.items()], gridsize)
        return save_figure(fig, path)
