"""Snakemake adapter: label selected frames with the reference; failures recorded, excluded."""

from ionflow.io import atomic_path, read_frames, write_frames
from ionflow.logs import log_to
from ionflow.potentials.dataset import screen_frames, write_failures
from ionflow.reference import make_calculator
from ionflow.reference.labelling import label_frames

with log_to(snakemake.log[0]) as log:
    reference = snakemake.params.reference
    frames = read_frames(snakemake.input.frames)
    partial = snakemake.output.labels + ".all"
    labelled = (
        label_frames(frames, make_calculator(reference), reference["backend"], partial, reference) if frames else []
    )
    good, failures = screen_frames(labelled, float("inf"), snakemake.wildcards.stage)
    log.info("%s: %d frames, %d labelled, %d failed", snakemake.wildcards.stage, len(frames), len(good), len(failures))
    with atomic_path(snakemake.output.failures) as tmp:
        write_failures(failures, tmp)
    write_frames(good, snakemake.output.labels)
