"""Snakemake adapter: Table 1 (D_i, D, H_R, σ at 300 K and E_a per phase)."""

import json

import pandas as pd

from ionflow.analysis.validation.verdict import read_verdicts
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.tables import table1_rows

with log_to(snakemake.log[0]) as log:
    rows = table1_rows(
        [json.loads(open(path).read()) for path in snakemake.input.arrhenius],
        read_verdicts(snakemake.input.validation),
        snakemake.params.required,
    )
    for row in rows:
        if row["note"]:
            log.warning("Table 1, %s: %s", row["phase"], row["note"])
    with atomic_path(snakemake.output[0]) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False, float_format="%.4g")

name_inputs(snakemake.output, snakemake.input)
