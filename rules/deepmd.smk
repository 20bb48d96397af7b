# Deep Potential per phase: train, freeze, compress, test-set errors and parity.


rule train_deepmd:
    input:
        train=rules.dataset.output.train,
        test=rules.dataset.output.test,
    output:
        model=f"{RESULTS_A}/models/{{phase}}/model.pb",
        input_json=f"{RESULTS_A}/models/{{phase}}/input.json",
        lcurve=f"{RESULTS_A}/models/{{phase}}/lcurve.out",
    log:
        f"{RESULTS_A}/logs/models/{{phase}}/train.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/models/{{phase}}/train.tsv"
    priority: 10  # the start of the longest chain (train, compress, student MD): docs/performance.md
    conda:
        "../envs/deepmd.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=1440,
    params:
        deepmd=config["deepmd"],
        rcut=phase_param("rcut"),
        type_map=TYPE_MAP,
    script:
        "../scripts/train_deepmd.py"


rule compress_deepmd:
    input:
        model=rules.train_deepmd.output.model,
        input_json=rules.train_deepmd.output.input_json,
    output:
        f"{RESULTS_A}/models/{{phase}}/model_compressed.pb",
    log:
        f"{RESULTS_A}/logs/models/{{phase}}/compress.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/models/{{phase}}/compress.tsv"
    priority: 10
    conda:
        "../envs/deepmd.yaml"
    threads: 2
    resources:
        mem_mb=4000,
        runtime=60,
    script:
        "../scripts/compress_deepmd.py"


rule test_deepmd:
    input:
        model=rules.train_deepmd.output.model,
        test=rules.dataset.output.test,
    output:
        summary=f"{RESULTS_A}/models/{{phase}}/dp_test.json",
        parity=f"{RESULTS_A}/models/{{phase}}/parity.npz",
    log:
        f"{RESULTS_A}/logs/models/{{phase}}/test.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/models/{{phase}}/test.tsv"
    conda:
        "../envs/deepmd.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    script:
        "../scripts/test_deepmd.py"


def all_dp_tests(wildcards):
    return expand(f"{RESULTS_A}/models/{{phase}}/dp_test.json", phase=PHASES)


rule dp_test_table:
    input:
        all_dp_tests,
    output:
        report(
            f"{RESULTS_A}/tables/dp_test_rmse.csv",
            caption="../report/dp_test_rmse.rst",
            category="Deep Potential",
        ),
    log:
        f"{RESULTS_A}/logs/tables/dp_test_rmse.log",
    conda:
        "../envs/ionflow.yaml"
    script:
        "../scripts/dp_test_table.py"


rule fig3_force_parity:
    input:
        rules.test_deepmd.output.parity,
    output:
        report(
            f"{RESULTS_A}/figures/fig3_force_parity_{{phase}}.png",
            caption="../report/fig3.rst",
            category="Deep Potential",
        ),
    log:
        f"{RESULTS_A}/logs/figures/fig3_force_parity_{{phase}}.log",
    conda:
        "../envs/ionflow.yaml"
    script:
        "../scripts/fig3_force_parity.py"


rule table_s2_parity:
    input:
        per_phase(f"{RESULTS_A}/models/{{phase}}/parity.npz"),
    output:
        report(
            f"{RESULTS_A}/tables/tableS2_parity.csv",
            caption="../report/tableS2.rst",
            category="Deep Potential",
        ),
    log:
        f"{RESULTS_A}/logs/tables/tableS2_parity.log",
    conda:
        "../envs/ionflow.yaml"
    params:
        phases=PHASES,
    script:
        "../scripts/table_s2_parity.py"


rule figS2_energy_virial_parity:
    input:
        rules.test_deepmd.output.parity,
    output:
        report(
            f"{RESULTS_A}/figures/figS2_energy_virial_parity_{{phase}}.png",
            caption="../report/figS2.rst",
            category="Deep Potential",
        ),
    log:
        f"{RESULTS_A}/logs/figures/figS2_energy_virial_parity_{{phase}}.log",
    conda:
        "../envs/ionflow.yaml"
    script:
        "../scripts/figS2_energy_virial_parity.py"
