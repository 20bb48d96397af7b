# Wiring: config validation, paths and input functions. Rules stay free of logic.
import os
from pathlib import Path

from ionflow.config import check_phase_names, validate_config
from ionflow.reference import check_available

CONFIG_FILES = [os.path.relpath(f) for f in workflow.overwrite_configfiles] or [
    "config/config.yaml"
]
CONFIG_SOURCE = ", ".join(CONFIG_FILES)
validate_config(
    config, Path(workflow.basedir) / "config" / "schema.yaml", CONFIG_SOURCE
)
check_phase_names(config.get("phase_order", []), config, CONFIG_SOURCE, "phase_order")
check_available(config["reference"], CONFIG_SOURCE)

R = config["results"]
PHASES = config.get("phase_order") or list(config["phases"])
TYPE_MAP = ["Li", "Zr", "Cl"]


wildcard_constraints:
    phase="|".join(config["phases"]),
    temperature=r"\d+",
    scale=r"\d\.\d\d",
    seed=r"\d+",


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
        f"{R}/reference/{wildcards.phase}/aimd/T{{temperature}}_x{{scale}}.extxyz",
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
    return f"{R}/models/{wildcards.phase}/{name}"


def md_trajectories(wildcards):
    return expand(
        f"{R}/md/{wildcards.phase}/T{wildcards.temperature}/seed{{seed}}/traj.lammpstrj",
        seed=config["md"]["seeds"],
    )


def transport_results(wildcards):
    return expand(
        f"{R}/transport/{wildcards.phase}/T{{temperature}}.json",
        temperature=config["phases"][wildcards.phase]["md_temperatures"],
    )


def msd_curve_phases():
    """Phase of each entry of ``all_msd_curves``, in the same order."""
    return [
        phase for phase in PHASES for _ in config["phases"][phase]["md_temperatures"]
    ]


def all_msd_curves(wildcards):
    return [
        f"{R}/transport/{phase}/T{temperature}_msd.npz"
        for phase in PHASES
        for temperature in config["phases"][phase]["md_temperatures"]
    ]


def all_arrhenius(wildcards):
    return expand(f"{R}/transport/{{phase}}/arrhenius.json", phase=PHASES)


def all_dp_tests(wildcards):
    return expand(f"{R}/models/{{phase}}/dp_test.json", phase=PHASES)


ANALYSIS = config["analysis"]
A = f"{R}/analysis/T{ANALYSIS['temperature_K']:g}"


def analysis_trajectory(wildcards):
    return f"{R}/md/{wildcards.phase}/T{ANALYSIS['temperature_K']:g}/seed{ANALYSIS['seed']}/traj.lammpstrj"


def analysis_transport(wildcards):
    return f"{R}/transport/{wildcards.phase}/T{ANALYSIS['temperature_K']:g}.json"


def per_phase(pattern):
    """Input function: ``pattern`` (with a {phase} field) for every phase, in table order."""

    def paths(wildcards):
        return [pattern.format(phase=phase) for phase in PHASES]

    return paths


def final_targets():
    return [
        f"{R}/tables/table1.csv",
        f"{R}/tables/dp_test_rmse.csv",
        f"{R}/figures/fig5_msd_arrhenius.png",
        *expand(f"{R}/figures/fig3_force_parity_{{phase}}.png", phase=PHASES),
        f"{R}/provenance.json",
        f"{R}/tables/table2_directional.csv",
        f"{R}/tables/table3_residence.csv",
        f"{R}/tables/rdf_first_peaks.csv",
        f"{R}/tables/pmf_barriers.csv",
        f"{R}/tables/paper_vs_ionflow.csv",
        f"{R}/figures/fig6_directional_msd.png",
        f"{R}/figures/figS8_residence.png",
        f"{R}/figures/fig10a_xrd.png",
        f"{R}/figures/fig10b_rdf.png",
        f"{R}/figures/fig11_pmf_profiles.png",
        *expand(
            f"{R}/figures/{{figure}}_{{phase}}.png",
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
from ionflow.reference.labelling import n_chunks
from ionflow.sampling import frames_per_run

LABELLING = config.get("labelling", {})
LABEL_REFERENCE = LABELLING.get("reference", {})
LABEL_THREADS = LABEL_REFERENCE.get("ranks", 1)
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
        f"{R}/reference/{wildcards.phase}/labelled/chunk{{chunk}}.extxyz",
        chunk=range(n_chunks(aimd_frame_count(), LABELLING["chunk_size"])),
    )


def dataset_frames(wildcards):
    return label_chunks(wildcards) if LABELLING else aimd_frames(wildcards)
