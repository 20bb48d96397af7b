# Study B validation of the final NEP: parity and RMSE (Fig. 2a-c), hold-out interfaces (the
# paper's 10.0 meV/atom check), E-V curves and polymorph energies, descriptor map (Fig. 1b).


def final_dataset(wildcards):
    it = final_iteration()
    return {
        "train": f"{RESULTS_B}/al/iter{it}/dataset/train.extxyz",
        "test": f"{RESULTS_B}/al/iter{it}/dataset/test.extxyz",
    }


rule nep_parity:
    input:
        unpack(final_dataset),
        target=f"{RESULTS_B}/labels/target_test.extxyz",
        model=f"{RESULTS_B}/model/nep.txt",
    output:
        parity=f"{RESULTS_B}/validation/parity.npz",
        table=report(
            f"{RESULTS_B}/tables/nep_rmse.csv",
            caption="../report/nep_rmse.rst",
            category="Study B",
        ),
        figure=report(
            f"{RESULTS_B}/figures/fig2_parity.png",
            caption="../report/fig2_parity.rst",
            category="Study B",
        ),
    log:
        f"{RESULTS_B}/logs/validation/parity.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/validation/parity.tsv"
    conda:
        "../envs/nep.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=120,
    script:
        "../scripts/nep_parity.py"


rule holdout_interfaces:
    input:
        holdout=f"{RESULTS_B}/pool/holdout.extxyz",
        model=f"{RESULTS_B}/model/nep.txt",
        reference_model=reference_model_b,
    output:
        report(
            f"{RESULTS_B}/tables/holdout_interfaces.csv",
            caption="../report/holdout_interfaces.rst",
            category="Study B",
        ),
    log:
        f"{RESULTS_B}/logs/validation/holdout.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/validation/holdout.tsv"
    conda:
        "../envs/nep.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=1440,
    params:
        reference=STUDY_B["reference"],
    script:
        "../scripts/holdout_interfaces.py"


rule ev_curves:
    input:
        bulk=expand(f"{RESULTS_B}/bulk/{{bulk}}.extxyz", bulk=BULK),
        model=f"{RESULTS_B}/model/nep.txt",
        reference_model=reference_model_b,
    output:
        curves=f"{RESULTS_B}/validation/ev_curves.npz",
        table=report(
            f"{RESULTS_B}/tables/polymorph_energies.csv",
            caption="../report/polymorph_energies.rst",
            category="Study B",
        ),
        figure=report(
            f"{RESULTS_B}/figures/figS_ev_curves.png",
            caption="../report/ev_curves.rst",
            category="Study B",
        ),
    log:
        f"{RESULTS_B}/logs/validation/ev_curves.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/validation/ev_curves.tsv"
    conda:
        "../envs/nep.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=1440,
    params:
        reference=STUDY_B["reference"],
        names=BULK,
        volume_scales=STUDY_B["validation"]["volume_scales"],
    script:
        "../scripts/ev_curves.py"


rule fig1b_descriptor_map:
    input:
        unpack(final_dataset),
        model=f"{RESULTS_B}/model/nep.txt",
    output:
        report(
            f"{RESULTS_B}/figures/fig1b_descriptor_map.png",
            caption="../report/fig1b_descriptor_map.rst",
            category="Study B",
        ),
    log:
        f"{RESULTS_B}/logs/figures/fig1b_descriptor_map.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/figures/fig1b_descriptor_map.tsv"
    conda:
        "../envs/nep.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=240,
    params:
        validation=STUDY_B["validation"],
    script:
        "../scripts/fig1b_descriptor_map.py"
