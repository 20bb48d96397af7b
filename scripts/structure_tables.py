"""Snakemake adapter: RDF first-peak positions and PMF barriers per phase."""

import json

import pandas as pd

from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]):
    rows = [json.loads(open(path).read()) for path in snakemake.input]
    for name, prefix in (("peaks", "first_peak_"), ("barriers", "pmf_")):
        table = pd.DataFrame(
            [
                {
                    "phase": r["phase"],
                    "temperature_K": r["temperature_K"],
                    **{k: v for k, v in r.items() if k.startswith(prefix)},
                }
                for r in rows
            ]
        )
        with atomic_path(snakemake.output[name]) as tmp:
            table.to_csv(tmp, index=False, float_format="%.4g")

name_inputs(snakemake.output, snakemake.input)
