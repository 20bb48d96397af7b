"""Snakemake adapter: interface analyses of paper B at the analysis temperature (Figs. 3-5):
Li coordination vs z, Li density vs z and time, hops vs z, net-displacement classes, CSM vs volume.
input.validation: Study B's potential validation table when the MD ran with the learned NEP; the
figures of an interface it does not support carry a banner saying so."""

import tempfile

import numpy as np

from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.study_b import interface_analyses, plot_interface_analyses
from ionflow.studies.validation_b import gate, system_verdicts
from ionflow.trajectory.frame_cache import FrameCache

with log_to(snakemake.log[0]), tempfile.TemporaryDirectory(dir=snakemake.resources.tmpdir) as scratch:
    cache = FrameCache.from_extxyz(snakemake.input.trajectory, scratch)  # parsed once, replayed by each analysis
    settings, dt_ps = snakemake.params.analysis, snakemake.params.dt_ps
    result = interface_analyses(cache.frames, len(cache), settings, dt_ps)
    plot_interface_analyses(result, settings["hop_interval_ps"], dt_ps, snakemake.output.figures)
    verdicts = system_verdicts(snakemake.input.validation)
    gate(verdicts, snakemake.wildcards.interface, [], "interface analysis figures", snakemake.output.figures)
    profile, hops = result["profile"], result["hops"]
    with atomic_path(snakemake.output.data) as tmp:
        np.savez(
            tmp,
            interfaces_A=result["interfaces"],
            cn_z_A=profile.z_A,
            **{f"cn_{k}": v for k, v in profile.cn.items()},
            density_z_A=result["density_z_A"],
            density_counts=result["density_counts"],
            hops_z_A=hops.z_A,
            hops=hops.hops,
            displacement_class=result["displacement_class"],
            **{f"polyhedra_{k}": np.asarray(v) for k, v in result["polyhedra"].items()},
        )

name_inputs(snakemake.output, snakemake.input)
