"""Snakemake adapter: what CSM values and polyhedron volumes mean (paper B, Fig. S13).

input.structures: the relaxed bulk cells of params.phases (same order), whose Li polyhedra
(neighbours within params.cutoff_A) are placed on the volume panel. The curves are computed
from perfect and distorted LiCl_n polyhedra (``ionflow.analysis.interface.csm_reference``).
output.figure: the four-panel reference figure.
"""

from ionflow.analysis.interface.csm_reference import LI_CL_A, csm_reference_curves
from ionflow.analysis.interface.structure_figures import plot_csm_reference
from ionflow.io import read_frames
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.bulk_b import relaxed_polyhedra

with log_to(snakemake.log[0]) as log:
    curves = csm_reference_curves(LI_CL_A)
    log.info(
        "octahedral CSM: elongation ×2 → %.2f, trigonal prism → %.2f, σ = 0.1 Å → %.2f",
        curves["elongation"]["csm"][-1],
        curves["twist"]["csm"][-1],
        curves["random"]["csm"][5],
    )
    paths = zip(snakemake.params.phases, snakemake.input.structures, strict=True)
    structures = {phase: read_frames(path)[-1] for phase, path in paths}
    params = snakemake.params
    plot_csm_reference(
        curves, snakemake.output.figure, relaxed_polyhedra(structures, params.cutoff_A, params.mobile, params.anions)
    )

name_inputs([snakemake.output.figure], snakemake.input.structures)
