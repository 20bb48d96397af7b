"""Snakemake adapter: structure of the bulk Li2ZrCl6 phases (paper B, Figs. S7, S12, S14a-b).

input.trajectories: bulk MD dumps (extxyz with info time_ps), one per phase of params.phases
(same order). params.analysis: the study_b analysis settings (cn_cutoff_A, cn_last_ps,
csm_frames). RDFs and Li layer populations average the last cn_last_ps of each run; CSM and
volume come from its last csm_frames frames (all Li bulk). input.validation: Study B's potential
validation table when the MD ran with the learned NEP (params.validated_bulk: the systems it
checked); the table keeps NaN where it does not support the MD. Outputs: rdf (Fig. S7), layers
(Fig. S12), csm (Fig. S14a-b) and table (Li per layer, CSV).
"""

from ionflow.analysis.interface.figures import plot_bulk_csm_volume_maps
from ionflow.analysis.interface.layers import NoLayersError, layer_populations
from ionflow.analysis.interface.polyhedra import li_polyhedra
from ionflow.analysis.interface.structure_figures import plot_layer_populations
from ionflow.analysis.structure.rdf import partial_rdfs, plot_partial_rdfs, rdf_pairs
from ionflow.io import read_frames, write_csv
from ionflow.logs import log_to
from ionflow.plotting import mark_unsupported
from ionflow.provenance import name_inputs
from ionflow.studies.validation_b import md_status, system_verdicts, withhold

RDF_R_MAX_A = 8.0  # Å: the first two Li–Cl shells and the 3.5 Å cutoff between them
LAYER_NUMBERS = ("li_mean", "li_std", "li_rich", "rich_to_poor")  # from the MD: withheld unless validated

with log_to(snakemake.log[0]) as log:
    settings, mobile = snakemake.params.analysis, snakemake.params.analysis["transport"]["species"]
    rdfs, populations, polyhedra = {}, {}, {}
    for phase, path in zip(snakemake.params.phases, snakemake.input.trajectories, strict=True):
        frames = read_frames(path)
        end_ps = frames[-1].info["time_ps"]
        window = [atoms for atoms in frames if atoms.info["time_ps"] >= end_ps - settings["cn_last_ps"]]
        species = tuple(s for s in snakemake.params.species if s in frames[0].symbols)
        r_A, rdfs[phase] = partial_rdfs(window, species, r_max=RDF_R_MAX_A)
        try:
            populations[phase] = layer_populations(window, species=mobile, anion=settings["anions"][1])
        except NoLayersError as err:  # a sublattice that melted has no layers: say so, do not stop
            populations[phase] = f"no {settings['anions'][1]} layers in the last {settings['cn_last_ps']:g} ps ({err})"
            log.warning("%s: %s", phase, populations[phase])
        polyhedra[phase] = li_polyhedra(
            frames[-settings["csm_frames"] :],
            cutoff_A=settings["cn_cutoff_A"],
            interface_width_A=None,
            center=mobile,
            neighbours=settings["anions"],
        )
        population = populations[phase]
        if not isinstance(population, str):
            log.info(
                "%s: %d frames over the last %g ps; Li per layer %s, rich : poor = %.3g; %d Li polyhedra",
                phase,
                len(window),
                settings["cn_last_ps"],
                population.mean_count.round(2),
                population.rich_to_poor,
                len(polyhedra[phase]["csm"]),
            )
    plot_partial_rdfs(
        r_A, rdfs, snakemake.output.rdf, pairs=rdf_pairs(species, mobile), cutoff_A=settings["cn_cutoff_A"]
    )
    plot_layer_populations(populations, snakemake.output.layers)
    plot_bulk_csm_volume_maps(polyhedra, snakemake.output.csm)
    verdicts = system_verdicts(snakemake.input.validation)
    rows, unsupported = [], []
    for phase, population in populations.items():
        status, reason = md_status(verdicts, phase, snakemake.params.validated_bulk)
        if reason:
            log.warning("%s: Li layer populations withheld: %s", phase, reason)
            unsupported.append(f"{phase}: {reason}")
        if isinstance(population, str):
            empty = dict.fromkeys(("layer", "height_A", *LAYER_NUMBERS), float("nan"))
            note = "; ".join(filter(None, (reason, population)))
            rows.append({"phase": phase, **empty, "potential_validation": status, "note": note})
            continue
        spread = population.counts.std(axis=0)
        for k, (height, mean) in enumerate(zip(population.height_A, population.mean_count)):
            row = {
                "phase": phase,
                "layer": k,
                "height_A": round(float(height), 3),
                "li_mean": round(float(mean), 3),
                "li_std": round(float(spread[k]), 3),
                "li_rich": bool(population.rich[k]),
                "rich_to_poor": float(f"{population.rich_to_poor:.4g}"),
                "potential_validation": status,
                "note": "",
            }
            rows.append(withhold(row, LAYER_NUMBERS, reason))
    write_csv(rows, snakemake.output.table)
    if unsupported:
        for figure in (snakemake.output.rdf, snakemake.output.layers, snakemake.output.csm):
            mark_unsupported(figure, "; ".join(unsupported))

name_inputs(
    [snakemake.output.rdf, snakemake.output.layers, snakemake.output.csm, snakemake.output.table],
    snakemake.input.trajectories,
)
