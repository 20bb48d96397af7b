"""Snakemake adapter: Li transport of one bulk phase at one temperature from its GPUMD-format dump."""

import numpy as np

from ionflow.analysis.transport.runs import analyse_runs
from ionflow.io import atomic_path, write_json
from ionflow.logs import log_to

with log_to(snakemake.log[0]) as log:
    settings = snakemake.params.transport
    window = settings["fit_window_ps"]
    result = analyse_runs(
        [snakemake.input[0]],
        "Li",
        temperature_K=float(snakemake.wildcards.temperature),
        dt_ps=snakemake.params.dt_ps,
        charge=1,
        n_segments=settings["segments_per_run"],
        fit_window_ps=tuple(window) if window else None,
        fmt="extxyz",
    )
    summary = dict(result.to_json(), phase=snakemake.wildcards.mdsys, trajectories=[snakemake.input[0]])
    log.info("transport: %s", summary)
    write_json(summary, snakemake.output.result)
    with atomic_path(snakemake.output.msd) as tmp:
        np.savez(
            tmp,
            time_ps=result.time_ps,
            msd_self=result.msd_self,
            msd_collective=result.msd_collective,
            fit_window_ps=np.asarray(result.fit_window_ps),
        )
