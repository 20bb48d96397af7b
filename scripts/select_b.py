"""Snakemake adapter: committee deviation of every explored frame, candidates, FPS selection.

input.runs: exploration dumps (one per params.conditions entry); input.models: the committee.
output.deviation: per-frame CSV; output.selected: frames to label; output.selection: summary JSON.
"""

import csv
from functools import partial

from ionflow.io import atomic_path, read_frames, write_frames, write_json
from ionflow.logs import log_to
from ionflow.plan import Condition
from ionflow.potentials.active_learning import (
    in_target_region,
    mean_descriptors,
    select_by_committee,
    selection_summary,
)
from ionflow.potentials.nep.committee import committee_forces

with log_to(snakemake.log[0]) as log:
    settings = snakemake.params.selection
    it = int(snakemake.wildcards.it)
    frames, rows = [], []
    for path, name in zip(snakemake.input.runs, snakemake.params.conditions):
        target = in_target_region(
            Condition.parse(name), settings["target_temperature_K"], settings["target_max_pressure_bar"]
        )
        system = path.split("/")[-3]
        for number, frame in enumerate(read_frames(path)):
            frame.info.update(system=system, condition=name, iteration=it)
            frames.append(frame)
            rows.append(
                {
                    "system": system,
                    "condition": name,
                    "frame": number,
                    "time_ps": frame.info.get("time_ps", ""),
                    "in_target_region": target,
                }
            )
    selection = select_by_committee(
        frames,
        committee_forces(snakemake.input.models, frames),
        [row["in_target_region"] for row in rows],
        partial(mean_descriptors, model=snakemake.input.models[0]),
        settings["threshold_eV_A"],
        settings["distance_factor"],
        settings["budget"],
        ddof=1 if settings.get("variance") == "sample" else 0,
    )
    deviation, candidates, selected = selection.deviation, set(selection.candidates.tolist()), selection.selected
    for i, row in enumerate(rows):
        row.update(
            deviation_eV_A=f"{deviation[i]:.6f}",
            close_contact=bool(selection.too_close[i]),
            candidate=i in candidates,
            selected=i in selected,
        )
    for i in selected:
        frames[i].info["committee_deviation_eV_A"] = float(deviation[i])
    summary = selection_summary(selection, [row["in_target_region"] for row in rows], settings["threshold_eV_A"], it)
    log.info(
        "iteration %d: %d frames, %d candidates (%d in the target region), %d selected, converged=%s",
        it,
        len(frames),
        len(candidates),
        summary["candidates_in_target_region"],
        len(selected),
        summary["converged"],
    )
    with atomic_path(snakemake.output.deviation) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=[
                "system",
                "condition",
                "frame",
                "time_ps",
                "in_target_region",
                "deviation_eV_A",
                "close_contact",
                "candidate",
                "selected",
            ],
        )
        writer.writeheader()
        writer.writerows(rows)
    write_frames([frames[i] for i in selected], snakemake.output.selected)
    write_json(summary, snakemake.output.selection)
