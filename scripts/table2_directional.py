"""Snakemake adapter: Table 2 with Tables S4-S5 (directional σ and Haven ratios)."""

import json

import pandas as pd

from ionflow.analysis.validation.verdict import read_verdicts
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.tables import table2_rows

with log_to(snakemake.log[0]):
    rows = table2_rows(
        [json.loads(open(path).read()) for path in snakemake.input.results],
        read_verdicts(snakemake.input.validation),
        snakemake.params.required,
    )
    with atomic_path(snakemake.output[0]) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False, float_format="%.4g")

name_inputs(snakemake.output, snakemake.input)
