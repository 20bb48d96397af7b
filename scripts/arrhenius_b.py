"""Snakemake adapter: Arrhenius fit of the tracer conductivity per bulk phase (paper B: D = MSD/6t
of the Li self MSD, Nernst-Einstein, 450-700 K), table and figure.

input: transport summaries (JSON) of the bulk runs; input.validation: Study B's potential
validation table when the MD ran with the learned NEP (a phase it does not support keeps NaN, no
fit line, and the figure gets the red banner). params.phases: md.bulk phases;
params.validated_bulk: validation.dynamics.bulk.
output.table: tables/arrhenius_b.csv; output.figure: the Arrhenius plot.
"""

import json

import pandas as pd

from ionflow.analysis.transport.figures import plot_tracer_arrhenius
from ionflow.analysis.transport.tracer import tracer_arrhenius, tracer_arrhenius_rows
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.plotting import mark_unsupported, save_figure
from ionflow.provenance import name_inputs
from ionflow.studies.bulk_b import gated_arrhenius
from ionflow.studies.reference_values import load_reference_values, values
from ionflow.studies.validation_b import system_verdicts

with log_to(snakemake.log[0]):
    results = [json.loads(open(path).read()) for path in snakemake.input.results]
    reference = load_reference_values(snakemake.input.reference[0]) if snakemake.input.reference else {}
    entries = tracer_arrhenius(results, snakemake.params.phases)
    rows, shown, unsupported = gated_arrhenius(
        entries,
        tracer_arrhenius_rows(entries),
        system_verdicts(snakemake.input.validation),
        snakemake.params.validated_bulk,
    )
    save_figure(plot_tracer_arrhenius(shown, values(reference, "arrhenius")), snakemake.output.figure)
    if unsupported:  # the points stay visible, under the same banner as every other withheld figure
        mark_unsupported(snakemake.output.figure, "; ".join(unsupported))
    with atomic_path(snakemake.output.table) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False, float_format="%.4g")

name_inputs(snakemake.output, snakemake.input)
