# Phases: enumerate orderings of the partially occupied site model, relax, keep the lowest.


rule enumerate_orderings:
    input:
        cif=phase_param("cif"),
    output:
        f"{RESULTS_A}/structures/{{phase}}/orderings.extxyz",
    log:
        f"{RESULTS_A}/logs/structures/{{phase}}/enumerate_orderings.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/structures/{{phase}}/enumerate_orderings.tsv"
    conda:
        "../envs/ionflow.yaml"
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        rule=phase_param("ordering"),
        max_orderings=config["structures"]["max_orderings"],
        mobile=config["transport"]["species"],
        oxidation_states=config.get("oxidation_states"),
    script:
        "../scripts/enumerate_orderings.py"


rule select_ordering:
    input:
        orderings=rules.enumerate_orderings.output[0],
        model=reference_model,
    output:
        ranking=f"{RESULTS_A}/structures/{{phase}}/ranking.csv",
        unit_cell=f"{RESULTS_A}/structures/{{phase}}/unit_cell.extxyz",
    log:
        f"{RESULTS_A}/logs/structures/{{phase}}/select_ordering.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/structures/{{phase}}/select_ordering.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        reference=config["reference"],
        fmax=config["structures"]["relax_fmax_eV_A"],
        max_steps=config["structures"]["relax_max_steps"],
    script:
        "../scripts/select_ordering.py"
