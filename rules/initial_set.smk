# Study B initial training set: strained copies and foundation-model MD of every training
# system, SOAP -> PCA -> k-means representatives, labelled by the reference.


rule sample_initial_b:
    input:
        system=f"{RB}/systems/{{system}}.extxyz",
        model=foundation_model_b,
    output:
        f"{RB}/initial/frames/{{system}}.extxyz",
    log:
        f"{RB}/logs/initial/{{system}}.log",
    benchmark:
        f"{RB}/benchmarks/initial/{{system}}.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=1440,
    params:
        foundation=B["foundation"],
        initial=B["initial_set"],
    script:
        "../scripts/sample_initial_b.py"


rule select_initial_b:
    input:
        initial_frames,
    output:
        selected=f"{RB}/initial/selected.extxyz",
        target_test=f"{RB}/initial/target_test.extxyz",
        latent_map=f"{RB}/initial/latent_map.npz",
    log:
        f"{RB}/logs/initial/select.log",
    benchmark:
        f"{RB}/benchmarks/initial/select.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=240,
    params:
        initial=B["initial_set"],
        species=B["species"],
        target_temperature_K=B["selection"]["target_temperature_K"],
    script:
        "../scripts/select_initial_b.py"


rule fig1a_initial_pca:
    input:
        f"{RB}/initial/latent_map.npz",
    output:
        report(
            f"{RB}/figures/fig1a_initial_pca.png",
            caption="../report/fig1a_initial_pca.rst",
            category="Study B",
        ),
    log:
        f"{RB}/logs/figures/fig1a_initial_pca.log",
    conda:
        "../envs/ionflow.yaml"
    script:
        "../scripts/fig1a_initial_pca.py"


rule label_b:
    input:
        frames=selected_frames_b,
        model=reference_model_b,
    output:
        labels=f"{RB}/labels/{{stage}}.extxyz",
        failures=f"{RB}/labels/{{stage}}_failures.csv",
    log:
        f"{RB}/logs/labels/{{stage}}.log",
    benchmark:
        f"{RB}/benchmarks/labels/{{stage}}.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=1440,
    params:
        reference=B["reference"],
    script:
        "../scripts/label_b.py"
