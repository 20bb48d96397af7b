"""One figure style for every ionflow figure: sizes, fonts and 300 dpi PNG output."""

from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ionflow.io import atomic_path  # noqa: E402

DPI = 300
PANEL_SIZE_INCH = (3.2, 2.8)

STYLE = {
    "font.size": 9,
    "axes.labelsize": 9,
    "axes.titlesize": 9,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "xtick.top": True,
    "ytick.right": True,
    "axes.linewidth": 0.8,
    "lines.linewidth": 1.2,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    "image.cmap": "viridis",
}


@contextmanager
def figure_style():
    """Context in which matplotlib uses the ionflow style (restored on exit)."""
    with plt.rc_context(STYLE):
        yield


def panel_grid(n_rows: int, n_cols: int, **subplot_kw):
    """Figure and axes array (always 2-D) sized ``PANEL_SIZE_INCH`` per panel."""
    width, height = PANEL_SIZE_INCH
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(width * n_cols, height * n_rows), squeeze=False, **subplot_kw)
    return fig, axes


def save_figure(fig, path) -> Path:
    """Write ``fig`` as a 300 dpi PNG at ``path`` (atomically, folders created) and close it."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=DPI)
    plt.close(fig)
    return Path(path)
