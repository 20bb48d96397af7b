"""Study B's tables withhold what its potential validation does not support."""

import math

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

from ionflow.plotting import BANNER_INCH, DPI, mark_unsupported, panel_grid, save_figure
from ionflow.studies.structure_b import gated_glide, plane_rows
from ionflow.studies.validation_b import gate, md_status, system_verdicts, withhold


def test_reference_model_md_needs_no_validation():
    assert md_status(None, "lzc_alpha", ["lzc_alpha"]) == ("not needed (reference model)", "")


def test_a_system_takes_its_own_verdict():
    verdicts = {"lzc_alpha": "passed", "cubic111_ideal001": "failed"}
    assert md_status(verdicts, "lzc_alpha", ["lzc_alpha"]) == ("passed", "")
    status, reason = md_status(verdicts, "cubic111_ideal001", [])
    assert status == "failed"
    assert "failed its dynamics validation on cubic111_ideal001" in reason


def test_an_unvalidated_bulk_phase_takes_the_worst_verdict_of_the_validated_ones():
    verdicts = {"lzc_alpha": "passed", "lzc_beta": "inconclusive"}
    status, reason = md_status(verdicts, "lzc_ideal", ["lzc_alpha", "lzc_beta"])
    assert status == "inconclusive on lzc_alpha, lzc_beta"
    assert "not shown to move Li like its reference" in reason
    assert md_status({"lzc_alpha": "passed"}, "lzc_ideal", ["lzc_alpha"]) == ("passed on lzc_alpha", "")


def test_a_learned_nep_validated_nowhere_like_the_system_is_withheld():
    status, reason = md_status({"cubic111_ideal001": "passed"}, "lzc_beta", [])
    assert status == "not run"
    assert "lzc_beta" in reason


def test_withhold_sets_only_the_named_numbers_to_nan_and_says_why():
    row = {"phase": "lzc_alpha", "E_a_eV": 0.3, "r2": 0.99, "temperatures_K": "900 1000", "note": "fit on 3 T"}
    assert withhold(row, ("E_a_eV", "r2"), "") is row
    gated = withhold(row, ("E_a_eV", "r2"), "the NEP failed")
    assert math.isnan(gated["E_a_eV"]) and math.isnan(gated["r2"])
    assert gated["temperatures_K"] == "900 1000"
    assert gated["note"] == "the NEP failed; fit on 3 T"


def test_gate_warns_and_marks_the_figures_only_when_the_numbers_stay_out(tmp_path, caplog):
    fig, axes = panel_grid(1, 1)
    path = save_figure(fig, tmp_path / "figure.png")
    height = mpimg.imread(path).shape[0]
    assert gate({"lzc_alpha": "passed"}, "lzc_alpha", [], "glide", [path]) == ("passed", "")
    assert mpimg.imread(path).shape[0] == height and not caplog.records
    status, reason = gate({"lzc_alpha": "failed"}, "lzc_alpha", [], "glide", [path])
    assert (status, reason) == md_status({"lzc_alpha": "failed"}, "lzc_alpha", [])
    assert mpimg.imread(path).shape[0] >= height + round(BANNER_INCH * DPI)  # the banner on top
    assert caplog.records[0].getMessage() == f"lzc_alpha: glide not supported: {reason}"


def test_system_verdicts_reads_the_worst_row_per_system(tmp_path):
    path = tmp_path / "potential_validation.csv"
    pd.DataFrame(
        [
            {"system": "lzc_alpha", "temperature_K": 1100, "verdict": "passed"},
            {"system": "lzc_alpha", "temperature_K": 900, "verdict": "inconclusive"},
            {"system": "cubic111_ideal001", "temperature_K": 700, "verdict": "passed"},
        ]
    ).to_csv(path, index=False)
    assert system_verdicts([str(path)]) == {"lzc_alpha": "inconclusive", "cubic111_ideal001": "passed"}
    assert system_verdicts([]) is None
    path.write_text("system,temperature_K,verdict\n")
    with pytest.raises(ValueError, match="no validation rows"):
        system_verdicts([str(path)])


def test_mark_unsupported_adds_a_banner_above_the_figure(tmp_path):
    fig, axes = panel_grid(1, 1)
    axes[0, 0].plot([0, 1], [0, 1])
    path = save_figure(fig, tmp_path / "figure.png")
    before = mpimg.imread(path)
    mark_unsupported(path, "the learned NEP failed its dynamics validation")
    after = mpimg.imread(path)
    assert after.shape[1] == before.shape[1]
    assert after.shape[0] == before.shape[0] + round(BANNER_INCH * DPI)
    banner = after[: round(BANNER_INCH * DPI), :, :3]
    red = (banner[..., 0] > 0.5) & (banner[..., 1] < 0.3) & (banner[..., 2] < 0.3)
    assert red.any()  # the firebrick text


def test_a_long_reason_on_a_narrow_figure_gets_a_taller_banner_that_holds_every_line(tmp_path):
    fig, axes = panel_grid(1, 1)
    path = save_figure(fig, tmp_path / "narrow.png")
    before = mpimg.imread(path)
    mark_unsupported(path, "; ".join(["lzc_alpha: the learned NEP was not shown to move Li like its reference"] * 4))
    after = mpimg.imread(path)
    banner = after.shape[0] - before.shape[0]
    assert banner > round(BANNER_INCH * DPI)
    red = (after[..., 0] > 0.5) & (after[..., 1] < 0.3) & (after[..., 2] < 0.3)
    rows = np.flatnonzero(red.any(axis=1))
    assert rows.min() > 0.02 * DPI and rows.max() < banner  # no line cut at the top, none over the figure


def test_a_glide_the_validation_does_not_support_keeps_its_counts_and_loses_its_numbers(tmp_path):
    fig, axes = panel_grid(1, 1)
    figure = save_figure(fig, tmp_path / "glide.png")
    summary = {"system": "lzc_beta", "n_layers": 4, "final_mean_glide_A": 2.1, "final_glide_std_over_pairs_A": 0.2}
    summary |= {"final_glide_per_pair_A": [2.0, 2.2], "time_ps": 500.0}
    assert gated_glide(summary, None, ["lzc_beta"], figure, 100.0)["final_mean_glide_A"] == 2.1  # reference-model MD
    withheld = gated_glide(summary, {"lzc_beta": "failed"}, ["lzc_beta"], figure, 100.0)
    assert math.isnan(withheld["final_mean_glide_A"]) and math.isnan(withheld["final_glide_std_over_pairs_A"])
    assert withheld["final_glide_per_pair_A"] == [] and withheld["n_layers"] == 4
    assert withheld["potential_validation"] == "failed" and "failed its dynamics validation" in withheld["note"]


def test_plane_rows_withhold_only_the_last_frames_count():
    centres, per_plane = np.array([1.234567, 4.5]), np.array([[3, 5], [4, 4]])
    kept = plane_rows(centres, per_plane, "passed", "")
    assert [(r["plane"], r["z_A"], r["li_first_frame"], r["li_last_frame"]) for r in kept] == [
        (0, 1.235, 3, 4),
        (1, 4.5, 5, 4),
    ]
    (first, _) = plane_rows(centres, per_plane, "failed", "the learned NEP failed")
    assert (
        first["li_first_frame"] == 3
        and math.isnan(first["li_last_frame"])
        and first["note"] == "the learned NEP failed"
    )


def test_a_glide_from_a_run_too_short_to_form_it_is_nan_with_the_reason(tmp_path):
    fig, axes = panel_grid(1, 1)
    figure = save_figure(fig, tmp_path / "glide.png")
    summary = {"system": "lzc_beta", "n_layers": 4, "final_mean_glide_A": 0.18, "final_glide_std_over_pairs_A": 0.05}
    summary |= {"final_glide_per_pair_A": [0.1, 0.26], "time_ps": 0.38}
    before = mpimg.imread(figure)
    short = gated_glide(summary, None, ["lzc_beta"], figure, 100.0)
    assert math.isnan(short["final_mean_glide_A"]) and short["final_glide_per_pair_A"] == []
    assert short["note"].startswith("a 0.38-ps run cannot show the glide") and "100 ps at least" in short["note"]
    assert mpimg.imread(figure).shape[0] > before.shape[0]  # the figure carries the reason as a banner
    assert gated_glide(summary, None, ["lzc_beta"], figure, min_ps=0.3)["final_mean_glide_A"] == 0.18
