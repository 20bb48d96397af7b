"""Snakemake adapter: Table S2, R²/MAE/RMSE of energy, forces per element and direction and
virial components of every phase's Deep Potential on its test set."""

import numpy as np
import pandas as pd

from ionflow.analysis.parity import table_s2_rows
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]):
    rows = []
    for phase, path in zip(snakemake.params.phases, snakemake.input):
        with np.load(path) as parity:
            rows += [{"phase": phase, **row} for row in table_s2_rows(dict(parity))]
    with atomic_path(snakemake.output[0]) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False, float_format="%.5g")

name_inputs(snakemake.output, snakemake.input)
