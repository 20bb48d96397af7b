"""One figure style for every ionflow figure: sizes, fonts and 300 dpi PNG output."""

import textwrap
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


BANNER_INCH = 0.5  # smallest height of the caveat banner of :func:`mark_unsupported`
BANNER_FONT_PT = 7
BANNER_LINE_INCH = 1.3 * BANNER_FONT_PT / 72  # one line of banner text with its spacing


def mark_unsupported(path, reason: str) -> Path:
    """Redraw the PNG at ``path`` under a red banner that says ``reason`` (why its data do not
    support what it shows, e.g. a failed potential validation), atomically, same resolution.
    The banner is ``BANNER_INCH`` high, or as high as the wrapped reason needs."""
    image = plt.imread(path)
    height_in, width_in = image.shape[0] / DPI, image.shape[1] / DPI
    characters = max(40, int(width_in * 14))  # 7-pt text: about 14 characters per inch
    text = textwrap.fill(f"NOT SUPPORTED: {reason}", characters)
    banner_in = max(BANNER_INCH, (text.count("\n") + 1) * BANNER_LINE_INCH + 0.2)
    total_in = height_in + banner_in
    fig = plt.figure(figsize=(width_in, total_in), dpi=DPI)
    axes = fig.add_axes((0, 0, 1, height_in / total_in))
    axes.imshow(image)
    axes.axis("off")
    fig.text(
        0.5,
        1 - 0.5 * banner_in / total_in,
        text,
        ha="center",
        va="center",
        color="firebrick",
        fontsize=BANNER_FONT_PT,
    )
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=DPI)  # no tight bbox: the banner keeps its place
    plt.close(fig)
    return Path(path)
