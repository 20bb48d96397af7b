"""Snakemake adapter: Fig. S3, RDFs of Deep Potential MD against the reference MD of one phase
at each validation temperature, with first-peak positions and a difference score per pair."""

import csv

from ionflow.analysis.structure.rdf import (
    first_peak_position,
    partial_rdfs,
    plot_rdf_validation,
    rdf_mean_absolute_difference,
)
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.trajectory.readers import iter_frames

with log_to(snakemake.log[0]) as log:
    curves, rows = {}, []
    for temperature, reference, model in zip(
        snakemake.params.temperatures, snakemake.input.reference, snakemake.input.model
    ):
        species, r_max = snakemake.params.type_map, snakemake.params.r_max_A
        r, g_reference = partial_rdfs(iter_frames(reference, fmt="extxyz"), species, r_max=r_max)
        _, g_model = partial_rdfs(iter_frames(model, fmt="lammps-dump"), species, r_max=r_max)
        curves[temperature] = (g_reference, g_model)
        for pair in g_reference:
            rows.append(
                {
                    "phase": snakemake.wildcards.phase,
                    "temperature_K": temperature,
                    "pair": pair,
                    "first_peak_reference_A": round(first_peak_position(r, g_reference[pair]), 4),
                    "first_peak_dp_A": round(first_peak_position(r, g_model[pair]), 4),
                    "mean_abs_difference": round(rdf_mean_absolute_difference(r, g_reference[pair], g_model[pair]), 4),
                }
            )
        log.info("%s K: reference %s, DP-MD %s", temperature, reference, model)
    plot_rdf_validation(r, curves, snakemake.output.figure)
    with atomic_path(snakemake.output.table) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

name_inputs(snakemake.output, snakemake.input)
