"""Study B's bulk phases: their structure (paper B, Figs. S7, S12, S14a-b: partial RDFs, the
mobile ion's populations of the anion layers, its coordination polyhedra) and their tracer
Arrhenius fits, with every number withheld where Study B's validation does not support the MD."""

from __future__ import annotations

import logging

import numpy as np

from ionflow.analysis.interface.layers import NoLayersError, layer_populations
from ionflow.analysis.interface.polyhedra import li_polyhedra
from ionflow.analysis.statistics import standard_error
from ionflow.analysis.structure.rdf import partial_rdfs
from ionflow.studies.validation_b import gate, withhold
from ionflow.trajectory.readers import iter_extxyz

log = logging.getLogger(__name__)

RDF_R_MAX_A = 8.0  # Å: the first two Li–Cl shells and the 3.5 Å cutoff between them
# from the MD: withheld unless validated
LAYER_NUMBERS = ("li_mean", "li_mean_se", "li_std", "li_rich", "rich_to_poor", "rich_to_poor_se")
LAYER_BLOCKS = 4  # blocks of consecutive frames for the standard errors of the layer populations
ARRHENIUS_NUMBERS = ("sigma_RT_mS_cm", "sigma_RT_mS_cm_se", "E_a_eV", "E_a_eV_se", "r2")


def bulk_structure(trajectories: dict[str, str], species: list[str], settings: dict) -> dict:
    """RDFs, layer populations and polyhedra of each phase's run (``trajectories``: phase → extxyz
    with ``time_ps`` in each frame's info).

    ``settings`` is Study B's ``analysis`` block: RDFs and layer populations average the last
    ``cn_last_ps`` ps, polyhedra (``cn_cutoff_A``) come from the last ``csm_frames`` frames; the
    mobile ion is ``transport.species``, its neighbours ``anions`` (oxide, halide), and the layers
    are those of the halide. A phase whose halide formed no layers gets the reason (a string)
    in place of its populations. Returns ``r_A`` (Å), ``species`` present and the three dicts.
    """
    mobile, halide = settings["transport"]["species"], settings["anions"][1]
    result = {"rdfs": {}, "populations": {}, "polyhedra": {}}
    for phase, path in trajectories.items():
        frames = list(iter_extxyz(path))
        end_ps = frames[-1].info["time_ps"]
        window = [atoms for atoms in frames if atoms.info["time_ps"] >= end_ps - settings["cn_last_ps"]]
        present = tuple(s for s in species if s in frames[0].symbols)
        result["r_A"], result["rdfs"][phase] = partial_rdfs(window, present, r_max=RDF_R_MAX_A)
        result["species"] = present
        try:
            population = layer_populations(window, species=mobile, anion=halide)
        except NoLayersError as err:  # a sublattice that melted has no layers: say so, do not stop
            population = f"no {halide} layers in the last {settings['cn_last_ps']:g} ps ({err})"
            log.warning("%s: %s", phase, population)
        result["populations"][phase] = population
        result["polyhedra"][phase] = li_polyhedra(
            frames[-settings["csm_frames"] :],
            cutoff_A=settings["cn_cutoff_A"],
            interface_width_A=None,
            center=mobile,
            neighbours=settings["anions"],
        )
        if not isinstance(population, str):
            log.info(
                "%s: %d frames over the last %g ps; %s per layer %s, rich : poor = %.3g; %d polyhedra",
                phase,
                len(window),
                settings["cn_last_ps"],
                mobile,
                population.mean_count.round(2),
                population.rich_to_poor,
                len(result["polyhedra"][phase]["csm"]),
            )
    return result


def layer_errors(population, n_blocks: int = LAYER_BLOCKS) -> tuple[np.ndarray, float]:
    """Standard errors of each layer's mean count and of the rich : poor ratio, over ``n_blocks``
    blocks of consecutive frames (as many as there are frames when fewer; a remainder of frames
    is left out). The rich layers are those of the whole window. NaN where a block's poor layers
    are empty (no ratio) or with one frame."""
    counts = population.counts
    n = max(1, min(n_blocks, len(counts)))
    size = len(counts) // n
    means = counts[: n * size].reshape(n, size, -1).mean(axis=1)  # (blocks, layers)
    mean_se = np.array([standard_error(means[:, k]) for k in range(means.shape[1])])
    if not population.rich.any():
        return mean_se, standard_error(np.ones(n))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = means[:, population.rich].mean(axis=1) / means[:, ~population.rich].mean(axis=1)
    return mean_se, standard_error(ratios)


def layer_rows(
    populations: dict, verdicts: dict[str, str] | None, validated_bulk: list[str]
) -> tuple[list[dict], list[str]]:
    """Rows of the layer-population table (one per layer; one NaN row for a phase without
    layers) and the reasons, per phase, that its numbers are withheld (``gate``)."""
    rows, unsupported = [], []
    for phase, population in populations.items():
        status, reason = gate(verdicts, phase, validated_bulk, "layer populations")
        if reason:
            unsupported.append(f"{phase}: {reason}")
        if isinstance(population, str):
            empty = dict.fromkeys(("layer", "height_A", *LAYER_NUMBERS), float("nan"))
            note = "; ".join(filter(None, (reason, population)))
            rows.append({"phase": phase, **empty, "potential_validation": status, "note": note})
            continue
        spread = population.counts.std(axis=0)
        mean_se, ratio_se = layer_errors(population)
        for k, (height, mean) in enumerate(zip(population.height_A, population.mean_count)):
            row = {
                "phase": phase,
                "layer": k,
                "height_A": round(float(height), 3),
                "li_mean": round(float(mean), 3),
                "li_mean_se": round(float(mean_se[k]), 3),
                "li_std": round(float(spread[k]), 3),
                "li_rich": bool(population.rich[k]),
                "rich_to_poor": float(f"{population.rich_to_poor:.4g}"),
                "rich_to_poor_se": float(f"{ratio_se:.4g}"),
                "potential_validation": status,
                "note": "",
            }
            if np.isinf(population.rich_to_poor):
                row |= {"rich_to_poor": float("nan"), "note": "no Li in the Li-poor layers: the ratio is undefined"}
            rows.append(withhold(row, LAYER_NUMBERS, reason))
    return rows, unsupported


def gated_arrhenius(
    entries: list[dict], rows: list[dict], verdicts: dict[str, str] | None, validated_bulk: list[str]
) -> tuple[list[dict], list[dict], list[str]]:
    """Study B's tracer Arrhenius fits (``tracer_arrhenius`` entries and their table ``rows``)
    read against the validation: rows with the measured numbers NaN where it does not support
    the MD, the entries to plot (a withheld phase keeps its points, loses its fit line and
    says its verdict in the label) and the reasons, per phase."""
    gated, shown, unsupported = [], [], []
    for entry, row in zip(entries, rows, strict=True):
        status, reason = gate(verdicts, entry["phase"], validated_bulk, "Arrhenius numbers")
        gated.append(withhold(row | {"potential_validation": status}, ARRHENIUS_NUMBERS, reason))
        if reason:
            unsupported.append(f"{entry['phase']}: {reason}")
            entry = entry | {"fit": None, "phase": f"{entry['phase']} (NEP {status})"}
        elif entry["fit"] is None:
            log.warning("%s: %s; no Arrhenius fit", entry["phase"], entry["note"])
        else:
            log.info("%s: %s", entry["phase"], entry["fit"])
        shown.append(entry)
    return gated, shown, unsupported


def relaxed_polyhedra(structures: dict, cutoff_A: float, mobile: str, anions) -> dict:
    """The ``mobile`` ion's coordination polyhedra (neighbours of ``anions`` within ``cutoff_A``,
    Å) in each relaxed bulk cell (phase → Atoms), as ``li_polyhedra`` tables, for the volume panel
    of Fig. S13; CN, mean bond (Å), volume (Å³) and CSM of each are logged."""
    tables = {}
    for phase, atoms in structures.items():
        table = li_polyhedra([atoms], cutoff_A, interface_width_A=None, center=mobile, neighbours=anions)
        tables[phase] = table
        log.info(
            "%s: %s CN %s, mean bond %.3f Å, volume %.2f Å³, CSM %.2f (max %.2f)",
            phase,
            mobile,
            np.unique(table["cn"]).tolist(),
            np.nanmean(table["mean_bond_A"]),
            table["volume_A3"].mean(),
            np.nanmean(table["csm"]),
            np.nanmax(table["csm"]),
        )
    return tables
