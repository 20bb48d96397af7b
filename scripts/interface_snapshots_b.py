"""Snakemake adapter: structure of one interface run at the analysis temperature (paper B,
Figs. 3a-b, S9, S11 side views; Fig. S8 Li z–time map with the Li count of every plane).

input.trajectory: the interface MD dump (extxyz with info time_ps), streamed.
params.analysis: the study_b analysis settings (bin_A). Outputs: snapshots (first and last
frame, z up), density (Fig. S8) and planes (CSV: Li per plane of the first frame, first and
last frame).
"""

import csv

from ase.io import read

from ionflow.analysis.interface.figures import plot_density_with_plane_counts, plot_side_views
from ionflow.analysis.interface.layers import counts_per_plane
from ionflow.analysis.interface.profiles import number_density_vs_z_time
from ionflow.analysis.interface.slab import interface_positions
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.trajectory.readers import iter_extxyz

with log_to(snakemake.log[0]) as log:
    path = snakemake.input.trajectory
    first, last = read(path, index=0, format="extxyz"), read(path, index=-1, format="extxyz")
    z_A, counts = number_density_vs_z_time(iter_extxyz(path), bin_A=snakemake.params.analysis["bin_A"])
    interval_ps = (last.info["time_ps"] - first.info["time_ps"]) / max(1, len(counts) - 1)
    interfaces = interface_positions(last)
    centres, per_plane = counts_per_plane(z_A, counts)
    log.info(
        "%d frames every %g ps; %d Li planes at t = 0 with %s Li; at the end %s",
        len(counts),
        interval_ps,
        len(centres),
        per_plane[0].tolist(),
        per_plane[-1].tolist(),
    )
    plot_side_views((first, last), snakemake.output.snapshots)
    plot_density_with_plane_counts(z_A, counts, interval_ps, snakemake.output.density, interfaces)
    with atomic_path(snakemake.output.planes) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["plane", "z_A", "li_first_frame", "li_last_frame"])
        for k, (centre, start, end) in enumerate(zip(centres, per_plane[0], per_plane[-1])):
            writer.writerow([k, f"{centre:.3f}", start, end])

name_inputs(
    [snakemake.output.snapshots, snakemake.output.density, snakemake.output.planes], [snakemake.input.trajectory]
)
