"""Snakemake adapter: student and teacher energies on frames of both validation runs of one phase
(the student's frames labelled by the reference), for the ensemble gap of the validation row."""

import numpy as np

from ionflow.io import atomic_path, read_frames
from ionflow.logs import log_to
from ionflow.potentials.ensemble_energies import ensemble_energies, evenly_spaced
from ionflow.reference import make_calculator
from ionflow.trajectory.readers import iter_frames

with log_to(snakemake.log[0]) as log:
    n_frames = snakemake.params.frames
    teacher = evenly_spaced(read_frames(snakemake.input.teacher), n_frames)
    student = evenly_spaced(list(iter_frames(snakemake.input.student, "auto", snakemake.params.type_map)), n_frames)
    log.info("%d teacher and %d student frames; labelling the student's with the reference", len(teacher), len(student))
    arrays = ensemble_energies(
        teacher,
        student,
        make_calculator(snakemake.params.reference, phase=snakemake.wildcards.phase),
        snakemake.params.reference["backend"],
        snakemake.input.model,
        snakemake.params.type_map,
    )
    with atomic_path(snakemake.output[0]) as tmp:
        np.savez(tmp, **arrays)
