"""Figures of Study B's potential: initial-set map (Fig. 1a), descriptor map (Fig. 1b),
parity (Fig. 2a–c) and E–V curves of the bulk polymorphs."""

from __future__ import annotations

import numpy as np

from ionflow.analysis.figures import figure_style, panel_grid

PARITY_PANELS = (("energy", "energy (eV/atom)", 1.0), ("force", "force (eV/Å)", 1.0),
                 ("virial", "virial (eV/atom)", 1.0))


def plot_latent_map(coordinates: np.ndarray, system: np.ndarray, chosen: np.ndarray):
    """Initial candidates in the 2D SOAP-PCA map by system; labelled representatives ringed."""
    with figure_style():
        fig, axes = panel_grid(1, 1)
        ax = axes[0, 0]
        for name in sorted(set(system)):
            members = system == name
            ax.scatter(*coordinates[members].T, s=6, alpha=0.6, label=name)
        ax.scatter(*coordinates[chosen].T, s=28, facecolors="none", edgecolors="k", linewidths=0.8,
                   label=f"labelled ({len(chosen)})")
        ax.set_xlabel("PC 1 (SOAP)")
        ax.set_ylabel("PC 2 (SOAP)")
        ax.legend(fontsize=6, loc="center left", bbox_to_anchor=(1.02, 0.5), markerscale=1.5)
    return fig


def plot_parity(data: dict[str, np.ndarray], errors: dict[str, float]):
    """Reference vs NEP for energy, force components (by element) and virial, with RMSEs."""
    with figure_style():
        fig, axes = panel_grid(1, 3)
        for ax, (name, label, _) in zip(axes[0], PARITY_PANELS):
            target = np.ravel(data[f"{name}_target"])
            predicted = np.ravel(data[f"{name}_predicted"])
            if name == "force":
                species = np.repeat(data["force_species"], 3)
                for element in sorted(set(species)):
                    mask = species == element
                    ax.scatter(target[mask], predicted[mask], s=3, alpha=0.5, label=element)
                ax.legend(markerscale=3, loc="upper left")
            else:
                ax.scatter(target, predicted, s=6, alpha=0.7)
            finite = np.isfinite(target) & np.isfinite(predicted)
            if finite.any():
                low = min(target[finite].min(), predicted[finite].min())
                high = max(target[finite].max(), predicted[finite].max())
                ax.plot([low, high], [low, high], "k--", lw=0.8)
            unit = "meV/Å" if name == "force" else "meV/atom"
            key = f"{name}_rmse_{'meV_A' if name == 'force' else 'meV_atom'}"
            ax.set_title(f"RMSE {errors[key]:.1f} {unit}")
            ax.set_xlabel(f"reference {label}")
            ax.set_ylabel(f"NEP {label}")
        fig.tight_layout()
    return fig


def plot_ev_curves(curves: dict[str, dict[str, np.ndarray]]):
    """E–V curves (eV/atom vs Å³/atom) of every bulk phase, reference (points) and NEP (lines)."""
    with figure_style():
        fig, axes = panel_grid(1, 2)
        for ax, material in zip(axes[0], ("zro2", "lzc")):
            for n, (name, curve) in enumerate(sorted((k, v) for k, v in curves.items() if k.startswith(material))):
                colour = f"C{n}"
                ax.plot(curve["volume"], curve["reference"], "o", ms=3, color=colour, label=name)
                ax.plot(curve["volume"], curve["nep"], "-", color=colour)
            ax.set_xlabel("volume (Å$^3$/atom)")
            ax.set_ylabel("energy (eV/atom)")
            ax.plot([], [], "o", ms=3, color="0.4", label="reference")
            ax.plot([], [], "-", color="0.4", label="NEP")
            ax.set_title("ZrO$_2$" if material == "zro2" else "Li$_2$ZrCl$_6$")
            ax.legend(fontsize=6)
        fig.tight_layout()
    return fig


def plot_descriptor_map(coordinates: np.ndarray, environment: np.ndarray, method: str):
    """Per-atom NEP descriptors in 2D, coloured bulk ZrO2 / bulk LZC / interface (Fig. 1b)."""
    with figure_style():
        fig, axes = panel_grid(1, 1)
        ax = axes[0, 0]
        for name in ("bulk ZrO2", "bulk LZC", "interface"):
            members = environment == name
            if members.any():
                ax.scatter(*coordinates[members].T, s=2, alpha=0.4, label=name)
        ax.set_xlabel(f"{method} 1")
        ax.set_ylabel(f"{method} 2")
        ax.legend(markerscale=4, loc="center left", bbox_to_anchor=(1.02, 0.5))
    return fig
