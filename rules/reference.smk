# Reference labels: the AIMD protocol driven by the configured reference calculator, then a
# screened, split DeePMD dataset with a failures table.


rule aimd:
    input:
        unit_cell=rules.select_ordering.output.unit_cell,
        model=reference_model,
    output:
        f"{R}/reference/{{phase}}/aimd/T{{temperature}}_x{{scale}}.extxyz",
    params:
        reference=config["reference"],
        aimd=config["aimd"],
        duration_ps=aimd_duration_ps,
    log:
        f"{R}/logs/reference/{{phase}}/aimd/T{{temperature}}_x{{scale}}.log",
    benchmark:
        f"{R}/benchmarks/reference/{{phase}}/aimd/T{{temperature}}_x{{scale}}.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=120,
    script:
        "../scripts/aimd.py"


rule dataset:
    input:
        aimd_frames,
    output:
        train=directory(f"{R}/dataset/{{phase}}/train"),
        test=directory(f"{R}/dataset/{{phase}}/test"),
        failures=f"{R}/dataset/{{phase}}/failures.csv",
        summary=f"{R}/dataset/{{phase}}/summary.json",
    params:
        aimd=config["aimd"],
        type_map=TYPE_MAP,
        reference=config["reference"]["backend"],
    log:
        f"{R}/logs/dataset/{{phase}}.log",
    resources:
        mem_mb=4000,
        runtime=30,
    script:
        "../scripts/dataset.py"
