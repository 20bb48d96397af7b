"""Figure functions write 300 dpi PNGs."""

import numpy as np
from PIL import Image

from ionflow.analysis.structure.pmf import plot_pmf_maps
from ionflow.analysis.structure.residence import plot_residence_autocorrelation
from ionflow.analysis.structure.van_hove import plot_nearest_neighbour_map


def test_figures_are_300_dpi_png(tmp_path):
    tau = np.linspace(0.0, 10.0, 11)
    paths = [
        plot_residence_autocorrelation({"site": (tau, np.exp(-tau))}, tmp_path / "c.png"),
        plot_nearest_neighbour_map(np.arange(4.0), np.arange(5.0), np.ones((4, 5)), tmp_path / "nn.png"),
        plot_pmf_maps({"xy": (np.random.default_rng(0).random((6, 5)), "xy")}, np.eye(3) * 5.0, tmp_path / "w.png"),
    ]
    for path in paths:
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert np.allclose(image.info["dpi"], 300, atol=1)
