"""Paper A's Fig. S3: partial RDFs of the learned potential's MD against the reference's MD of one
phase at each validation temperature, with first peaks (Å) and a difference score per pair."""

from __future__ import annotations

from ionflow.analysis.structure.rdf import first_peak_position, partial_rdfs, rdf_mean_absolute_difference
from ionflow.trajectory.readers import iter_frames


def rdf_validation(phase: str, runs: dict, species, r_max_A: float) -> tuple:
    """``runs``: temperature (K) → (reference extxyz, learned-potential LAMMPS dump). Returns the
    bins r (Å), temperature → (reference RDFs, model RDFs) for the figure, and one row per
    temperature and pair of ``species``: both first peaks and the mean |Δg|."""
    curves, rows = {}, []
    for temperature, (reference, model) in runs.items():
        r, g_reference = partial_rdfs(iter_frames(reference, fmt="extxyz"), species, r_max=r_max_A)
        _, g_model = partial_rdfs(iter_frames(model, fmt="lammps-dump"), species, r_max=r_max_A)
        curves[temperature] = (g_reference, g_model)
        for pair in g_reference:
            rows.append(
                {
                    "phase": phase,
                    "temperature_K": temperature,
                    "pair": pair,
                    "first_peak_reference_A": round(first_peak_position(r, g_reference[pair]), 4),
                    "first_peak_dp_A": round(first_peak_position(r, g_model[pair]), 4),
                    "mean_abs_difference": round(rdf_mean_absolute_difference(r, g_reference[pair], g_model[pair]), 4),
                }
            )
    return r, curves, rows
