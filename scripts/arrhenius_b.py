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
from ionflow.studies.reference_values import load_reference_values, values
from ionflow.studies.validation_b import md_status, system_verdicts, withhold

MEASURED = ("sigma_RT_mS_cm", "sigma_RT_mS_cm_se", "E_a_eV", "E_a_eV_se", "r2")

with log_to(snakemake.log[0]) as log:
    results = [json.loads(open(path).read()) for path in snakemake.input.results]
    reference = load_reference_values(snakemake.input.reference[0]) if snakemake.input.reference else {}
    verdicts = system_verdicts(snakemake.input.validation)
    entries = tracer_arrhenius(results, snakemake.params.phases)
    rows, shown, unsupported = [], [], []
    for entry, row in zip(entries, tracer_arrhenius_rows(entries)):
        status, reason = md_status(verdicts, entry["phase"], snakemake.params.validated_bulk)
        rows.append(withhold(row | {"potential_validation": status}, MEASURED, reason))
        if reason:
            log.warning("%s: numbers withheld: %s", entry["phase"], reason)
            unsupported.append(f"{entry['phase']}: {reason}")
            entry = entry | {"fit": None, "phase": f"{entry['phase']} (NEP {status.split()[0]})"}
        elif entry["fit"] is None:
            log.warning("%s: %s; no Arrhenius fit", entry["phase"], entry["note"])
        else:
            log.info("%s: %s", entry["phase"], entry["fit"])
        shown.append(entry)
    save_figure(plot_tracer_arrhenius(shown, values(reference, "arrhenius")), snakemake.output.figure)
    if unsupported:  # the points stay visible, under the same banner as every other withheld figure
        mark_unsupported(snakemake.output.figure, "; ".join(unsupported))
    with atomic_path(snakemake.output.table) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False, float_format="%.4g")

name_inputs(snakemake.output, snakemake.input)
