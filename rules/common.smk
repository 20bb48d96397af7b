# Wiring shared by the whole workflow: config validation, the studies' globals and path
# helpers, and the input functions that several rule files (or the targets) use. An input
# function used by one rule file sits beside its rules in that file. Rules hold no logic.
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
    ENSEMBLE_FRAMES = VALIDATION.get("ensemble_frames", 0)  # 0: no ensemble gap
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


def per_phase(pattern):
    """Input function: ``pattern`` (with a {phase} field) for every phase, in table order."""

    def paths(wildcards):
        return [pattern.format(phase=phase) for phase in PHASES]

    return paths


def reference_supercell(wildcards):
    """Replication of the unit cell for the AIMD-protocol runs (default 1x1x1, the paper's)."""
    return config["phases"][wildcards.phase]["reference_supercell"]


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


def final_iteration():
    """First iteration whose selection converged, else max_iterations (train only)."""
    for it in range(STUDY_B["active_learning"]["max_iterations"]):
        selection = checkpoints.select_b.get(it=it).output.selection
        if json.loads(Path(selection).read_text())["converged"]:
            return it
    return STUDY_B["active_learning"]["max_iterations"]


def md_structure(wildcards):
    """Production MD cell: a built interface, or a relaxed bulk phase (replicated by the script)."""
    if wildcards.mdsys in INTERFACES:
        return f"{RESULTS_B}/interfaces/{wildcards.mdsys}.extxyz"
    return f"{RESULTS_B}/bulk/{wildcards.mdsys}.extxyz"


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
