"""Snakemake adapter: Fig. S2, energy and virial parity of one phase's Deep Potential."""

import numpy as np

from ionflow.analysis.parity import plot_energy_virial_parity
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]):
    with np.load(snakemake.input[0]) as parity, atomic_path(snakemake.output[0]) as tmp:
        plot_energy_virial_parity(dict(parity), tmp)

name_inputs(snakemake.output, snakemake.input)
