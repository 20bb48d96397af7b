"""Student and teacher energies on frames of both validation runs (the engine side of
:mod:`ionflow.analysis.validation.ensemble`): the teacher's frames already carry the reference's
labels; frames of the student's run are labelled here by the reference; the DP evaluates both."""

from __future__ import annotations

import logging

import numpy as np

from ionflow.potentials.deepmd import deepmd_evaluate
from ionflow.reference.labelling import FAILURE_KEY, label_one

log = logging.getLogger(__name__)


def evenly_spaced(frames: list, n_frames: int) -> list:
    """``n_frames`` frames spread evenly over ``frames`` from first to last (all when fewer), in order."""
    if n_frames >= len(frames):
        return list(frames)
    return [frames[i] for i in np.linspace(0, len(frames) - 1, n_frames).round().astype(int)]


def ensemble_energies(teacher_frames, student_frames, calculator, reference_name: str, model, type_map) -> dict:
    """Arrays for :func:`ionflow.analysis.validation.ensemble.ensemble_checks`.

    teacher_frames: ASE frames with the reference's energy (eV) and forces (eV/Å).
    student_frames: unlabelled ASE frames of the student's run, labelled here with ``calculator``;
    a frame the reference cannot label is left out and counted. model: frozen DP file.
    """
    labelled, failed = [], 0
    for number, frame in enumerate(student_frames):
        result = label_one(frame, calculator, reference_name)
        if FAILURE_KEY in result.info:
            log.warning("student frame %d left out: %s", number, result.info[FAILURE_KEY])
            failed += 1
        else:
            labelled.append(result)
    arrays = {"n_atoms": len(teacher_frames[0]), "frames_failed": failed}
    for run, frames in (("teacher", list(teacher_frames)), ("student", labelled)):
        energies, forces = deepmd_evaluate(frames, model, type_map)
        arrays[f"du_{run}_eV"] = energies - np.array([f.get_potential_energy() for f in frames])
        arrays[f"force_ms_{run}"] = np.array([np.mean((f_dp - f.get_forces()) ** 2) for f_dp, f in zip(forces, frames)])
    return arrays
