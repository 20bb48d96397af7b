"""Snakemake adapter: Fig. 5 (MSD on log axes and Arrhenius plot)."""

import json

import numpy as np

from ionflow.analysis.transport.figures import plot_msd_arrhenius
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.plotting import save_figure
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]):
    arrhenius = [json.loads(open(path).read()) for path in snakemake.input.arrhenius]
    curves = {entry["phase"]: [] for entry in arrhenius}
    for path, phase in zip(snakemake.input.msd, snakemake.params.msd_phases):
        curves[phase].append(dict(np.load(path)))
    with atomic_path(snakemake.output[0]) as tmp:
        save_figure(plot_msd_arrhenius(curves, arrhenius), tmp)

name_inputs(snakemake.output, snakemake.input)
