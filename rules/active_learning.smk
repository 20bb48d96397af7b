# Study B active learning (query by committee), one iteration {it} at a time: data of it-1 plus
# its labelled selection -> committee inputs -> NEP training (GPU `nep` on clusters, neppo
# here) -> exploration MD with the first member -> committee deviation and selection
# (checkpoint: it decides whether the loop goes on) -> labels -> next iteration.


rule dataset_b:
    input:
        unpack(dataset_b_previous),
    output:
        train=f"{RESULTS_B}/al/iter{{it}}/dataset/train.extxyz",
        test=f"{RESULTS_B}/al/iter{{it}}/dataset/test.extxyz",
    log:
        f"{RESULTS_B}/logs/al/iter{{it}}/dataset.log",
    conda:
        "../envs/ionflow.yaml"
    params:
        test_fraction=STUDY_B["nep"]["test_fraction"],
        seed=STUDY_B["nep"]["seed"],
    script:
        "../scripts/dataset_b.py"


rule committee_inputs:
    input:
        train=rules.dataset_b.output.train,
        test=rules.dataset_b.output.test,
    output:
        expand(
            f"{RESULTS_B}/al/iter{{{{it}}}}/committee/{{member}}/{{file}}",
            member=COMMITTEE + ["full"],
            file=["nep.in", "train.xyz", "test.xyz"],
        ),
    log:
        f"{RESULTS_B}/logs/al/iter{{it}}/committee_inputs.log",
    conda:
        "../envs/ionflow.yaml"
    params:
        nep=STUDY_B["nep"],
        species=STUDY_B["species"],
        directory=f"{RESULTS_B}/al/iter{{it}}/committee",
    script:
        "../scripts/committee_inputs.py"


def warm_start_model(wildcards):
    """The model a training continues from (ionflow.plan.warm_start_source), if any."""
    source = warm_start_source(STUDY_B["nep"], int(wildcards.it), wildcards.member)
    if source is None:
        return {}
    return {"init": f"{RESULTS_B}/al/iter{source[0]}/committee/{source[1]}/nep.txt"}


rule train_nep:
    input:
        unpack(warm_start_model),
        nep_in=f"{RESULTS_B}/al/iter{{it}}/committee/{{member}}/nep.in",
        train=f"{RESULTS_B}/al/iter{{it}}/committee/{{member}}/train.xyz",
        test=f"{RESULTS_B}/al/iter{{it}}/committee/{{member}}/test.xyz",
    output:
        model=f"{RESULTS_B}/al/iter{{it}}/committee/{{member}}/nep.txt",
        trainer=f"{RESULTS_B}/al/iter{{it}}/committee/{{member}}/trainer.json",
    log:
        f"{RESULTS_B}/logs/al/iter{{it}}/train_{{member}}.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/al/iter{{it}}/train_{{member}}.tsv"
    conda:
        "../envs/nep.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=2880,
        gpu=NEP_GPUS,
    params:
        trainer=STUDY_B["nep"]["trainer"],
        command=STUDY_B["nep"].get("nep_command"),
        checkpoint_steps=STUDY_B["nep"].get("checkpoint_steps"),
    script:
        "../scripts/train_nep.py"


rule explore_b:
    input:
        model=f"{RESULTS_B}/al/iter{{it}}/committee/{COMMITTEE[0]}/nep.txt",
        system=f"{RESULTS_B}/systems/{{system}}.extxyz",
    output:
        dump=f"{RESULTS_B}/al/iter{{it}}/explore/{{system}}/{{condition}}/dump.xyz",
        thermo=f"{RESULTS_B}/al/iter{{it}}/explore/{{system}}/{{condition}}/thermo.out",
        run_in=f"{RESULTS_B}/al/iter{{it}}/explore/{{system}}/{{condition}}/run.in",
    log:
        f"{RESULTS_B}/logs/al/iter{{it}}/explore/{{system}}_{{condition}}.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/al/iter{{it}}/explore/{{system}}_{{condition}}.tsv"
    conda:
        "../envs/nep.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=720,
        gpu=MD_GPUS,
    params:
        exploration=EXPLORATION,
    script:
        "../scripts/explore_b.py"


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


checkpoint select_b:
    input:
        runs=exploration_runs,
        models=committee_models,
    output:
        deviation=f"{RESULTS_B}/al/iter{{it}}/deviation.csv",
        selected=f"{RESULTS_B}/al/iter{{it}}/selected.extxyz",
        selection=f"{RESULTS_B}/al/iter{{it}}/selection.json",
    log:
        f"{RESULTS_B}/logs/al/iter{{it}}/select.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/al/iter{{it}}/select.tsv"
    conda:
        "../envs/nep.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=240,
    params:
        conditions=exploration_conditions,
        selection=STUDY_B["selection"],
    script:
        "../scripts/select_b.py"


rule iteration_summary_b:
    input:
        selection=f"{RESULTS_B}/al/iter{{it}}/selection.json",
        failures=f"{RESULTS_B}/labels/iter{{it}}_failures.csv",
        labels=f"{RESULTS_B}/labels/iter{{it}}.extxyz",
        models=committee_models,
        train=rules.dataset_b.output.train,
        test=rules.dataset_b.output.test,
        target=f"{RESULTS_B}/labels/target_test.extxyz",
    output:
        f"{RESULTS_B}/al/iter{{it}}/summary.json",
    log:
        f"{RESULTS_B}/logs/al/iter{{it}}/summary.log",
    conda:
        "../envs/nep.yaml"
    script:
        "../scripts/iteration_summary_b.py"


def iteration_summaries(wildcards):
    """Summaries of every explored iteration (a converged one included)."""
    final = final_iteration()
    explored = min(final + 1, STUDY_B["active_learning"]["max_iterations"])
    return expand(f"{RESULTS_B}/al/iter{{it}}/summary.json", it=range(explored))


rule active_learning_table:
    input:
        iteration_summaries,
    output:
        table=report(
            f"{RESULTS_B}/tables/active_learning.csv",
            caption="../report/active_learning.rst",
            category="Study B",
        ),
        figure=report(
            f"{RESULTS_B}/figures/fig_al_convergence.png",
            caption="../report/active_learning.rst",
            category="Study B",
        ),
    log:
        f"{RESULTS_B}/logs/tables/active_learning.log",
    conda:
        "../envs/ionflow.yaml"
    script:
        "../scripts/active_learning_table.py"


def final_nep_model(wildcards):
    return f"{RESULTS_B}/al/iter{final_iteration()}/committee/full/nep.txt"


rule final_model_b:
    input:
        final_nep_model,
    output:
        model=f"{RESULTS_B}/model/nep.txt",
        provenance=f"{RESULTS_B}/model/model.json",
    log:
        f"{RESULTS_B}/logs/model.log",
    conda:
        "../envs/ionflow.yaml"
    script:
        "../scripts/final_model_b.py"
