# Reference labels: the AIMD protocol driven by the configured reference calculator, optionally
# relabelled in resumable chunks by a second (expensive) reference, then a screened, split
# DeePMD dataset with a failures table.


def aimd_duration_ps(wildcards):
    aimd = config["aimd"]
    return (
        aimd["duration_ps"]
        if wildcards.scale == "1.00"
        else aimd["rescaled_duration_ps"]
    )


rule aimd:
    input:
        unit_cell=rules.select_ordering.output.unit_cell,
        model=reference_model,
    output:
        f"{RESULTS_A}/reference/{{phase}}/aimd/T{{temperature}}_x{{scale}}.extxyz",
    log:
        f"{RESULTS_A}/logs/reference/{{phase}}/aimd/T{{temperature}}_x{{scale}}.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/reference/{{phase}}/aimd/T{{temperature}}_x{{scale}}.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=120,
    params:
        reference=config["reference"],
        aimd=config["aimd"],
        duration_ps=aimd_duration_ps,
        supercell=reference_supercell,
    script:
        "../scripts/aimd.py"


def labelling_model(wildcards):
    return LABEL_REFERENCE.get("model", [])


def aimd_scales():
    return ["1.00"] + [f"{s:.2f}" for s in config["aimd"]["rescale_factors"]]


def aimd_frames(wildcards):
    return expand(
        f"{RESULTS_A}/reference/{wildcards.phase}/aimd/T{{temperature}}_x{{scale}}.extxyz",
        temperature=config["aimd"]["temperatures"],
        scale=aimd_scales(),
    )


rule label_chunk:
    input:
        frames=aimd_frames,
        model=labelling_model,
    output:
        f"{RESULTS_A}/reference/{{phase}}/labelled/chunk{{chunk}}.extxyz",
    log:
        f"{RESULTS_A}/logs/reference/{{phase}}/labelled/chunk{{chunk}}.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/reference/{{phase}}/labelled/chunk{{chunk}}.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: LABEL_THREADS
    resources:
        mem_mb=4000,
        runtime=720,
    params:
        labelling=LABELLING,
    script:
        "../scripts/label_chunk.py"


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


rule dataset:
    input:
        dataset_frames,
    output:
        train=directory(f"{RESULTS_A}/dataset/{{phase}}/train"),
        test=directory(f"{RESULTS_A}/dataset/{{phase}}/test"),
        failures=f"{RESULTS_A}/dataset/{{phase}}/failures.csv",
        summary=f"{RESULTS_A}/dataset/{{phase}}/summary.json",
    log:
        f"{RESULTS_A}/logs/dataset/{{phase}}.log",
    conda:
        "../envs/ionflow.yaml"
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        aimd=config["aimd"],
        type_map=TYPE_MAP,
        reference=DATASET_REFERENCE,
    script:
        "../scripts/dataset.py"
