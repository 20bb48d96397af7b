"""Snakemake adapter: structure of one interface run at the analysis temperature (paper B,
Figs. 3a-b, S9, S11 side views; Fig. S8 Li z–time map with the Li count of every plane).

input.trajectory: the interface MD dump (extxyz with info time_ps), streamed.
params.analysis: the study_b analysis settings (bin_A). input.validation: Study B's potential
validation table when the MD ran with the learned NEP (the last frame's counts are NaN where it
does not support the MD). Outputs: snapshots (first and last frame, z up), density (Fig. S8)
and planes (CSV: Li per plane of the first frame, first and last frame).
"""

from ionflow.analysis.interface.figures import plot_density_with_plane_counts
from ionflow.analysis.interface.layers import counts_per_plane
from ionflow.analysis.interface.profiles import number_density_vs_z_time
from ionflow.analysis.interface.slab import interface_positions
from ionflow.analysis.interface.structure_figures import plot_side_views
from ionflow.io import write_csv
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.structure_b import plane_rows
from ionflow.studies.validation_b import gate, system_verdicts
from ionflow.trajectory.frames import FirstAndLast
from ionflow.trajectory.readers import iter_extxyz

with log_to(snakemake.log[0]) as log:
    settings = snakemake.params.analysis
    frames = FirstAndLast(iter_extxyz(snakemake.input.trajectory))  # one read: the map and both ends
    z_A, counts = number_density_vs_z_time(frames, species=settings["transport"]["species"], bin_A=settings["bin_A"])
    first, last = frames.first, frames.last
    interval_ps = (last.info["time_ps"] - first.info["time_ps"]) / max(1, len(counts) - 1)
    interfaces = interface_positions(last, *settings["anions"])
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
    figures = (snakemake.output.snapshots, snakemake.output.density)
    verdicts = system_verdicts(snakemake.input.validation)
    status, reason = gate(verdicts, snakemake.wildcards.interface, [], "Li per plane at the end", figures)
    rows = plane_rows(centres, per_plane, status, reason)
    write_csv(rows, snakemake.output.planes)

name_inputs(
    [snakemake.output.snapshots, snakemake.output.density, snakemake.output.planes], [snakemake.input.trajectory]
)
