"""Snakemake adapter: every published number of input.reference (Tables 1-3) beside ionflow's."""

import pandas as pd

from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.reference_values import compare, load_reference_values

with log_to(snakemake.log[0]):
    ours = {
        name: pd.read_csv(snakemake.input[name], comment="#").set_index("phase").to_dict("index")
        for name in ("table1", "table2", "table3")
    }
    rows = compare(ours, load_reference_values(snakemake.input.reference[0]))
    with atomic_path(snakemake.output[0]) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False, float_format="%.4g")

name_inputs(snakemake.output, snakemake.input)
