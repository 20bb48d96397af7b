"""Snakemake adapter: label one chunk of a phase's AIMD-protocol frames with the reference."""

from ionflow.io import read_frames
from ionflow.logs import log_to
from ionflow.reference import make_calculator
from ionflow.reference.labelling import FAILURE_KEY, chunk_bounds, label_frames

with log_to(snakemake.log[0]) as log:
    labelling = snakemake.params.labelling
    reference = labelling["reference"]
    frames = [frame for path in snakemake.input.frames for frame in read_frames(path)]
    start, stop = chunk_bounds(len(frames), labelling["chunk_size"], int(snakemake.wildcards.chunk))
    calculator = make_calculator(reference, phase=snakemake.wildcards.phase)
    labelled = label_frames(frames[start:stop], calculator, reference["backend"], snakemake.output[0], reference)
    failed = sum(FAILURE_KEY in frame.info for frame in labelled)
    log.info(
        "chunk %s: frames %d-%d, %d labelled, %d failed",
        snakemake.wildcards.chunk,
        start,
        stop - 1,
        len(labelled) - failed,
        failed,
    )
