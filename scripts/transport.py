"""Snakemake adapter: transport of one (phase, temperature) from all its runs (Study A: every seed
of a LAMMPS dump; Study B: one bulk run in GPUMD's extxyz)."""

import numpy as np

from ionflow.analysis.transport.runs import analyse_runs
from ionflow.io import atomic_path, write_json
from ionflow.logs import log_to

with log_to(snakemake.log[0]) as log:
    settings, temperature = snakemake.params.transport, float(snakemake.wildcards.temperature)
    window = settings["fit_window_ps"]
    result = analyse_runs(
        list(snakemake.input),
        settings["species"],
        temperature_K=temperature,
        dt_ps=snakemake.params.dt_ps,
        charge=settings["charge"],
        n_segments=settings["segments_per_run"],
        fit_window_ps=tuple(window) if window else None,
        fmt=snakemake.params.fmt,
        sigma_from=settings["sigma_from"],
        type_map=snakemake.params.type_map,
    )
    name = snakemake.wildcards.get("phase") or snakemake.wildcards.get("mdsys")
    summary = dict(result.to_json(), phase=name, trajectories=list(snakemake.input))
    log.info("transport: %s", summary)
    write_json(summary, snakemake.output.result)
    with atomic_path(snakemake.output.msd) as tmp:
        np.savez(
            tmp,
            time_ps=result.time_ps,
            msd_self=result.msd_self,
            msd_self_std=result.msd_self_std,
            msd_collective=result.msd_collective,
            msd_collective_std=result.msd_collective_std,
            fit_window_ps=np.asarray(result.fit_window_ps),
            temperature_K=temperature,
        )
