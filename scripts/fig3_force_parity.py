"""Snakemake adapter: Fig. 3 force parity (per element and direction) of one phase."""

import numpy as np

from ionflow.analysis.parity import plot_force_parity
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]):
    data = np.load(snakemake.input[0])
    with atomic_path(snakemake.output[0]) as tmp:
        plot_force_parity(data["force_ref"], data["force_pred"], data["element"], tmp)

name_inputs(snakemake.output, snakemake.input)
