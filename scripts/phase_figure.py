"""Snakemake adapter: the per-phase figures of Figs. 8, 9 and 11 from the analysis arrays."""

import numpy as np

from ionflow.analysis.density import plot_density_projections
from ionflow.analysis.pmf import plot_pmf_maps
from ionflow.analysis.van_hove import plot_nearest_neighbour_map, plot_self_van_hove
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.study_a import PMF_MAPS

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
            plot_density_projections(structure["density"], structure["unit_vectors"], tmp)
        else:
            maps = {title: (structure[f"pmf_map_{i}"], plane) for i, (title, (plane, _)) in enumerate(PMF_MAPS.items())}
            plot_pmf_maps(maps, structure["unit_vectors"], tmp)
