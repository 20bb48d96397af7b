"""Parity metrics of a machine-learned potential against reference DFT data (Fig. 3, S2,
Table S2): R², MAE and RMSE per element and Cartesian direction for forces, per atom for
energies and virials."""

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.colors import LogNorm

from ionflow.plotting import figure_style, panel_grid, save_figure

DIRECTIONS = ("x", "y", "z")
VOIGT_COMPONENTS = {"xx": (0, 0), "yy": (1, 1), "zz": (2, 2), "yz": (1, 2), "xz": (0, 2), "xy": (0, 1)}


def parity_metrics(reference: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """R² (coefficient of determination; NaN for constant reference), MAE and RMSE (units of
    the inputs), the least-squares slope of predicted on reference through the origin, and
    count n.

    A force slope below 1 means the model's forces are systematically too weak (its energy
    surface too flat), the typical error of an under-trained potential: it moves ions too fast.
    """
    reference, predicted = np.ravel(reference), np.ravel(predicted)
    residual = predicted - reference
    total = np.sum((reference - reference.mean()) ** 2)
    norm = np.sum(reference**2)
    return {
        "r2": float(1.0 - np.sum(residual**2) / total) if total > 0 else float("nan"),
        "mae": float(np.mean(np.abs(residual))),
        "rmse": float(np.sqrt(np.mean(residual**2))),
        "slope": float(np.sum(reference * predicted) / norm) if norm > 0 else float("nan"),
        "n": int(reference.size),
    }


def force_parity_table(
    reference_forces: np.ndarray, predicted_forces: np.ndarray, symbols: Sequence[str]
) -> list[dict]:
    """Rows ``{element, direction, r2, mae, rmse, n}`` per element and x/y/z, plus element "all".

    Forces (eV/Å) of shape (n_atoms, 3), all frames concatenated; ``symbols`` per row.
    """
    symbols = np.asarray(symbols)
    rows = []
    for element in [*dict.fromkeys(symbols), "all"]:
        selected = np.ones(len(symbols), bool) if element == "all" else symbols == element
        for k, direction in enumerate(DIRECTIONS):
            metrics = parity_metrics(reference_forces[selected, k], predicted_forces[selected, k])
            rows.append({"element": element, "direction": direction, **metrics})
    return rows


def virial_parity_table(
    reference_virials: np.ndarray, predicted_virials: np.ndarray, n_atoms: np.ndarray
) -> list[dict]:
    """Rows ``{component, r2, mae, rmse, n}`` for the six virial components per atom (eV/atom).

    Virials (eV) of shape (n_frames, 3, 3).
    """
    n_atoms = np.asarray(n_atoms, dtype=float)
    rows = []
    for name, (a, b) in VOIGT_COMPONENTS.items():
        metrics = parity_metrics(reference_virials[:, a, b] / n_atoms, predicted_virials[:, a, b] / n_atoms)
        rows.append({"component": name, **metrics})
    return rows


def table_s2_rows(parity: dict[str, np.ndarray]) -> list[dict]:
    """Table S2 of one model: R², MAE, RMSE of energy (eV/atom), forces per element and
    direction (eV/Å) and the six virial components (eV/atom).

    ``parity`` holds the arrays of a ``dp test`` parity file: ``energy_per_atom_ref/pred``
    (n_frames,), ``force_ref/pred`` (n_atoms, 3), ``virial_per_atom_ref/pred`` (n_frames, 9)
    and ``element`` (n_atoms,).
    """
    energy = parity_metrics(parity["energy_per_atom_ref"], parity["energy_per_atom_pred"])
    rows = [{"quantity": "energy", "element": "all", "component": "E", **energy, "unit": "eV/atom"}]
    for row in force_parity_table(parity["force_ref"], parity["force_pred"], parity["element"]):
        rows.append(
            {
                "quantity": "force",
                "element": row.pop("element"),
                "component": row.pop("direction"),
                **row,
                "unit": "eV/A",
            }
        )
    n_frames = len(parity["virial_per_atom_ref"])
    virials = [parity[f"virial_per_atom_{side}"].reshape(n_frames, 3, 3) for side in ("ref", "pred")]
    for row in virial_parity_table(*virials, np.ones(n_frames)):
        rows.append(
            {"quantity": "virial", "element": "all", "component": row.pop("component"), **row, "unit": "eV/atom"}
        )
    return rows


def plot_force_parity(
    reference_forces: np.ndarray, predicted_forces: np.ndarray, symbols: Sequence[str], path: str | Path
) -> Path:
    """Fig. 3: hexbin density of predicted vs reference force, one row per element and one
    column per direction, with the y = x line and R² in each panel (eV/Å on both axes)."""
    symbols = np.asarray(symbols)
    elements = list(dict.fromkeys(symbols))
    limit = 1.05 * max(np.abs(reference_forces).max(), np.abs(predicted_forces).max())
    with figure_style():
        fig, axes = panel_grid(len(elements), 3)
        for row, element in zip(axes, elements):
            selected = symbols == element
            for ax, k, direction in zip(row, range(3), DIRECTIONS):
                reference, predicted = reference_forces[selected, k], predicted_forces[selected, k]
                ax.hexbin(
                    reference,
                    predicted,
                    gridsize=60,
                    extent=(-limit, limit, -limit, limit),
                    norm=LogNorm(),
                    cmap="viridis",
                    mincnt=1,
                )
                ax.plot([-limit, limit], [-limit, limit], "k--", lw=0.8, label="y = x")
                r2 = parity_metrics(reference, predicted)["r2"]
                ax.text(0.05, 0.92, f"{element} $F_{direction}$\n$R^2$ = {r2:.3f}", transform=ax.transAxes, va="top")
                ax.set_xlim(-limit, limit)
                ax.set_ylim(-limit, limit)
                ax.set_aspect("equal")
                ax.set_xlabel(f"reference $F_{direction}$ (eV/Å)")
                ax.set_ylabel(f"DP $F_{direction}$ (eV/Å)")
        axes[0, 0].legend(loc="lower right")
        fig.tight_layout()
        return save_figure(fig, path)


def plot_energy_virial_parity(parity: dict[str, np.ndarray], path: str | Path) -> Path:
    """Fig. S2: predicted vs reference (DFT in the paper) energy per atom and the six virial components per atom
    (eV/atom), with the y = x line, R² and RMSE (meV/atom) in each panel."""
    n_frames = len(parity["virial_per_atom_ref"])
    reference_virial = parity["virial_per_atom_ref"].reshape(n_frames, 3, 3)
    predicted_virial = parity["virial_per_atom_pred"].reshape(n_frames, 3, 3)
    panels = [("E/N", parity["energy_per_atom_ref"], parity["energy_per_atom_pred"])]
    panels += [
        (f"W$_{{{name}}}$/N", reference_virial[:, a, b], predicted_virial[:, a, b])
        for name, (a, b) in VOIGT_COMPONENTS.items()
    ]
    with figure_style():
        fig, axes = panel_grid(2, 4)
        for ax, (label, reference, predicted) in zip(axes.flat, panels):
            low = min(reference.min(), predicted.min())
            high = max(reference.max(), predicted.max())
            pad = 0.05 * (high - low or 1.0)
            ax.scatter(reference, predicted, s=6, alpha=0.6, edgecolors="none")
            ax.plot([low - pad, high + pad], [low - pad, high + pad], "k--", lw=0.8)
            metrics = parity_metrics(reference, predicted)
            ax.text(
                0.05,
                0.95,
                f"{label}\n$R^2$ = {metrics['r2']:.3f}\nRMSE = {1e3 * metrics['rmse']:.1f} meV/atom",
                transform=ax.transAxes,
                va="top",
            )
            ax.set_xlabel("reference (eV/atom)")
            ax.set_ylabel("DP (eV/atom)")
        axes.flat[-1].set_visible(False)
        fig.tight_layout()
        return save_figure(fig, path)
