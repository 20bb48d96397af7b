"""Snakemake adapter: structure of the bulk Li2ZrCl6 phases (paper B, Figs. S7, S12, S14a-b).

input.trajectories: bulk MD dumps (extxyz with info time_ps), one per phase of params.phases
(same order). params.analysis: the study_b analysis settings. input.validation: Study B's
potential validation table when the MD ran with the learned NEP (params.validated_bulk: the
systems it checked). Outputs: rdf (Fig. S7), layers (Fig. S12), csm (Fig. S14a-b) and table
(Li per layer, CSV; NaN where the validation does not support the MD).
"""

from ionflow.analysis.interface.figures import plot_bulk_csm_volume_maps
from ionflow.analysis.interface.structure_figures import plot_layer_populations
from ionflow.analysis.structure.rdf import plot_partial_rdfs, rdf_pairs
from ionflow.io import write_csv
from ionflow.logs import log_to
from ionflow.plotting import mark_unsupported
from ionflow.provenance import name_inputs
from ionflow.studies.bulk_b import bulk_structure, layer_rows
from ionflow.studies.validation_b import system_verdicts

with log_to(snakemake.log[0]):
    settings = snakemake.params.analysis
    trajectories = dict(zip(snakemake.params.phases, snakemake.input.trajectories, strict=True))
    bulk = bulk_structure(trajectories, snakemake.params.species, settings)
    pairs = rdf_pairs(bulk["species"], settings["transport"]["species"])
    plot_partial_rdfs(bulk["r_A"], bulk["rdfs"], snakemake.output.rdf, pairs=pairs, cutoff_A=settings["cn_cutoff_A"])
    plot_layer_populations(bulk["populations"], snakemake.output.layers)
    plot_bulk_csm_volume_maps(bulk["polyhedra"], snakemake.output.csm)
    verdicts = system_verdicts(snakemake.input.validation)
    rows, unsupported = layer_rows(bulk["populations"], verdicts, snakemake.params.validated_bulk)
    write_csv(rows, snakemake.output.table)
    if unsupported:
        for figure in (snakemake.output.rdf, snakemake.output.layers, snakemake.output.csm):
            mark_unsupported(figure, "; ".join(unsupported))

name_inputs(
    [snakemake.output.rdf, snakemake.output.layers, snakemake.output.csm, snakemake.output.table],
    snakemake.input.trajectories,
)
