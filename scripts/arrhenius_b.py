"""Snakemake adapter: Arrhenius fit of the tracer conductivity per bulk phase (paper B: D = MSD/6t
of the Li self MSD, Nernst-Einstein, 450-700 K), table and figure.

input: transport summaries (JSON) of the bulk runs; params.phases: md.bulk phases.
output.table: tables/arrhenius_b.csv; output.figure: the Arrhenius plot.
"""

import json

import pandas as pd

from ionflow.analysis.transport.figures import plot_tracer_arrhenius
from ionflow.analysis.transport.tracer import tracer_arrhenius, tracer_arrhenius_rows
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.plotting import save_figure
from ionflow.provenance import name_inputs
from ionflow.studies.reference_values import load_reference_values, values

with log_to(snakemake.log[0]) as log:
    results = [json.loads(open(path).read()) for path in snakemake.input.results]
    reference = load_reference_values(snakemake.input.reference[0]) if snakemake.input.reference else {}
    entries = tracer_arrhenius(results, snakemake.params.phases)
    for entry in entries:
        if entry["fit"] is None:
            log.warning("%s: %s; no Arrhenius fit", entry["phase"], entry["note"])
        else:
            log.info("%s: %s", entry["phase"], entry["fit"])
    save_figure(plot_tracer_arrhenius(entries, values(reference, "arrhenius")), snakemake.output.figure)
    with atomic_path(snakemake.output.table) as tmp:
        pd.DataFrame(tracer_arrhenius_rows(entries)).to_csv(tmp, index=False, float_format="%.4g")

name_inputs(snakemake.output, snakemake.input)
