"""Study B's structure of one MD run, gated by its validation: the interlayer glide of the layered
phase (paper B, Fig. S5) and the mobile ion's count per plane of an interface (Fig. S8)."""

from __future__ import annotations

import logging

import numpy as np

from ionflow.analysis.interface.glide import interlayer_glide
from ionflow.plotting import mark_unsupported
from ionflow.studies.validation_b import gate, withhold

log = logging.getLogger(__name__)

GLIDE_NUMBERS = ("final_mean_glide_A", "final_glide_std_over_pairs_A")  # from the MD: withheld unless validated
PLANE_NUMBERS = ("li_last_frame",)


def glide_summary(frames, system: str, temperature_K: float, layer_cation: str, published=None):
    """Glide of the ``layer_cation`` planes over ``frames`` (extxyz frames with ``time_ps``) and its
    summary (Å): the final glide per pair of neighbouring planes, their mean and spread, beside the
    ``published`` value (Å, or None). Returns (``interlayer_glide`` result, summary)."""
    glide = interlayer_glide(frames, species=(layer_cation,))
    final = np.linalg.norm(glide.shift_A[-1], axis=1)
    summary = {
        "system": system,
        "temperature_K": temperature_K,
        "layers": f"{layer_cation} planes along c*",
        "n_layers": len(glide.layer_height_A),
        "n_frames": len(glide.time_ps),
        "time_ps": float(glide.time_ps[-1] - glide.time_ps[0]),
        "final_mean_glide_A": float(final.mean()),
        "final_glide_std_over_pairs_A": float(final.std()),
        "final_glide_per_pair_A": np.round(final, 4).tolist(),
        "reference_glide_A": published,
    }
    log.info(
        "%d %s layers, %d frames: final mean glide %.3f ± %.3f Å (reference: %s Å)",
        summary["n_layers"],
        layer_cation,
        summary["n_frames"],
        final.mean(),
        final.std(),
        published,
    )
    return glide, summary


def gated_glide(
    summary: dict, verdicts: dict[str, str] | None, validated_bulk: list[str], figure, min_ps: float
) -> dict:
    """``summary`` with the validation status, its numbers NaN (and the per-pair list empty) where
    the validation does not support the MD or the run is shorter than ``min_ps`` (ps: the glide
    has not had the time to form; paper B saw it form within several hundred ps); ``figure``
    (PNG, drawn) then carries the reason."""
    status, reason = gate(verdicts, summary["system"], validated_bulk, "glide", [figure])
    if summary["time_ps"] < min_ps:
        short = (
            f"a {summary['time_ps']:.2f}-ps run cannot show the glide, which forms within several hundred ps "
            f"(paper B); {min_ps:g} ps at least (study_b.md.glide.min_ps): run longer"
        )
        log.warning("%s: glide not supported: %s", summary["system"], short)
        mark_unsupported(figure, short)
        reason = "; ".join(filter(None, (reason, short)))
    gated = withhold(summary | {"potential_validation": status}, GLIDE_NUMBERS, reason)
    return gated | {"final_glide_per_pair_A": []} if reason else gated


def plane_rows(centres, per_plane, status: str, reason: str) -> list[dict]:
    """One row per plane of the mobile ion (``centres``: heights in Å; ``per_plane``: counts per
    frame and plane) with its count in the first and last frame; the last is withheld when
    ``reason`` says the validation does not support the MD."""
    rows = []
    for k, (centre, start, end) in enumerate(zip(centres, per_plane[0], per_plane[-1])):
        row = {
            "plane": k,
            "z_A": round(float(centre), 3),
            "li_first_frame": int(start),
            "li_last_frame": int(end),
            "potential_validation": status,
            "note": "",
        }
        rows.append(withhold(row, PLANE_NUMBERS, reason))
    return rows
