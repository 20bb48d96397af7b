# Wiring: config validation, paths and input functions. Rules stay free of logic.
import os
import re
from pathlib import Path

from ionflow.config import check_phase_names, validate_config
from ionflow.plan import cif_elements, type_map
from ionflow.reference import check_available

CONFIG_FILES = [os.path.relpath(f) for f in workflow.overwrite_configfiles] or [
    "config/config.yaml"
]
CONFIG_SOURCE = ", ".join(CONFIG_FILES)
validate_config(
    config, Path(workflow.basedir) / "config" / "schema.yaml", CONFIG_SOURCE
)
STUDIES = config["studies"]


wildcard_constraints:
    temperature=r"\d+",
    seed=r"\d+",


# ---------------------------------------------------------------------------------------------
# Study A (paper 1): Li2ZrCl6 phases, DeePMD, LAMMPS, transport and structure analyses.
# ---------------------------------------------------------------------------------------------
if "study_a" in STUDIES:
    check_phase_names(
        config.get("phase_order", []), config, CONFIG_SOURCE, "phase_order"
    )
    check_available(config["reference"], CONFIG_SOURCE)
    RESULTS_A = config["results"]
    PHASES = config.get("phase_order") or list(config["phases"])
    # DeePMD/LAMMPS type order: the mobile species, then the elements of the phases' CIFs
    TYPE_MAP = type_map(
        [cif_elements(config["phases"][p]["cif"]) for p in PHASES],
        config["transport"]["species"],
    )
    ANALYSIS = config["analysis"]
    VALIDATION = config["validation"]
    VALIDATION_TABLE = f"{RESULTS_A}/tables/potential_validation.csv"
    ANALYSIS_DIR = f"{RESULTS_A}/analysis/T{ANALYSIS['temperature_K']:g}"
    # published numbers to compare with (config/reference_values/); none: no comparison table
    REFERENCE_VALUES = (
        [config["reference_values"]] if config.get("reference_values") else []
    )

    wildcard_constraints:
        phase="|".join(config["phases"]),
        scale=r"\d\.\d\d",


def phase_param(key):
    """Input/params function returning the phase's value of ``key``."""

    def lookup(wildcards):
        return config["phases"][wildcards.phase][key]

    return lookup


def reference_model(wildcards):
    return config["reference"].get("model", [])


def aimd_scales():
    return ["1.00"] + [f"{s:.2f}" for s in config["aimd"]["rescale_factors"]]


def aimd_frames(wildcards):
    return expand(
        f"{RESULTS_A}/reference/{wildcards.phase}/aimd/T{{temperature}}_x{{scale}}.extxyz",
        temperature=config["aimd"]["temperatures"],
        scale=aimd_scales(),
    )


def aimd_duration_ps(wildcards):
    aimd = config["aimd"]
    return (
        aimd["duration_ps"]
        if wildcards.scale == "1.00"
        else aimd["rescaled_duration_ps"]
    )


def md_model(wildcards):
    name = "model_compressed.pb" if config["deepmd"]["compress"] else "model.pb"
    return f"{RESULTS_A}/models/{wildcards.phase}/{name}"


def md_trajectories(wildcards):
    return expand(
        f"{RESULTS_A}/md/{wildcards.phase}/T{wildcards.temperature}/seed{{seed}}/traj.lammpstrj",
        seed=config["md"]["seeds"],
    )


def transport_results(wildcards):
    return expand(
        f"{RESULTS_A}/transport/{wildcards.phase}/T{{temperature}}.json",
        temperature=config["phases"][wildcards.phase]["md_temperatures"],
    )


def msd_curve_phases():
    """Phase of each entry of ``all_msd_curves``, in the same order."""
    return [
        phase for phase in PHASES for _ in config["phases"][phase]["md_temperatures"]
    ]


def all_msd_curves(wildcards):
    return [
        f"{RESULTS_A}/transport/{phase}/T{temperature}_msd.npz"
        for phase in PHASES
        for temperature in config["phases"][phase]["md_temperatures"]
    ]


def all_transport_results(wildcards):
    return [
        f"{RESULTS_A}/transport/{phase}/T{temperature}.json"
        for phase in PHASES
        for temperature in config["phases"][phase]["md_temperatures"]
    ]


def all_arrhenius(wildcards):
    return expand(f"{RESULTS_A}/transport/{{phase}}/arrhenius.json", phase=PHASES)


def all_dp_tests(wildcards):
    return expand(f"{RESULTS_A}/models/{{phase}}/dp_test.json", phase=PHASES)


def analysis_trajectory(wildcards):
    return f"{RESULTS_A}/md/{wildcards.phase}/T{ANALYSIS['temperature_K']:g}/seed{ANALYSIS['seed']}/traj.lammpstrj"


def analysis_transport(wildcards):
    return (
        f"{RESULTS_A}/transport/{wildcards.phase}/T{ANALYSIS['temperature_K']:g}.json"
    )


def per_phase(pattern):
    """Input function: ``pattern`` (with a {phase} field) for every phase, in table order."""

    def paths(wildcards):
        return [pattern.format(phase=phase) for phase in PHASES]

    return paths


def validation_md_settings(wildcards):
    """Fig. S3's extra DP-MD runs: the MD settings with the validation run length."""
    length = ANALYSIS["rdf_validation_ps"]
    return {**config["md"], "production_ps": length, "chunk_ps": length}


def figs3_model_md(wildcards):
    """DP-MD trajectory per Fig. S3 temperature: the production run where the phase has one at
    that temperature, else the validation student there, else a short run of rule validation_md.
    """
    phase, seed = wildcards.phase, ANALYSIS["seed"]
    paths = []
    for t in ANALYSIS["rdf_validation_K"]:
        if t in config["phases"][phase]["md_temperatures"]:
            paths.append(f"{RESULTS_A}/md/{phase}/T{t}/seed{seed}/traj.lammpstrj")
        elif VALIDATION["teacher"] == "md" and t in VALIDATION["temperatures_K"]:
            paths.append(
                f"{RESULTS_A}/validation/{phase}/T{t}/seed{VALIDATION['seed']}/student.lammpstrj"
            )
        else:
            paths.append(
                f"{RESULTS_A}/md_validation/{phase}/T{t}/seed{seed}/traj.lammpstrj"
            )
    return paths


def figs3_reference_md(wildcards):
    return [
        f"{RESULTS_A}/reference/{wildcards.phase}/aimd/T{t}_x1.00.extxyz"
        for t in ANALYSIS["rdf_validation_K"]
    ]


# Dynamics validation (rules/validation.smk): teacher = the reference driving MD on the
# validation cell (`teacher: md`), or the reference's own AIMD-protocol runs on the unit cell
# (`teacher: aimd`, for DFT references); the student runs the same cell, length and thermostat.
def validation_run(wildcards):
    """MD settings shared by the teacher and student runs (keys of the `md` block)."""
    if VALIDATION["teacher"] == "aimd":
        aimd = config["aimd"]
        run = {
            "production_ps": aimd["duration_ps"],
            "equilibration_ps": aimd["equilibration_ps"],
            "dump_every_fs": aimd["sample_every_fs"],
            "timestep_fs": aimd["timestep_fs"],
        }
    else:
        run = {
            key: VALIDATION[key]
            for key in ("production_ps", "equilibration_ps", "dump_every_fs")
        }
    return {**config["md"], **run, "seed": VALIDATION["seed"]}


def reference_supercell(wildcards):
    """Replication of the unit cell for the AIMD-protocol runs (default 1x1x1, the paper's)."""
    return config["phases"][wildcards.phase]["reference_supercell"]


def validation_supercell(wildcards):
    if VALIDATION["teacher"] == "aimd":
        return reference_supercell(wildcards)
    return config["phases"][wildcards.phase]["validation_supercell"]


def validation_teacher(wildcards):
    if VALIDATION["teacher"] == "aimd":
        return f"{RESULTS_A}/reference/{wildcards.phase}/aimd/T{wildcards.temperature}_x1.00.extxyz"
    return rules.teacher_md.output[0]


def validation_student(wildcards):
    """The student's run: the production run itself where it has the validation cell, length,
    seed and temperature (no second MD), else a run of rule student_md."""
    phase, temperature = config["phases"][wildcards.phase], int(wildcards.temperature)
    run, md = validation_run(wildcards), config["md"]
    production = (
        VALIDATION["teacher"] == "md"
        and temperature in phase["md_temperatures"]
        and phase["validation_supercell"] == phase["supercell"]
        and VALIDATION["seed"] in md["seeds"]
        and all(
            run[k] == md[k]
            for k in ("production_ps", "equilibration_ps", "dump_every_fs")
        )
    )
    if production:
        return f"{RESULTS_A}/md/{wildcards.phase}/T{temperature}/seed{VALIDATION['seed']}/traj.lammpstrj"
    return rules.student_md.output.trajectory


def validation_dt_ps(wildcards):
    return validation_run(wildcards)["dump_every_fs"] / 1000.0


def validation_outputs(name):
    return expand(
        f"{RESULTS_A}/validation/{{phase}}/T{{temperature}}/seed{VALIDATION['seed']}/{name}",
        phase=PHASES,
        temperature=VALIDATION["temperatures_K"],
    )


def validation_figures():
    return expand(
        f"{RESULTS_A}/figures/figS3d_potential_validation_{{phase}}_T{{temperature}}.png",
        phase=PHASES,
        temperature=VALIDATION["temperatures_K"],
    )


def study_a_targets():
    return [
        f"{RESULTS_A}/tables/table1.csv",
        f"{RESULTS_A}/tables/potential_validation.csv",
        f"{RESULTS_A}/tables/tableS3_conductivity.csv",
        f"{RESULTS_A}/tables/dp_test_rmse.csv",
        f"{RESULTS_A}/tables/tableS2_parity.csv",
        f"{RESULTS_A}/figures/fig5_msd_arrhenius.png",
        *expand(f"{RESULTS_A}/figures/fig3_force_parity_{{phase}}.png", phase=PHASES),
        *expand(
            f"{RESULTS_A}/figures/figS2_energy_virial_parity_{{phase}}.png",
            phase=PHASES,
        ),
        f"{RESULTS_A}/provenance.json",
        f"{RESULTS_A}/tables/table2_directional.csv",
        f"{RESULTS_A}/tables/table3_residence.csv",
        f"{RESULTS_A}/tables/rdf_first_peaks.csv",
        f"{RESULTS_A}/tables/pmf_barriers.csv",
        *([f"{RESULTS_A}/tables/paper_vs_ionflow.csv"] if REFERENCE_VALUES else []),
        f"{RESULTS_A}/figures/fig6_directional_msd.png",
        f"{RESULTS_A}/figures/figS8_residence.png",
        f"{RESULTS_A}/figures/fig10a_xrd.png",
        f"{RESULTS_A}/figures/fig10b_rdf.png",
        f"{RESULTS_A}/figures/fig11_pmf_profiles.png",
        *expand(
            f"{RESULTS_A}/figures/figS3_rdf_validation_{{phase}}.png", phase=PHASES
        ),
        *expand(
            f"{RESULTS_A}/figures/{{figure}}_{{phase}}.png",
            figure=[
                "fig7_li_trajectory",
                "fig8_van_hove",
                "fig8b_nearest_li",
                "fig9_li_density",
                "fig11_pmf_maps",
            ],
            phase=PHASES,
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Labelling (reference calculations, issue 3): with a `labelling:` block, the AIMD-protocol
# frames that `reference` sampled are relabelled by `labelling.reference` in chunks of
# `labelling.chunk_size` frames per phase; without it, the sampler's own labels are the dataset.
# Chunks are planned from the frame count each AIMD run keeps, known before anything runs.
# ---------------------------------------------------------------------------------------------
from ionflow.plan import frames_per_run, n_chunks

LABELLING = config.get("labelling", {})
LABEL_REFERENCE = LABELLING.get("reference", {})
LABEL_THREADS = LABEL_REFERENCE.get("ranks", 1)
if "study_a" in STUDIES:
    DATASET_REFERENCE = (LABEL_REFERENCE or config["reference"])["backend"]
if LABELLING:
    check_available(LABEL_REFERENCE, CONFIG_SOURCE, key="labelling.reference")


wildcard_constraints:
    chunk=r"\d+",


def labelling_model(wildcards):
    return LABEL_REFERENCE.get("model", [])


def aimd_frame_count():
    """Frames all AIMD-protocol runs of one phase keep together."""
    aimd = config["aimd"]
    return sum(
        frames_per_run(
            aimd["duration_ps"] if scale == "1.00" else aimd["rescaled_duration_ps"],
            aimd["timestep_fs"],
            aimd["sample_every_fs"],
        )
        for _ in aimd["temperatures"]
        for scale in aimd_scales()
    )


def label_chunks(wildcards):
    return expand(
        f"{RESULTS_A}/reference/{wildcards.phase}/labelled/chunk{{chunk}}.extxyz",
        chunk=range(n_chunks(aimd_frame_count(), LABELLING["chunk_size"])),
    )


def dataset_frames(wildcards):
    return label_chunks(wildcards) if LABELLING else aimd_frames(wildcards)


# ---------------------------------------------------------------------------------------------
# Study B (paper 2): NEP committee by active learning. Iteration {it} reads iteration it-1
# (dataset_b_previous); iteration 0 reads the labelled initial set. How many iterations run is
# known only as selections finish, so `final_iteration` asks the `select_b` checkpoints.
# ---------------------------------------------------------------------------------------------
import json

from ionflow.plan import Condition, warm_start_source

if "study_b" in STUDIES:
    STUDY_B = config["study_b"]
    REFERENCE_VALUES_B = (
        [STUDY_B["reference_values"]] if STUDY_B.get("reference_values") else []
    )
    RESULTS_B = STUDY_B["results"]
    BULK = list(STUDY_B["bulk"])
    TRAIN_BULK = [name for name, bulk in STUDY_B["bulk"].items() if bulk["train"]]
    POOL_SEEDS = [f"interface{n}" for n in range(1, STUDY_B["pool"]["seeds"] + 1)]
    COMMITTEE = [f"model{k}" for k in range(1, STUDY_B["nep"]["committee_size"] + 1)]
    EXPLORATION = STUDY_B["exploration"]
    CONDITIONS = [Condition("nvt", t).name for t in EXPLORATION["nvt_temperatures"]] + [
        Condition("npt", t, p).name
        for t in EXPLORATION["npt_temperatures"]
        for p in EXPLORATION["npt_pressures_bar"]
    ]
    # GPUMD's nep and gpumd need a GPU; neppo and CPUNEP do not. The profile maps gpu to SLURM.
    NEP_GPUS = int(STUDY_B["nep"]["trainer"] == "nep")
    MD_GPUS = int(EXPLORATION["engine"] == "gpumd")
    PRODUCTION_GPUS = int(STUDY_B["md"]["engine"] == "gpumd")
    INTERFACES = STUDY_B["interfaces"]["build"]
    MD_BULK = list(STUDY_B["md"]["bulk"])
    for key in ("foundation", "reference"):
        check_available(STUDY_B[key], CONFIG_SOURCE, key=f"study_b.{key}")

    wildcard_constraints:
        bulk="|".join(BULK),
        it=r"\d+",
        member=r"model\d+|full",
        system=r"[a-z0-9_]+",
        condition=r"nvt_T\d+|npt_T\d+_P\d+",
        stage=r"initial|target_test|iter\d+",
        interface="|".join(STUDY_B["interfaces"]["build"]),
        mdsys="|".join(
            STUDY_B["interfaces"]["build"]
            + list(STUDY_B["md"]["bulk"])
            + [STUDY_B["md"]["glide"]["system"]]
        ),


def foundation_model_b(wildcards):
    return STUDY_B["foundation"].get("model", [])


def reference_model_b(wildcards):
    return STUDY_B["reference"].get("model", [])


def bulk_cif(wildcards):
    return STUDY_B["bulk"][wildcards.bulk]["cif"]


def bulk_supercell(wildcards):
    return STUDY_B["bulk"][wildcards.bulk]["supercell"]


def pool_pairs():
    """[ZrO2, LZC] bulk names screened for the interface pool (LZC film on the ZrO2 substrate)."""
    if "pairs" in STUDY_B["pool"]:
        return STUDY_B["pool"]["pairs"]
    return [
        [zro2, lzc]
        for zro2 in TRAIN_BULK
        if zro2.startswith("zro2_")
        for lzc in TRAIN_BULK
        if lzc.startswith("lzc_")
    ]


def pool_bulk(material):
    """Relaxed bulk files of one side (zro2 or lzc) of ``pool_pairs``, in pair order."""
    side = 0 if material == "zro2" else 1
    return [f"{RESULTS_B}/bulk/{pair[side]}.extxyz" for pair in pool_pairs()]


def initial_systems():
    return TRAIN_BULK + POOL_SEEDS


def initial_frames(wildcards):
    return expand(
        f"{RESULTS_B}/initial/frames/{{system}}.extxyz", system=initial_systems()
    )


def selected_frames_b(wildcards):
    if wildcards.stage == "initial":
        return f"{RESULTS_B}/initial/selected.extxyz"
    if wildcards.stage == "target_test":
        return f"{RESULTS_B}/initial/target_test.extxyz"
    return f"{RESULTS_B}/al/{wildcards.stage}/selected.extxyz"


def dataset_b_previous(wildcards):
    """Iteration it's data: iteration it-1's data plus its labelled selection (base: initial)."""
    it = int(wildcards.it)
    if it == 0:
        return {"labels": f"{RESULTS_B}/labels/initial.extxyz"}
    return {
        "labels": f"{RESULTS_B}/labels/iter{it - 1}.extxyz",
        "train": f"{RESULTS_B}/al/iter{it - 1}/dataset/train.extxyz",
        "test": f"{RESULTS_B}/al/iter{it - 1}/dataset/test.extxyz",
    }


def warm_start_model(wildcards):
    """The model a training continues from (ionflow.plan.warm_start_source), if any."""
    source = warm_start_source(STUDY_B["nep"], int(wildcards.it), wildcards.member)
    if source is None:
        return {}
    return {"init": f"{RESULTS_B}/al/iter{source[0]}/committee/{source[1]}/nep.txt"}


def committee_models(wildcards):
    return expand(
        f"{RESULTS_B}/al/iter{wildcards.it}/committee/{{member}}/nep.txt",
        member=COMMITTEE,
    )


def exploration_runs(wildcards):
    return expand(
        f"{RESULTS_B}/al/iter{wildcards.it}/explore/{{system}}/{{condition}}/dump.xyz",
        system=EXPLORATION["systems"],
        condition=CONDITIONS,
    )


def exploration_conditions(wildcards):
    """Condition name of each entry of ``exploration_runs``, in the same order."""
    return [c for _ in EXPLORATION["systems"] for c in CONDITIONS]


def final_iteration():
    """First iteration whose selection converged, else max_iterations (train only)."""
    for it in range(STUDY_B["active_learning"]["max_iterations"]):
        selection = checkpoints.select_b.get(it=it).output.selection
        if json.loads(Path(selection).read_text())["converged"]:
            return it
    return STUDY_B["active_learning"]["max_iterations"]


def final_nep_model(wildcards):
    return f"{RESULTS_B}/al/iter{final_iteration()}/committee/full/nep.txt"


def final_dataset(wildcards):
    it = final_iteration()
    return {
        "train": f"{RESULTS_B}/al/iter{it}/dataset/train.extxyz",
        "test": f"{RESULTS_B}/al/iter{it}/dataset/test.extxyz",
    }


def iteration_summaries(wildcards):
    """Summaries of every explored iteration (a converged one included)."""
    final = final_iteration()
    explored = min(final + 1, STUDY_B["active_learning"]["max_iterations"])
    return expand(f"{RESULTS_B}/al/iter{{it}}/summary.json", it=range(explored))


def interface_bulk(wildcards):
    spec = STUDY_B["interfaces"]["systems"][wildcards.interface]
    return {
        "zro2": f"{RESULTS_B}/bulk/{spec['zro2']}.extxyz",
        "lzc": f"{RESULTS_B}/bulk/{spec['lzc']}.extxyz",
    }


def screening_bulk_names():
    """Bulk phases named by the production interfaces, each once."""
    names = []
    for spec in STUDY_B["interfaces"]["systems"].values():
        names += [n for n in (spec["zro2"], spec["lzc"]) if n not in names]
    return names


def screening_bulk(wildcards):
    return [f"{RESULTS_B}/bulk/{name}.extxyz" for name in screening_bulk_names()]


def interface_spec(wildcards):
    return STUDY_B["interfaces"]["systems"][wildcards.interface]


def md_structure(wildcards):
    """Production MD cell: a built interface, or a relaxed bulk phase (replicated by the script)."""
    if wildcards.mdsys in INTERFACES:
        return f"{RESULTS_B}/interfaces/{wildcards.mdsys}.extxyz"
    return f"{RESULTS_B}/bulk/{wildcards.mdsys}.extxyz"


def md_supercell(wildcards):
    """MD cell of a bulk phase: its md.bulk supercell, else the glide check's."""
    glide = STUDY_B["md"]["glide"]
    if wildcards.mdsys in STUDY_B["md"]["bulk"]:
        return STUDY_B["md"]["bulk"][wildcards.mdsys]
    return glide["supercell"]


def md_potential(wildcards):
    """NEP of production MD: the actively learned model, or the foundation NEP (embedded default)."""
    if STUDY_B["md"]["potential"] == "final":
        return f"{RESULTS_B}/model/nep.txt"
    return STUDY_B["foundation"]["model"]


def validation_b_outputs(kind):
    """Per validated system (validation.dynamics bulk systems at analysis.bulk_temperature_K, built
    interfaces at analysis.temperature_K): its verdict.json, curves.npz or figure (png); none
    without validation.dynamics (MD with the foundation model needs no validation)."""
    dynamics = STUDY_B["validation"].get("dynamics")
    if dynamics is None:
        return []
    analysis = STUDY_B["analysis"]
    runs = [(bulk, analysis["bulk_temperature_K"]) for bulk in dynamics["bulk"]]
    runs += [(interface, analysis["temperature_K"]) for interface in INTERFACES]
    if kind == "png":
        return [
            f"{RESULTS_B}/figures/figS_potential_validation_{name}_T{t}.png"
            for name, t in runs
        ]
    return [f"{RESULTS_B}/validation/{name}/T{t}/{kind}" for name, t in runs]


def validation_b_table(wildcards):
    """Study B's tables/potential_validation.csv when its MD ran with the learned NEP (its tables
    then withhold what the validation does not support); none with the foundation model.
    """
    if STUDY_B["md"]["potential"] == "final":
        return [f"{RESULTS_B}/tables/potential_validation.csv"]
    return []


def validated_bulk_b():
    """The bulk systems the learned NEP's dynamics were validated on (validation.dynamics.bulk)."""
    return list(STUDY_B["validation"].get("dynamics", {}).get("bulk", []))


def md_temperatures(wildcards):
    if wildcards.mdsys in INTERFACES:
        return STUDY_B["md"]["interface_temperatures"]
    return STUDY_B["md"]["bulk_temperatures"]


def bulk_transport(wildcards):
    return expand(
        f"{RESULTS_B}/transport/{{bulk}}/T{{temperature}}.json",
        bulk=MD_BULK,
        temperature=STUDY_B["md"]["bulk_temperatures"],
    )


def glide_trajectory(wildcards):
    """The β → pseudo-layered check run (study_b.md.glide)."""
    glide = STUDY_B["md"]["glide"]
    return f"{RESULTS_B}/md/{glide['system']}/T{glide['temperature_K']:g}/dump.xyz"


def bulk_structure_trajectories(wildcards):
    """One run per md.bulk phase at analysis.bulk_temperature_K, in MD_BULK order."""
    T = STUDY_B["analysis"]["bulk_temperature_K"]
    return [f"{RESULTS_B}/md/{bulk}/T{T:g}/dump.xyz" for bulk in MD_BULK]


def relaxed_md_bulk(wildcards):
    """The relaxed bulk cell of every md.bulk phase, in MD_BULK order."""
    return [f"{RESULTS_B}/bulk/{bulk}.extxyz" for bulk in MD_BULK]


def interface_trajectory(wildcards):
    T = STUDY_B["analysis"]["temperature_K"]
    return f"{RESULTS_B}/md/{wildcards.interface}/T{T:g}/dump.xyz"


def study_b_targets():
    return [
        f"{RESULTS_B}/model/nep.txt",
        f"{RESULTS_B}/tables/active_learning.csv",
        f"{RESULTS_B}/figures/fig_al_convergence.png",
        f"{RESULTS_B}/figures/fig1a_initial_pca.png",
        f"{RESULTS_B}/tables/nep_rmse.csv",
        f"{RESULTS_B}/tables/holdout_interfaces.csv",
        f"{RESULTS_B}/tables/polymorph_energies.csv",
        f"{RESULTS_B}/figures/fig1b_descriptor_map.png",
        f"{RESULTS_B}/tables/interface_screening.csv",
        f"{RESULTS_B}/tables/arrhenius_b.csv",
        *([f"{RESULTS_B}/tables/paper_vs_ionflow.csv"] if REFERENCE_VALUES_B else []),
        *(
            [f"{RESULTS_B}/tables/potential_validation.csv"]
            if STUDY_B["md"]["potential"] == "final"
            else []
        ),
        f"{RESULTS_B}/provenance.json",
        *expand(
            f"{RESULTS_B}/md/{{interface}}/T{{temperature}}/dump.xyz",
            interface=INTERFACES,
            temperature=STUDY_B["md"]["interface_temperatures"],
        ),
        *expand(
            f"{RESULTS_B}/figures/{{figure}}_{{interface}}.png",
            figure=INTERFACE_FIGURES + ["figS11_snapshots", "figS8_plane_counts"],
            interface=INTERFACES,
        ),
        f"{RESULTS_B}/figures/figS5_glide.png",
        f"{RESULTS_B}/tables/glide.json",
        f"{RESULTS_B}/figures/figS7_bulk_rdf.png",
        f"{RESULTS_B}/figures/figS12_layer_populations.png",
        f"{RESULTS_B}/figures/figS13_csm_reference.png",
        f"{RESULTS_B}/figures/figS14_bulk_csm_volume.png",
        f"{RESULTS_B}/tables/layer_populations.csv",
        *expand(
            f"{RESULTS_B}/tables/li_planes_{{interface}}.csv", interface=INTERFACES
        ),
    ]


INTERFACE_FIGURES = [
    "fig3_coordination",
    "fig3_density",
    "fig4_hops",
    "fig4_displacements",
    "fig5_csm_volume",
]


def final_targets():
    targets = []
    if "study_a" in STUDIES:
        targets += study_a_targets()
    if "study_b" in STUDIES:
        targets += study_b_targets()
    return targets


# Each study's results folder -> the study (provenance.json is written beside either).
STUDY_RESULTS = {
    **({config["results"]: "study_a"} if "study_a" in STUDIES else {}),
    **({config["study_b"]["results"]: "study_b"} if "study_b" in STUDIES else {}),
}


def study_of_results(wildcards):
    return STUDY_RESULTS[wildcards.results]
