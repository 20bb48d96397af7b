"""Snakemake adapter: Fig. S3, RDFs of Deep Potential MD against the reference MD of one phase
at each validation temperature, with first-peak positions and a difference score per pair."""

from ionflow.analysis.structure.rdf import plot_rdf_validation
from ionflow.analysis.validation.rdf import rdf_validation
from ionflow.io import write_csv
from ionflow.logs import log_to
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]) as log:
    runs = dict(zip(snakemake.params.temperatures, zip(snakemake.input.reference, snakemake.input.model)))
    for temperature, (reference, model) in runs.items():
        log.info("%s K: reference %s, DP-MD %s", temperature, reference, model)
    phase, species = snakemake.wildcards.phase, snakemake.params.type_map
    r, curves, rows = rdf_validation(phase, runs, species, snakemake.params.r_max_A)
    plot_rdf_validation(r, curves, snakemake.output.figure)
    write_csv(rows, snakemake.output.table)

name_inputs(snakemake.output, snakemake.input)
