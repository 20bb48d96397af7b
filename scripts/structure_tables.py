"""Snakemake adapter: RDF first-peak positions and PMF barriers per phase."""

import json

import pandas as pd

from ionflow.analysis.validation.verdict import read_verdicts
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.tables import structure_rows

with log_to(snakemake.log[0]):
    results = [json.loads(open(path).read()) for path in snakemake.input.structure]
    verdicts = read_verdicts(snakemake.input.validation)
    for name, prefix in (("peaks", "first_peak_"), ("barriers", "pmf_")):
        rows = structure_rows(results, prefix, verdicts, snakemake.params.required)
        with atomic_path(snakemake.output[name]) as tmp:
            pd.DataFrame(rows).to_csv(tmp, index=False, float_format="%.4g")

name_inputs(snakemake.output, snakemake.input)
