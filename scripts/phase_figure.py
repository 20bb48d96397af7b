"""Snakemake adapter: the per-phase figures of Figs. 8, 9 and 11 from the analysis arrays."""

import numpy as np
from ase import Atoms

from ionflow.analysis.structure.isosurface import plot_isosurfaces
from ionflow.analysis.structure.pmf import plot_pmf_maps
from ionflow.analysis.structure.van_hove import plot_nearest_neighbour_map, plot_self_van_hove
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.study_a import PMF_MAPS

with log_to(snakemake.log[0]):
    dynamics = np.load(snakemake.input.dynamics)
    structure = np.load(snakemake.input.structure)
    figure = snakemake.wildcards.figure
    with atomic_path(snakemake.output[0]) as tmp:
        if figure == "fig8_van_hove":
            plot_self_van_hove(dynamics["r"], dynamics["lag_times_ps"], dynamics["g_self"], tmp)
        elif figure == "fig8b_nearest_li":
            plot_nearest_neighbour_map(dynamics["nn_times_ps"], dynamics["r_nn"], dynamics["nn_map"], tmp)
        elif figure == "fig9_li_density":
            crystal = Atoms(
                numbers=structure["crystal_numbers"],
                scaled_positions=structure["crystal_fractional"],
                cell=structure["unit_vectors"],
                pbc=True,
            )
            plot_isosurfaces(structure["density"], crystal, tmp, mobile=snakemake.params.mobile)
        else:
            maps = {title: (structure[f"pmf_map_{i}"], plane) for i, (title, (plane, _)) in enumerate(PMF_MAPS.items())}
            plot_pmf_maps(maps, structure["unit_vectors"], tmp)

name_inputs(snakemake.output, snakemake.input)
