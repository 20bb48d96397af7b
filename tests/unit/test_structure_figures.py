"""Figures S5, S7 (via analysis.rdf), S8, S9/S11, S12 and S14a-b are 300 dpi PNGs that show the numbers of the
analyses they draw (hand-made inputs with known answers)."""

import numpy as np
import pytest
from PIL import Image

from ionflow.analysis.interface import figures, structure_figures
from ionflow.analysis.interface.glide import interlayer_glide
from ionflow.analysis.interface.layers import layer_populations
from ionflow.analysis.structure.rdf import partial_rdfs, plot_partial_rdfs
from tests.unit.test_glide import GLIDE_A, layered_frames
from tests.unit.test_layers import hand_made_cell


@pytest.fixture
def drawn(monkeypatch):
    """Non-empty texts (titles, then annotations in drawing order) of every figure saved, by file name."""
    texts = {}
    save = figures.save_figure  # the same function in both modules

    def recording_save(fig, path):
        texts[path.name] = [t.get_text() for ax in fig.axes for t in [ax.title, *ax.texts] if t.get_text()]
        return save(fig, path)

    monkeypatch.setattr(figures, "save_figure", recording_save)
    monkeypatch.setattr(structure_figures, "save_figure", recording_save)
    return texts


def assert_png_300_dpi(path):
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert np.allclose(image.info["dpi"], 300, atol=1)


def test_plane_counts_are_written_on_the_density_map(tmp_path, drawn):
    counts = np.array([[1, 0, 0, 3, 4, 0, 0, 0, 2, 0, 0, 5], [0, 1, 1, 2, 2, 1, 1, 0, 1, 3, 2, 1]])
    path = figures.plot_density_with_plane_counts(np.arange(12) + 0.5, counts, 10.0, tmp_path / "s8.png", [2.0, 8.0])
    assert_png_300_dpi(path)
    # planes {3, 4}, {8}, {11, 0}: first frame 7, 2, 6 Li (left), last frame 7, 4, 4 (right)
    assert drawn["s8.png"][1:] == ["7", "7", "2", "4", "6", "4"]


def test_layer_populations_figure_states_the_rich_to_poor_ratio(tmp_path, drawn):
    first = hand_made_cell([2.0, 3.0, 3.5, 4.0, 5.0, 6.5, 8.0, 8.5, 9.0, 10.0, 11.0, 0.5])
    path = structure_figures.plot_layer_populations({"hand-made": layer_populations([first])}, tmp_path / "s12.png")
    assert_png_300_dpi(path)
    assert drawn["s12.png"] == ["hand-made: rich : poor = 2.00 : 1"]
    melted = {"hand-made": layer_populations([first]), "melted": "no Cl layers in the last 5 ps"}
    structure_figures.plot_layer_populations(melted, tmp_path / "s12_melted.png")
    assert drawn["s12_melted.png"] == [
        "hand-made: rich : poor = 2.00 : 1",
        "melted: no layers",
        "no Cl layers in the last 5 ps",
    ]


def test_glide_rdf_snapshot_and_bulk_csm_figures_are_written(tmp_path, drawn):
    frames = layered_frames(
        lambda k, p: GLIDE_A * p * k * np.array([1.0, 0.0, 0.0]), lambda p: 6 * GLIDE_A * p * np.array([1.0, 0.0, 0.0])
    )
    r_A, rdfs = partial_rdfs(frames[:2], ("Zr", "Cl"), r_max=4.0)
    rng = np.random.default_rng(0)
    table = {"csm": np.append(rng.uniform(0, 3, 50), np.nan), "volume_A3": rng.uniform(5, 25, 51)}
    paths = [
        structure_figures.plot_glide(interlayer_glide(frames), tmp_path / "s5.png", (frames[0], frames[-1])),
        plot_partial_rdfs(r_A, {"hand-made": rdfs}, tmp_path / "s7.png", pairs=("Li-Cl", "Zr-Cl"), cutoff_A=3.5),
        structure_figures.plot_side_views((frames[0], frames[-1]), tmp_path / "s11.png"),
        figures.plot_bulk_csm_volume_maps({"a": table, "b": table}, tmp_path / "s14.png"),
    ]
    for path in paths:
        assert_png_300_dpi(path)
    assert drawn["s5.png"] == ["t = 0 ps", "t = 90 ps"]
    assert drawn["s14.png"][:2] == ["a (n = 50)", "b (n = 50)"]  # the Li without a shape (NaN CSM) left out
