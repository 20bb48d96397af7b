"""Snakemake adapter: SOAP -> 2D PCA -> k-means; one representative frame per cluster, and a
test set of foundation-model MD frames in the target region that training never sees."""

import numpy as np

from ionflow.io import atomic_path, read_frames, write_frames
from ionflow.logs import log_to
from ionflow.potentials.initial_set import cluster_representatives, latent_map, soap_features, target_test_frames

with log_to(snakemake.log[0]) as log:
    settings = snakemake.params.initial
    frames = [frame for path in snakemake.input for frame in read_frames(path)]
    soap = settings["soap"]
    features = soap_features(
        frames, snakemake.params.species, soap["r_cut_A"], soap["n_max"], soap["l_max"], soap["sigma_A"]
    )
    coordinates = latent_map(features, settings["seed"])
    labels, chosen = cluster_representatives(coordinates, settings["clusters"], settings["seed"])
    log.info("%d candidate frames, %d SOAP features, %d representatives", len(frames), features.shape[1], len(chosen))
    write_frames([frames[i] for i in chosen], snakemake.output.selected)
    target = target_test_frames(
        frames, chosen, snakemake.params.target_temperature_K, settings["target_test_frames"], settings["seed"]
    )
    log.info("%d target-region test frames (foundation MD at %s K)", len(target), snakemake.params.target_temperature_K)
    write_frames([frames[i] for i in target], snakemake.output.target_test)
    with atomic_path(snakemake.output.latent_map) as tmp:
        np.savez(
            tmp,
            coordinates=coordinates,
            cluster=labels,
            chosen=np.array(chosen),
            system=np.array([f.info.get("system", "") for f in frames]),
            origin=np.array([f.info.get("origin", "") for f in frames]),
        )
