"""How far apart the student's and the teacher's equilibrium ensembles are, from energies alone.

Both runs sample the canonical ensemble of their own potential on the same cell at the same
temperature. With ΔU = U_student − U_teacher evaluated on frames of each run, the symmetrised
relative entropy (Jeffreys divergence) of the two configurational distributions is exact:

    J = KL(p_s ‖ p_t) + KL(p_t ‖ p_s) = β (⟨ΔU⟩_teacher − ⟨ΔU⟩_student) ≥ 0

(the partition functions cancel, and so does any constant energy offset). A student that
reaches low-energy regions its teacher puts higher (a softened hop, a wrong local structure)
has ⟨ΔU⟩_student well below ⟨ΔU⟩_teacher. Unlike the D ratio, this needs no hops: a few tens
of frames resolve it (docs/potential_validation.md, "The student's own ensemble").

The force RMSE on the student's own frames against that on the teacher's says the same in
forces: a student that drifts where it was not trained is less accurate there.
"""

from __future__ import annotations

import numpy as np
from ase.units import kB as BOLTZMANN_EV_PER_K

from ionflow.analysis.statistics import standard_error

ENSEMBLE_BLOCKS = 4  # consecutive-frame blocks for the standard errors (frames of MD are correlated)
NO_ENSEMBLE = {
    "ensemble_gap_meV_atom": float("nan"),
    "ensemble_gap_meV_atom_se": float("nan"),
    "jeffreys_per_atom": float("nan"),
    "jeffreys_per_atom_se": float("nan"),
    "force_rmse_teacher_frames_eV_A": float("nan"),
    "force_rmse_student_frames_eV_A": float("nan"),
    "ensemble_note": "not computed: validation.ensemble_frames is 0",
}


def _block_means(values: np.ndarray, blocks: int) -> np.ndarray:
    usable = len(values) // blocks * blocks
    return values[:usable].reshape(blocks, -1).mean(axis=1) if usable else np.array([])


def ensemble_gap(
    du_teacher_frames_eV: np.ndarray,
    du_student_frames_eV: np.ndarray,
    n_atoms: int,
    temperature_K: float,
    blocks: int = ENSEMBLE_BLOCKS,
) -> dict:
    """Ensemble gap ⟨ΔU⟩_teacher − ⟨ΔU⟩_student per atom (meV/atom) and J per atom (nats).

    du_*_frames_eV: (n_frames,) U_student − U_teacher (eV, whole cell) on frames of the teacher's
    and of the student's run, in time order. Standard errors from ``blocks`` blocks of
    consecutive frames per run; NaN (and a note) when a run has fewer frames than blocks.
    """
    teacher = np.asarray(du_teacher_frames_eV, dtype=float) / n_atoms
    student = np.asarray(du_student_frames_eV, dtype=float) / n_atoms
    gap = float(teacher.mean() - student.mean()) if len(teacher) and len(student) else float("nan")
    errors = [standard_error(_block_means(run, blocks)) for run in (teacher, student)]
    gap_se = float(np.hypot(*errors))
    note = "" if np.isfinite(gap_se) else f"fewer than {blocks} frames of a run: no standard error"
    per_kT = 1.0 / (BOLTZMANN_EV_PER_K * temperature_K)
    return {
        "ensemble_gap_meV_atom": 1000.0 * gap,
        "ensemble_gap_meV_atom_se": 1000.0 * gap_se,
        "jeffreys_per_atom": gap * per_kT,
        "jeffreys_per_atom_se": gap_se * per_kT,
        "ensemble_note": note,
    }


def ensemble_checks(energies: dict, temperature_K: float) -> dict:
    """Validation-row fields from the arrays of :func:`ionflow.potentials.ensemble_energies.ensemble_energies`.

    energies: du_teacher_eV, du_student_eV (n_frames,) U_student − U_teacher per frame (eV);
    force_ms_teacher, force_ms_student (n_frames,) mean squared force error per frame (eV²/Å²);
    n_atoms; frames_failed (student frames the reference could not label, left out).
    """
    row = ensemble_gap(energies["du_teacher_eV"], energies["du_student_eV"], int(energies["n_atoms"]), temperature_K)
    for run in ("teacher", "student"):
        squares = np.asarray(energies[f"force_ms_{run}"], dtype=float)
        row[f"force_rmse_{run}_frames_eV_A"] = float(np.sqrt(squares.mean())) if len(squares) else float("nan")
    failed = int(energies["frames_failed"])
    if failed:
        row["ensemble_note"] = "; ".join(
            filter(None, [row["ensemble_note"], f"{failed} student frame(s) the reference could not label left out"])
        )
    return row
