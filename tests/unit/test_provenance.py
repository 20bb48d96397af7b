"""Figures and tables name their inputs: PNG text chunks and CSV comment lines, read back by
Pillow and pandas; pixels and numbers are untouched."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from PIL import Image  # noqa: E402

from ionflow.provenance import INPUTS_KEY, name_inputs, read_inputs  # noqa: E402

INPUTS = ["results/study_a/transport/beta/T1000.json", "results/study_a/transport/beta/T1200.json"]


def test_png_names_its_inputs_and_keeps_its_pixels(tmp_path):
    path = tmp_path / "fig.png"
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    fig.savefig(path, dpi=72)
    plt.close(fig)
    before = np.asarray(Image.open(path))
    name_inputs([path, tmp_path / "other.json"], INPUTS)
    with Image.open(path) as image:
        assert image.text[INPUTS_KEY] == "; ".join(INPUTS)
        assert image.text["Software"].startswith("ionflow ")
        assert np.array_equal(np.asarray(image), before)
    assert read_inputs(path) == INPUTS
    name_inputs([path], INPUTS[:1])  # restamping replaces, never appends
    assert read_inputs(path) == INPUTS[:1]


def test_csv_names_its_inputs_and_pandas_reads_the_same_table(tmp_path):
    path = tmp_path / "table.csv"
    table = pd.DataFrame({"phase": ["beta", "ordered_alpha"], "sigma_S_cm": [7.66e-6, 6.57e-4]})
    table.to_csv(path, index=False)
    name_inputs([path], INPUTS)
    assert path.read_text().splitlines()[0] == "# inputs: " + "; ".join(INPUTS)
    pd.testing.assert_frame_equal(pd.read_csv(path, comment="#"), table)
    assert read_inputs(path) == INPUTS


def test_a_file_without_a_stamp_names_nothing(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("a,b\n1,2\n")
    assert read_inputs(path) == []
