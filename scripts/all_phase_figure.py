"""Snakemake adapter: figures that put all phases side by side (Figs. S8, 10a, 10b, 11 1D PMF)."""

import numpy as np

from ionflow.analysis.structure.pmf import plot_pmf_profiles
from ionflow.analysis.structure.rdf import plot_partial_rdfs
from ionflow.analysis.structure.residence import plot_residence_autocorrelation
from ionflow.analysis.structure.xrd import plot_xrd_patterns
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]):
    phases = [p.replace("_", " ") for p in snakemake.params.phases]
    dynamics = [np.load(path) for path in snakemake.input.dynamics]
    structure = [np.load(path) for path in snakemake.input.structure]
    figure = snakemake.wildcards.figure
    with atomic_path(snakemake.output[0]) as tmp:
        if figure == "figS8_residence":
            curves = {}
            for phase, d in zip(phases, dynamics):
                curves[f"{phase}: site"] = (d["tau_ps"], d["c_site"])
                curves[f"{phase}: adjacent Li"] = (d["tau_ps"], d["c_adjacent"])
            plot_residence_autocorrelation(curves, tmp)
        elif figure == "fig10a_xrd":
            patterns = {}
            for phase, s in zip(phases, structure):
                patterns[f"{phase}: MD"] = s["xrd_md"]
                patterns[f"{phase}: start"] = s["xrd_start"]
            plot_xrd_patterns(structure[0]["two_theta_deg"], patterns, tmp)
        elif figure == "fig10b_rdf":
            rdfs = {
                phase: {k[4:]: s[k] for k in s.files if k.startswith("rdf_")} for phase, s in zip(phases, structure)
            }
            plot_partial_rdfs(structure[0]["r"], rdfs, tmp)
        else:
            plot_pmf_profiles(structure[0]["r"], {f"{p}: Li–Li": s["pmf_LiLi"] for p, s in zip(phases, structure)}, tmp)

name_inputs(snakemake.output, snakemake.input)
