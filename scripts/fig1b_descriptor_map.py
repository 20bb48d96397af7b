"""Snakemake adapter: per-atom NEP descriptors of the training set in 2D (Fig. 1b)."""

import numpy as np
from calorine.nep import get_descriptors
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE
from sklearn.preprocessing import StandardScaler

from ionflow.io import read_frames
from ionflow.logs import log_to
from ionflow.plotting import save_figure
from ionflow.potentials.nep.figures import plot_descriptor_map
from ionflow.potentials.nep.validation import environment
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]) as log:
    settings = snakemake.params.validation
    frames = read_frames(snakemake.input.train) + read_frames(snakemake.input.test)
    descriptors, labels = [], []
    for frame in frames:
        descriptors.append(get_descriptors(frame, snakemake.input.model))
        labels += [environment(frame.info["system"])] * len(frame)
    X = StandardScaler().fit_transform(np.concatenate(descriptors))
    rng = np.random.default_rng(settings["seed"])
    keep = rng.choice(len(X), size=min(len(X), settings["descriptor_map_atoms"]), replace=False)
    method = settings["descriptor_map"]
    projector = TSNE(n_components=2, random_state=settings["seed"]) if method == "t-SNE" else PCA(n_components=2)
    coordinates = projector.fit_transform(X[keep])
    log.info("%d atoms of %d frames mapped with %s", len(keep), len(frames), method)
    save_figure(plot_descriptor_map(coordinates, np.array(labels)[keep], method), snakemake.output[0])

name_inputs(snakemake.output, snakemake.input)
