"""Snakemake adapter: Table 3 (residence times and jump lengths per phase)."""

import json

import pandas as pd

from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]):
    rows = [json.loads(open(path).read()) for path in snakemake.input]
    columns = [
        "phase",
        "temperature_K",
        "tau_site_ps",
        "tau_adjacent_li_ps",
        "jump_length_A",
        "tau_site_plain_ps",
        "tau_adjacent_li_plain_ps",
        "D_self_cm2_s",
        "sites",
    ]
    with atomic_path(snakemake.output.table) as tmp:
        pd.DataFrame(rows)[columns].to_csv(tmp, index=False, float_format="%.4g")

name_inputs(snakemake.output, snakemake.input)
