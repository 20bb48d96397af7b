"""Snakemake adapter: every number of the paper's Tables 1-3 beside ionflow's."""

import pandas as pd

from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.paper import compare

with log_to(snakemake.log[0]):
    ours = {
        name: pd.read_csv(snakemake.input[name], comment="#").set_index("phase").to_dict("index")
        for name in ("table1", "table2", "table3")
    }
    with atomic_path(snakemake.output[0]) as tmp:
        pd.DataFrame(compare(ours)).to_csv(tmp, index=False, float_format="%.4g")

name_inputs(snakemake.output, snakemake.input)
