"""Snakemake adapter: the initial set's 2D SOAP-PCA map, clusters and representatives."""

import numpy as np

from ionflow.logs import log_to
from ionflow.plotting import save_figure
from ionflow.potentials.nep.figures import plot_latent_map
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]):
    data = np.load(snakemake.input[0])
    save_figure(plot_latent_map(data["coordinates"], data["system"], data["chosen"]), snakemake.output[0])

name_inputs(snakemake.output, snakemake.input)
