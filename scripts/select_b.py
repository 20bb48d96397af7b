"""Snakemake adapter: committee deviation of every explored frame, candidates, FPS selection.

input.runs: exploration dumps (one per params.conditions entry); input.models: the committee.
output.deviation: per-frame CSV; output.selected: frames to label; output.selection: summary JSON.
"""

from ionflow.io import read_frames, write_csv, write_frames, write_json
from ionflow.logs import log_to
from ionflow.studies.study_b import committee_selection

with log_to(snakemake.log[0]):
    runs = {
        f"{path.split('/')[-3]}/{name}": read_frames(path)
        for path, name in zip(snakemake.input.runs, snakemake.params.conditions)
    }
    rows, selected, summary = committee_selection(
        runs, list(snakemake.input.models), snakemake.params.selection, int(snakemake.wildcards.it)
    )
    write_csv(rows, snakemake.output.deviation)
    write_frames(selected, snakemake.output.selected)
    write_json(summary, snakemake.output.selection)
