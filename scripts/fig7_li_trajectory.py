"""Snakemake adapter: Fig. 7 (xy and xz projection of one Li trajectory)."""

import numpy as np

from ionflow.analysis.structure.projection import plot_trajectory_projection
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.study_a import li_track

with log_to(snakemake.log[0]):
    positions, _ = li_track(snakemake.input[0], mobile=snakemake.params.mobile)
    times = np.arange(len(positions)) * snakemake.params.dt_ps
    with atomic_path(snakemake.output[0]) as tmp:
        plot_trajectory_projection(positions, times, tmp, title=snakemake.wildcards.phase.replace("_", " "))

name_inputs(snakemake.output, snakemake.input)
