"""Snakemake adapter: committee deviation of every explored frame, candidates, FPS selection."""

import csv

import numpy as np

from ionflow.active_learning import candidate_frames, close_contact, in_target_region, mean_descriptors, pick_diverse
from ionflow.io import atomic_path, read_frames, write_frames, write_json
from ionflow.logs import log_to
from ionflow.nep.committee import committee_forces, max_force_deviation
from ionflow.nep_md import Condition

with log_to(snakemake.log[0]) as log:
    settings = snakemake.params.selection
    it = int(snakemake.wildcards.it)
    ddof = 1 if settings.get("variance", "population") == "sample" else 0
    frames, rows = [], []
    for path, name in zip(snakemake.input.runs, snakemake.params.conditions):
        condition = Condition.parse(name)
        target = in_target_region(condition, settings["target_temperature_K"], settings["target_max_pressure_bar"])
        system = path.split("/")[-3]
        for number, frame in enumerate(read_frames(path)):
            frame.info.update(system=system, condition=name, iteration=it)
            frames.append(frame)
            rows.append({"system": system, "condition": name, "frame": number,
                         "time_ps": frame.info.get("time_ps", ""), "in_target_region": target})
    forces = committee_forces(snakemake.input.models, frames)
    deviation = np.array([max_force_deviation(f, ddof=ddof) for f in forces])
    too_close = np.array([close_contact(frame, settings["distance_factor"]) for frame in frames])
    candidates = candidate_frames(deviation, too_close, settings["threshold_eV_A"])
    in_target = np.array([row["in_target_region"] for row in rows], dtype=bool)
    converged = not in_target[candidates].any()
    selected = []  # a converged loop stops here: nothing more is labelled
    if not converged:
        features = mean_descriptors([frames[i] for i in candidates], snakemake.input.models[0])
        selected = pick_diverse(candidates, deviation, features, settings["budget"])
    for i, row in enumerate(rows):
        row.update(deviation_eV_A=f"{deviation[i]:.6f}", close_contact=bool(too_close[i]),
                   candidate=i in set(candidates.tolist()), selected=i in selected)
    for i in selected:
        frames[i].info["committee_deviation_eV_A"] = float(deviation[i])
    summary = {
        "iteration": it,
        "frames": len(frames),
        "above_threshold": int((deviation > settings["threshold_eV_A"]).sum()),
        "close_contact": int(too_close.sum()),
        "candidates": int(len(candidates)),
        "candidates_in_target_region": int(in_target[candidates].sum()),
        "selected": len(selected),
        "selected_frames": selected,
        "max_deviation_eV_A": float(deviation.max()) if len(deviation) else 0.0,
        "threshold_eV_A": settings["threshold_eV_A"],
    }
    summary["converged"] = bool(converged)
    log.info("iteration %d: %d frames, %d candidates (%d in the target region), %d selected, converged=%s",
             it, len(frames), len(candidates), summary["candidates_in_target_region"], len(selected),
             summary["converged"])
    with atomic_path(snakemake.output.deviation) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["system", "condition", "frame", "time_ps", "in_target_region",
                                                    "deviation_eV_A", "close_contact", "candidate", "selected"])
        writer.writeheader()
        writer.writerows(rows)
    write_frames([frames[i] for i in selected], snakemake.output.selected)
    write_json(summary, snakemake.output.selection)
