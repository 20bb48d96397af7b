"""Snakemake adapter: interlayer glide of β-Li2ZrCl6 at 300 K (paper B, Fig. S5: ≈ 2.2 Å).

input.trajectory: the β MD dump (extxyz with info time_ps); input.validation: Study B's potential
validation table when the MD ran with the learned NEP (glide numbers it does not support are
NaN, ``note`` says why). params.glide: study_b.md.glide (system, temperature_K);
params.layer_cation: the cation whose planes are the layers;
params.validated_bulk: validation.dynamics.bulk. output.figure: glide vs time with side views of
the first and last frame; output.summary: JSON with the final glide (Å).
"""

import numpy as np
from ase.io import read

from ionflow.analysis.interface.glide import interlayer_glide
from ionflow.analysis.interface.structure_figures import plot_glide
from ionflow.io import write_json
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.reference_values import load_reference_values, values
from ionflow.studies.validation_b import gate, system_verdicts, withhold
from ionflow.trajectory.readers import iter_extxyz

with log_to(snakemake.log[0]) as log:
    path = snakemake.input.trajectory
    reference = load_reference_values(snakemake.input.reference[0]) if snakemake.input.reference else {}
    published = values(reference, "structure").get(snakemake.params.glide["system"], {}).get("interlayer_glide_A")
    glide = interlayer_glide(iter_extxyz(path), species=(snakemake.params.layer_cation,))
    frames = (read(path, index=0, format="extxyz"), read(path, index=-1, format="extxyz"))
    final = np.linalg.norm(glide.shift_A[-1], axis=1)
    summary = {
        "system": snakemake.params.glide["system"],
        "temperature_K": snakemake.params.glide["temperature_K"],
        "layers": f"{snakemake.params.layer_cation} planes along c*",
        "n_layers": len(glide.layer_height_A),
        "n_frames": len(glide.time_ps),
        "time_ps": float(glide.time_ps[-1] - glide.time_ps[0]),
        "final_mean_glide_A": float(final.mean()),
        "final_glide_std_over_pairs_A": float(final.std()),
        "final_glide_per_pair_A": np.round(final, 4).tolist(),
        "reference_glide_A": published,
    }
    log.info(
        "%d %s layers, %d frames: final mean glide %.3f ± %.3f Å (reference: %s Å)",
        summary["n_layers"],
        snakemake.params.layer_cation,
        summary["n_frames"],
        final.mean(),
        final.std(),
        published,
    )
    plot_glide(glide, snakemake.output.figure, frames, published)
    verdicts = system_verdicts(snakemake.input.validation)
    validated = snakemake.params.validated_bulk
    status, reason = gate(verdicts, summary["system"], validated, "glide", [snakemake.output.figure])
    measured = ("final_mean_glide_A", "final_glide_std_over_pairs_A")
    summary = withhold(summary | {"potential_validation": status}, measured, reason)
    if reason:
        summary["final_glide_per_pair_A"] = []
    write_json(summary, snakemake.output.summary)

name_inputs([snakemake.output.figure], [path])
