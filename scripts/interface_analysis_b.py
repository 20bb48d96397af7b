"""Snakemake adapter: interface analyses of paper B at the analysis temperature (Figs. 3-5):
Li coordination vs z, Li density vs z and time, hops vs z, net-displacement classes, CSM vs volume."""

import tempfile

import numpy as np

from ionflow.analysis.interface.figures import (
    plot_coordination_vs_z,
    plot_csm_volume_maps,
    plot_density_vs_z_time,
    plot_displacement_classes,
    plot_hop_counts_vs_z,
)
from ionflow.analysis.interface.hops import displacement_classes, hop_counts_vs_z, net_displacement
from ionflow.analysis.interface.polyhedra import li_polyhedra
from ionflow.analysis.interface.profiles import coordination_vs_z, number_density_vs_z_time
from ionflow.analysis.interface.slab import interface_positions
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.trajectory.frame_cache import FrameCache

with log_to(snakemake.log[0]) as log, tempfile.TemporaryDirectory(dir=snakemake.resources.tmpdir) as scratch:
    settings, dt_ps = snakemake.params.analysis, snakemake.params.dt_ps
    cache = FrameCache.from_extxyz(snakemake.input[0], scratch)  # parsed once, replayed by each analysis
    frames = cache.frames
    n_frames = len(cache)
    last = next(frames(n_frames - 1))
    interfaces = interface_positions(last)
    cn_start = max(0, n_frames - round(settings["cn_last_ps"] / dt_ps))
    profile = coordination_vs_z(frames(cn_start), cutoff_A=settings["cn_cutoff_A"], bin_A=settings["bin_A"])
    z, counts = number_density_vs_z_time(frames(), bin_A=settings["bin_A"])
    hop_every = max(1, round(settings["hop_interval_ps"] / dt_ps))
    hops = hop_counts_vs_z(frames(), hop_every, settings["hop_threshold_A"], settings["bin_A"])
    start, end = net_displacement(
        frames(), start_frame=min(n_frames - 1, round(settings["displacement_after_ps"] / dt_ps))
    )
    labels, class_counts = displacement_classes(start, end)
    csm_step = max(1, n_frames // settings["csm_frames"])
    polyhedra = li_polyhedra(
        frames(n_frames - 1 - csm_step * (settings["csm_frames"] - 1), None, csm_step),
        cutoff_A=settings["cn_cutoff_A"],
        interface_width_A=settings["interface_width_A"],
    )
    log.info(
        "%d frames; interfaces at %s A; displacement classes %s; %d Li polyhedra",
        n_frames,
        np.round(interfaces, 2),
        class_counts,
        len(polyhedra["csm"]),
    )
    figures = snakemake.output.figures
    plot_coordination_vs_z(profile, figures[0], interfaces)
    plot_density_vs_z_time(z, counts, dt_ps, figures[1], interfaces)
    plot_hop_counts_vs_z(hops, settings["hop_interval_ps"], figures[2], interfaces)
    plot_displacement_classes(start, end, figures[3])
    plot_csm_volume_maps(polyhedra, figures[4])
    with atomic_path(snakemake.output.data) as tmp:
        np.savez(
            tmp,
            interfaces_A=interfaces,
            cn_z_A=profile.z_A,
            **{f"cn_{k}": v for k, v in profile.cn.items()},
            density_z_A=z,
            density_counts=counts,
            hops_z_A=hops.z_A,
            hops=hops.hops,
            displacement_class=labels,
            **{f"polyhedra_{k}": np.asarray(v) for k, v in polyhedra.items()},
        )

name_inputs(snakemake.output, snakemake.input)
