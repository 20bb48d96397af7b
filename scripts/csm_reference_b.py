"""Snakemake adapter: what CSM values and polyhedron volumes mean (paper B, Fig. S13).

input.structures: the relaxed bulk cells of params.phases (same order), whose Li polyhedra
(neighbours within params.cutoff_A) are placed on the volume panel. The curves are computed
from perfect and distorted LiCl_n polyhedra (``ionflow.analysis.interface.csm_reference``).
output.figure: the four-panel reference figure.
"""

import numpy as np

from ionflow.analysis.interface.csm_reference import LI_CL_A, csm_reference_curves
from ionflow.analysis.interface.polyhedra import li_polyhedra
from ionflow.analysis.interface.structure_figures import plot_csm_reference
from ionflow.io import read_frames
from ionflow.logs import log_to
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]) as log:
    curves = csm_reference_curves(LI_CL_A)
    log.info(
        "octahedral CSM: elongation ×2 → %.2f, trigonal prism → %.2f, σ = 0.1 Å → %.2f",
        curves["elongation"]["csm"][-1],
        curves["twist"]["csm"][-1],
        curves["random"]["csm"][5],
    )
    structures = {}
    for phase, path in zip(snakemake.params.phases, snakemake.input.structures, strict=True):
        table = li_polyhedra(
            read_frames(path)[-1:],
            snakemake.params.cutoff_A,
            interface_width_A=None,
            center=snakemake.params.mobile,
            neighbours=snakemake.params.anions,
        )
        structures[phase] = table
        log.info(
            "%s: Li CN %s, mean Li–X %.3f Å, volume %.2f Å³, CSM %.2f (max %.2f)",
            phase,
            np.unique(table["cn"]).tolist(),
            np.nanmean(table["mean_bond_A"]),
            table["volume_A3"].mean(),
            np.nanmean(table["csm"]),
            np.nanmax(table["csm"]),
        )
    plot_csm_reference(curves, snakemake.output.figure, structures)

name_inputs([snakemake.output.figure], snakemake.input.structures)
