"""Snakemake adapter: Fig. 6 (directional collective and self MSD at the analysis temperature)."""

import numpy as np

from ionflow.analysis.transport.figures import plot_directional_msd
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.plotting import save_figure
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]):
    curves = {phase: dict(np.load(path)) for phase, path in zip(snakemake.params.phases, snakemake.input)}
    with atomic_path(snakemake.output[0]) as tmp:
        save_figure(plot_directional_msd(curves), tmp)

name_inputs(snakemake.output, snakemake.input)
