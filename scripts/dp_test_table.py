"""Snakemake adapter: one row per phase of DeePMD test-set errors (Table S2 style)."""

import json

import pandas as pd

from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]):
    table = pd.DataFrame([json.loads(open(path).read()) for path in snakemake.input])
    with atomic_path(snakemake.output[0]) as tmp:
        table.to_csv(tmp, index=False, float_format="%.6g")

name_inputs(snakemake.output, snakemake.input)
