"""Snakemake adapter: interlayer glide of β-Li2ZrCl6 at 300 K (paper B, Fig. S5: ≈ 2.2 Å).

input.trajectory: the β MD dump (extxyz with info time_ps); input.validation: Study B's potential
validation table when the MD ran with the learned NEP (glide numbers it does not support are
NaN, ``note`` says why). params.glide: study_b.md.glide (system, temperature_K);
params.layer_cation: the cation whose planes are the layers;
params.validated_bulk: validation.dynamics.bulk. output.figure: glide vs time with side views of
the first and last frame; output.summary: JSON with the final glide (Å), NaN from a run shorter
than glide.min_ps.
"""

from ionflow.analysis.interface.structure_figures import plot_glide
from ionflow.io import write_json
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.reference_values import load_reference_values, values
from ionflow.studies.structure_b import gated_glide, glide_summary
from ionflow.studies.validation_b import system_verdicts
from ionflow.trajectory.frames import FirstAndLast
from ionflow.trajectory.readers import iter_extxyz

with log_to(snakemake.log[0]):
    path, system = snakemake.input.trajectory, snakemake.params.glide["system"]
    reference = load_reference_values(snakemake.input.reference[0]) if snakemake.input.reference else {}
    published = values(reference, "structure").get(system, {}).get("interlayer_glide_A")
    temperature_K = snakemake.params.glide["temperature_K"]
    frames = FirstAndLast(iter_extxyz(path))  # one read: the glide and the side views of both ends
    glide, summary = glide_summary(frames, system, temperature_K, snakemake.params.layer_cation, published)
    plot_glide(glide, snakemake.output.figure, (frames.first, frames.last), published)
    verdicts = system_verdicts(snakemake.input.validation)
    min_ps = snakemake.params.glide["min_ps"]
    gated = gated_glide(summary, verdicts, snakemake.params.validated_bulk, snakemake.output.figure, min_ps)
    write_json(gated, snakemake.output.summary)

name_inputs([snakemake.output.figure], [path])
