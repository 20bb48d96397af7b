"""Study B orchestration (paper 2): committee selection of explored frames, the training pool of
interfaces, the screening of the paper's four interfaces, and the interface analyses of one run.

Each function takes what a script read (frames, structures, settings) and returns rows, frames and
arrays for the script to write. Units: Å, ps, eV, eV/Å, J/m².
"""

from __future__ import annotations

import logging
from functools import partial

import numpy as np
from ase import Atoms

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
from ionflow.plan import Condition
from ionflow.potentials.active_learning import (
    in_target_region,
    mean_descriptors,
    select_by_committee,
    selection_summary,
)
from ionflow.potentials.nep.committee import committee_forces
from ionflow.structures.interfaces.energy import pick_seeds, relax_and_rank, select_pool
from ionflow.structures.interfaces.interoptimus import best_match, system_matches
from ionflow.structures.interfaces.pool import pool_candidates

log = logging.getLogger(__name__)


def committee_selection(
    runs: dict[str, list[Atoms]], models: list[str], settings: dict, iteration: int
) -> tuple[list[dict], list[Atoms], dict]:
    """Committee deviation of every explored frame, candidates and the FPS selection of one iteration.

    ``runs`` maps ``"<system>/<condition>"`` to that exploration run's frames (condition names as
    :class:`ionflow.plan.Condition`); ``models`` are the committee's NEP files. Returns one row per
    frame (deviation in eV/Å, close contact, candidate, selected), the frames to label (with
    their deviation in ``info``) and the iteration's summary (:func:`selection_summary`).
    """
    frames, rows = [], []
    for key, run in runs.items():
        system, name = key.split("/")
        target = in_target_region(
            Condition.parse(name), settings["target_temperature_K"], settings["target_max_pressure_bar"]
        )
        for number, frame in enumerate(run):
            frame.info.update(system=system, condition=name, iteration=iteration)
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
    in_target = [row["in_target_region"] for row in rows]
    selection = select_by_committee(
        frames,
        committee_forces(models, frames),
        in_target,
        partial(mean_descriptors, model=models[0]),
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
    summary = selection_summary(selection, in_target, settings["threshold_eV_A"], iteration)
    log.info(
        "iteration %d: %d frames, %d candidates (%d in the target region), %d selected, converged=%s",
        iteration,
        len(frames),
        len(candidates),
        summary["candidates_in_target_region"],
        len(selected),
        summary["converged"],
    )
    return rows, [frames[i] for i in selected], summary


def _interface_label(row: dict) -> str:
    return f"{row['film']}{row['film_miller']}/{row['substrate']}{row['substrate_miller']}"


def interface_pool(
    pairs: list[tuple[Atoms, Atoms]], pool: dict, relax: dict, calculator
) -> tuple[list[dict], list[dict], list[Atoms], list[Atoms]]:
    """The training pool of interfaces (paper 2): InterOptimus's matches and termination pairs of
    every (ZrO2 substrate, LZC film) pair (:func:`~ionflow.structures.interfaces.pool.pool_candidates`),
    relaxed with ``calculator``, the lowest per orientation kept, seeds and hold-outs drawn.

    ``pairs`` holds relaxed bulk cells whose ``info`` has ``name`` and ``energy_eV_per_atom``.
    Returns (screening rows, ranking rows with a ``role``: seed, holdout, pool or '',
    seed interfaces, hold-out interfaces).
    """
    from pymatgen.io.ase import AseAtomsAdaptor

    candidates, bulk_energies = [], {}
    for substrate, film in pairs:
        for atoms in (substrate, film):
            bulk_energies[atoms.info["name"]] = atoms.info["energy_eV_per_atom"]
        found = pool_candidates(
            AseAtomsAdaptor.get_structure(film),
            AseAtomsAdaptor.get_structure(substrate),
            film.info["name"],
            substrate.info["name"],
            pool,
        )
        log.info(
            "%s/%s: %d candidate cells within %s atoms",
            substrate.info["name"],
            film.info["name"],
            len(found),
            pool.get("max_atoms"),
        )
        candidates += found
    if not candidates:
        raise RuntimeError(
            "no pool interface within study_b.pool's limits; loosen max_strain, max_area_A2 or max_atoms"
        )
    ranked = relax_and_rank(candidates, calculator, bulk_energies, relax["fmax_eV_A"], relax["max_steps"])
    kept = select_pool(ranked, pool["per_orientation"])
    seeds = pick_seeds(kept, pool["seeds"], pool["seed"])
    if len(seeds) < pool["seeds"]:
        raise RuntimeError(
            f"only {len(kept)} pool interfaces for {pool['seeds']} seeds; "
            "loosen study_b.pool limits or lower study_b.pool.seeds"
        )
    holdout = [row for row in kept if not any(row is s for s in seeds)][: pool["holdout"]]
    roles = {id(row): "pool" for row in kept} | {id(row): "holdout" for row in holdout}
    roles |= {id(row): "seed" for row in seeds}
    ranking = [{**row, "role": roles.get(id(row), "")} for row in ranked]
    seed_frames = []
    for number, row in enumerate(seeds, start=1):
        atoms = row["atoms"].copy()
        atoms.info = {"system": f"interface{number}", "label": _interface_label(row), "gamma_J_m2": row["gamma_J_m2"]}
        seed_frames.append(atoms)
    holdout_frames = []
    for row in holdout:
        atoms = row["atoms"].copy()
        atoms.info = {"system": "interface_holdout", "label": _interface_label(row)}
        holdout_frames.append(atoms)
    log.info("%d built, %d in the pool, %d seeds, %d hold-out", len(ranked), len(kept), len(seeds), len(holdout))
    return [dict(atoms.info) for atoms in candidates], ranking, seed_frames, holdout_frames


def screen_paper_systems(bulk: dict, settings: dict) -> list[dict]:
    """Production-limit screening of the paper's systems (LZC film on ZrO2 substrate) with
    InterOptimus, on the reference's relaxed cells and on every lattice of ``settings["lattices"]``.

    ``bulk`` maps bulk names to pymatgen Structures; ``settings`` is ``study_b.interfaces``. A
    system's Miller indices are read in ``miller_basis``; a match is within the limits when its
    ``strain_measure`` is below ``max_strain`` and its area below ``max_area_A2`` (Å²). Returns
    every match (both Miller bases, the three strain measures, area, ``within_limits``), then one
    row per system and lattice: found or not found, with the best match (lowest strain measure).
    """
    measure = settings["strain_measure"]
    matches, summaries = [], []
    for name, spec in settings["systems"].items():
        for lattice, constants in {"relaxed": {}, **settings["lattices"]}.items():
            found = system_matches(bulk[spec["lzc"]], bulk[spec["zro2"]], spec, settings, constants)
            where = {"paper_system": name, "lattice": lattice, "film": spec["lzc"], "substrate": spec["zro2"]}
            matches += [{**match.record, **where} for match in found]
            best = best_match(found, measure)
            log.info(
                "paper system %s on the %s lattice: %s",
                name,
                lattice,
                f"found, {measure} {best.record[measure]}, area {best.record['area_A2']} A^2" if best else "NOT found",
            )
            status = {"status": "found" if best else "not found", "strain_measure": measure}
            status["miller_basis"] = settings["miller_basis"]
            summaries.append({**where, **status, **(best.record if best else {})})
    return matches + summaries


def interface_analyses(frames, n_frames: int, settings: dict, dt_ps: float) -> dict:
    """Paper 2's interface analyses of one run (Figs. 3-5) for the mobile element of
    ``settings["transport"]["species"]`` (Li) among ``settings["anions"]`` (oxide, halide):
    coordination vs z over the last
    ``cn_last_ps``, Li density vs z and time, hops vs z, net-displacement classes after
    ``displacement_after_ps``, and the CSM and volume of Li polyhedra in the last frames.

    ``frames(start=0, stop=None, step=1)`` replays the run (e.g. :class:`FrameCache`.frames);
    ``n_frames`` frames ``dt_ps`` apart. Returns the arrays the figures and the npz need.
    """
    mobile, anions = settings["transport"]["species"], settings["anions"]
    interfaces = interface_positions(next(frames(n_frames - 1)), *anions)
    cn_start = max(0, n_frames - round(settings["cn_last_ps"] / dt_ps))
    profile = coordination_vs_z(
        frames(cn_start), center=mobile, neighbours=anions, cutoff_A=settings["cn_cutoff_A"], bin_A=settings["bin_A"]
    )
    z, counts = number_density_vs_z_time(frames(), species=mobile, bin_A=settings["bin_A"])
    hop_every = max(1, round(settings["hop_interval_ps"] / dt_ps))
    hops = hop_counts_vs_z(frames(), hop_every, settings["hop_threshold_A"], settings["bin_A"], species=mobile)
    start, end = net_displacement(
        frames(), species=mobile, start_frame=min(n_frames - 1, round(settings["displacement_after_ps"] / dt_ps))
    )
    labels, class_counts = displacement_classes(start, end)
    csm_step = max(1, n_frames // settings["csm_frames"])
    polyhedra = li_polyhedra(
        frames(n_frames - 1 - csm_step * (settings["csm_frames"] - 1), None, csm_step),
        cutoff_A=settings["cn_cutoff_A"],
        interface_width_A=settings["interface_width_A"],
        center=mobile,
        neighbours=anions,
    )
    log.info(
        "%d frames; interfaces at %s A; displacement classes %s; %d Li polyhedra",
        n_frames,
        np.round(interfaces, 2),
        class_counts,
        len(polyhedra["csm"]),
    )
    return {
        "interfaces": interfaces,
        "profile": profile,
        "density_z_A": z,
        "density_counts": counts,
        "hops": hops,
        "start": start,
        "end": end,
        "displacement_class": labels,
        "polyhedra": polyhedra,
    }


def plot_interface_analyses(result: dict, hop_interval_ps: float, dt_ps: float, paths: list) -> None:
    """Figs. 3c, 3d, 3e, 3f and 5 of one run from :func:`interface_analyses`, in that order of ``paths``."""
    interfaces = result["interfaces"]
    plot_coordination_vs_z(result["profile"], paths[0], interfaces)
    plot_density_vs_z_time(result["density_z_A"], result["density_counts"], dt_ps, paths[1], interfaces)
    plot_hop_counts_vs_z(result["hops"], hop_interval_ps, paths[2], interfaces)
    plot_displacement_classes(result["start"], result["end"], paths[3])
    plot_csm_volume_maps(result["polyhedra"], paths[4])
