"""Snakemake adapter: nep.in, train.xyz and test.xyz of every committee member and the full model."""

from pathlib import Path

from ionflow.io import read_frames
from ionflow.logs import log_to
from ionflow.potentials.nep.inputs import nep_parameters, write_committee

with log_to(snakemake.log[0]) as log:
    nep = snakemake.params.nep
    species = snakemake.params.species
    it = int(snakemake.wildcards.it)
    parameters = [
        nep_parameters(nep, species, nep["trainer"], seed=nep["seed"] + k, iteration=it, member=f"model{k + 1}")
        for k in range(nep["committee_size"])
    ]
    full = nep_parameters(nep, species, nep["trainer"], seed=nep["seed"], iteration=it, member="full")
    train, test = read_frames(snakemake.input.train), read_frames(snakemake.input.test)
    write_committee(
        train,
        test,
        Path(snakemake.params.directory),
        parameters,
        nep["committee_mode"],
        nep.get("bagging_fraction", 0.8),
        nep["seed"],
        full,
    )
    log.info(
        "%d members (%s) + full model: %d train, %d test frames",
        nep["committee_size"],
        nep["committee_mode"],
        len(train),
        len(test),
    )
