"""Fig. 7: xy and xz projections of one ion's unwrapped trajectory."""

from pathlib import Path

import numpy as np

from ionflow.plotting import figure_style, panel_grid, save_figure


def plot_trajectory_projection(positions: np.ndarray, times_ps: np.ndarray, path: str | Path, title: str = "") -> Path:
    """Two panels (x–y and x–z, Å) of a track ``positions`` (n_frames, 3), coloured by time (ps)."""
    with figure_style():
        fig, axes = panel_grid(1, 2)
        for ax, (i, j, label) in zip(axes[0], ((0, 1, "y"), (0, 2, "z"))):
            ax.plot(positions[:, i], positions[:, j], color="0.75", lw=0.5, zorder=0)
            points = ax.scatter(positions[:, i], positions[:, j], c=times_ps, s=3, cmap="viridis")
            ax.set_xlabel("x (Å)")
            ax.set_ylabel(f"{label} (Å)")
            ax.set_aspect("equal", adjustable="datalim")
            ax.set_title(f"{title} x{label} projection".strip())
        fig.colorbar(points, ax=axes[0].tolist(), label="t (ps)")
    return save_figure(fig, path)
