"""Figures of Study B's potential: initial-set map (Fig. 1a), descriptor map (Fig. 1b),
parity (Fig. 2a–c) and E–V curves of the bulk polymorphs."""

from __future__ import annotations

import numpy as np

from ionflow.plotting import figure_style, panel_grid

PARITY_PANELS = (
    ("energy", "energy (eV/atom)", 1.0),
    ("force", "force (eV/Å)", 1.0),
    ("virial", "virial (eV/atom)", 1.0),
)


def plot_latent_map(coordinates: np.ndarray, system: np.ndarray, chosen: np.ndarray):
    """Initial candidates in the 2D SOAP-PCA map by system; labelled representatives ringed."""
    with figure_style():
        fig, axes = panel_grid(1, 1)
        ax = axes[0, 0]
        for name in sorted(set(system)):
            members = system == name
            ax.scatter(*coordinates[members].T, s=6, alpha=0.6, label=name)
        ax.scatter(
            *coordinates[chosen].T,
            s=28,
            facecolors="none",
            edgecolors="k",
            linewidths=0.8,
            label=f"labelled ({len(chosen)})",
        )
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


def plot_al_convergence(rows: list[dict]):
    """Paper B's convergence of the loop, per iteration (rows of ``tables/active_learning.csv``):
    the committee's RMSE of forces (meV/Å) and energies (meV/atom) on the random hold-out of the
    labelled data (``test_``) and on the target-region MD frames (``target_``); the largest committee
    deviation ε over all explored frames and over the target region, with the selection threshold;
    the fraction of explored frames that are candidates."""
    iteration = np.array([int(row["iteration"]) for row in rows])
    column = {
        key: np.array([float(row.get(key, np.nan)) for row in rows])
        for key in (
            "test_force_rmse_meV_A",
            "test_energy_rmse_meV_atom",
            "target_force_rmse_meV_A",
            "target_energy_rmse_meV_atom",
            "max_deviation_eV_A",
            "max_deviation_target_eV_A",
            "candidate_fraction",
            "threshold_eV_A",
        )
    }
    with figure_style():
        fig, axes = panel_grid(1, 3)
        force, deviation, fraction = axes[0]
        force.plot(iteration, column["test_force_rmse_meV_A"], "o-", label="force, hold-out")
        force.plot(iteration, column["target_force_rmse_meV_A"], "o:", color="C0", label="force, target MD")
        energy = force.twinx()
        energy.plot(iteration, column["test_energy_rmse_meV_atom"], "s--", color="C1", label="energy, hold-out")
        energy.plot(iteration, column["target_energy_rmse_meV_atom"], "s:", color="C1", label="energy, target MD")
        force.set(xlabel="iteration", ylabel="force RMSE (meV/Å)", title="committee test RMSE")
        energy.set_ylabel("test energy RMSE (meV/atom)")
        force.legend(  # below the axes: inside, it covers the curves of one of the two y axes
            handles=[*force.get_lines(), *energy.get_lines()],
            fontsize=7,
            ncol=2,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.2),
        )
        deviation.plot(iteration, column["max_deviation_eV_A"], "o-", label="all frames")
        deviation.plot(iteration, column["max_deviation_target_eV_A"], "s-", label="target region")
        deviation.axhline(column["threshold_eV_A"][0], color="k", ls="--", lw=0.8, label="threshold")
        deviation.set(xlabel="iteration", ylabel="largest ε (eV/Å)", title="committee deviation")
        deviation.legend(fontsize=7)
        fraction.plot(iteration, column["candidate_fraction"], "o-")
        fraction.set(xlabel="iteration", ylabel="candidates / explored frames", title="candidate fraction", ylim=(0, 1))
        for ax in axes[0]:
            ax.set_xticks(iteration)
        fig.tight_layout()
    return fig
