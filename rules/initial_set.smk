# Study B initial training set: strained copies and foundation-model MD of every training
# system, SOAP -> PCA -> k-means representatives, labelled by the reference.


rule sample_initial_b:
    input:
        system=f"{RESULTS_B}/systems/{{system}}.extxyz",
        model=foundation_model_b,
    output:
        f"{RESULTS_B}/initial/frames/{{system}}.extxyz",
    log:
        f"{RESULTS_B}/logs/initial/{{system}}.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/initial/{{system}}.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=1440,
    params:
        foundation=STUDY_B["foundation"],
        initial=STUDY_B["initial_set"],
    script:
        "../scripts/sample_initial_b.py"


def initial_systems():
    return TRAIN_BULK + POOL_SEEDS


def initial_frames(wildcards):
    return expand(
        f"{RESULTS_B}/initial/frames/{{system}}.extxyz", system=initial_systems()
    )


rule select_initial_b:
    input:
        initial_frames,
    output:
        selected=f"{RESULTS_B}/initial/selected.extxyz",
        target_test=f"{RESULTS_B}/initial/target_test.extxyz",
        latent_map=f"{RESULTS_B}/initial/latent_map.npz",
    log:
        f"{RESULTS_B}/logs/initial/select.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/initial/select.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=240,
    params:
        initial=STUDY_B["initial_set"],
        species=STUDY_B["species"],
        target_temperature_K=STUDY_B["selection"]["target_temperature_K"],
    script:
        "../scripts/select_initial_b.py"


rule fig1a_initial_pca:
    input:
        f"{RESULTS_B}/initial/latent_map.npz",
    output:
        report(
            f"{RESULTS_B}/figures/fig1a_initial_pca.png",
            caption="../report/fig1a_initial_pca.rst",
            category="Study B",
        ),
    log:
        f"{RESULTS_B}/logs/figures/fig1a_initial_pca.log",
    conda:
        "../envs/ionflow.yaml"
    script:
        "../scripts/fig1a_initial_pca.py"


def selected_frames_b(wildcards):
    if wildcards.stage == "initial":
        return f"{RESULTS_B}/initial/selected.extxyz"
    if wildcards.stage == "target_test":
        return f"{RESULTS_B}/initial/target_test.extxyz"
    return f"{RESULTS_B}/al/{wildcards.stage}/selected.extxyz"


rule label_b:
    input:
        frames=selected_frames_b,
        model=reference_model_b,
    output:
        labels=f"{RESULTS_B}/labels/{{stage}}.extxyz",
        failures=f"{RESULTS_B}/labels/{{stage}}_failures.csv",
    log:
        f"{RESULTS_B}/logs/labels/{{stage}}.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/labels/{{stage}}.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=1440,
    params:
        reference=STUDY_B["reference"],
    script:
        "../scripts/label_b.py"
