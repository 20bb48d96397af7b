"""Snakemake adapter: iteration it's train/test data = iteration it-1's plus its new labels."""

from ionflow.io import read_frames, write_frames
from ionflow.logs import log_to
from ionflow.potentials.dataset import train_test_split

with log_to(snakemake.log[0]) as log:
    it = int(snakemake.wildcards.it)
    new = read_frames(snakemake.input.labels)
    train_new, test_new = train_test_split(new, snakemake.params.test_fraction, snakemake.params.seed + it)
    train = (read_frames(snakemake.input.train) if "train" in snakemake.input.keys() else []) + train_new
    test = (read_frames(snakemake.input.test) if "test" in snakemake.input.keys() else []) + test_new
    log.info("iteration %d: %d new labelled frames; %d train, %d test in all", it, len(new), len(train), len(test))
    write_frames(train, snakemake.output.train)
    write_frames(test, snakemake.output.test)
