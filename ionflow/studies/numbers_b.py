"""Study B's numbers gathered from its tables in the shape of published reference values
(table → row → quantity → value), for ``paper_vs_ionflow.csv`` (``reference_values.compare``)."""

from __future__ import annotations

import numpy as np


def study_b_numbers(
    rmse: list[dict],
    holdout: list[dict],
    arrhenius: list[dict],
    polymorphs: list[dict],
    layers: list[dict],
    glide: dict,
) -> dict[str, dict[str, dict[str, float]]]:
    """Rows of the NEP RMSE, hold-out interface, Arrhenius, polymorph-energy and layer tables
    (a number the data did not support is NaN) and the glide summary → the nested numbers:
    RMSEs per set (meV/atom, meV/Å), mean |hold-out error| (meV/atom), σ_RT (mS/cm) and E_a (eV)
    per phase, polymorph energies (meV/atom), Li-rich : Li-poor layer ratio and the final
    interlayer glide (Å)."""
    errors = [abs(float(row["error_meV_atom"])) for row in holdout]
    structure = {row["phase"]: {"li_rich_to_poor": float(row["rich_to_poor"])} for row in layers}
    structure.setdefault(glide["system"], {})["interlayer_glide_A"] = glide["final_mean_glide_A"]
    return {
        "nep_rmse": {row["set"]: {k: float(v) for k, v in row.items() if k.endswith(("_atom", "_A"))} for row in rmse},
        "holdout_interfaces": {"mean": {"abs_error_meV_atom": float(np.mean(errors))}} if errors else {},
        "arrhenius": {
            row["phase"]: {"sigma_RT_mS_cm": float(row["sigma_RT_mS_cm"]), "E_a_eV": float(row["E_a_eV"])}
            for row in arrhenius
        },
        "polymorph_energies": {
            row["phase"]: {k: float(row[k]) for k in ("reference_meV_atom", "nep_meV_atom")} for row in polymorphs
        },
        "structure": structure,
    }
