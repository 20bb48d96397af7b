# Study B validation of the final NEP: parity and RMSE (Fig. 2a-c), hold-out interfaces (the
# paper's 10.0 meV/atom check), E-V curves and polymorph energies, descriptor map (Fig. 1b).


rule nep_parity:
    input:
        unpack(final_dataset),
        target=f"{RB}/labels/target_test.extxyz",
        model=f"{RB}/model/nep.txt",
    output:
        parity=f"{RB}/validation/parity.npz",
        table=report(
            f"{RB}/tables/nep_rmse.csv",
            caption="../report/nep_rmse.rst",
            category="Study B",
        ),
        figure=report(
            f"{RB}/figures/fig2_parity.png",
            caption="../report/fig2_parity.rst",
            category="Study B",
        ),
    log:
        f"{RB}/logs/validation/parity.log",
    benchmark:
        f"{RB}/benchmarks/validation/parity.tsv"
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
        holdout=f"{RB}/pool/holdout.extxyz",
        model=f"{RB}/model/nep.txt",
        reference_model=reference_model_b,
    output:
        report(
            f"{RB}/tables/holdout_interfaces.csv",
            caption="../report/holdout_interfaces.rst",
            category="Study B",
        ),
    log:
        f"{RB}/logs/validation/holdout.log",
    benchmark:
        f"{RB}/benchmarks/validation/holdout.tsv"
    conda:
        "../envs/nep.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=1440,
    params:
        reference=B["reference"],
    script:
        "../scripts/holdout_interfaces.py"


rule ev_curves:
    input:
        bulk=expand(f"{RB}/bulk/{{bulk}}.extxyz", bulk=BULK),
        model=f"{RB}/model/nep.txt",
        reference_model=reference_model_b,
    output:
        curves=f"{RB}/validation/ev_curves.npz",
        table=report(
            f"{RB}/tables/polymorph_energies.csv",
            caption="../report/polymorph_energies.rst",
            category="Study B",
        ),
        figure=report(
            f"{RB}/figures/figS_ev_curves.png",
            caption="../report/ev_curves.rst",
            category="Study B",
        ),
    log:
        f"{RB}/logs/validation/ev_curves.log",
    benchmark:
        f"{RB}/benchmarks/validation/ev_curves.tsv"
    conda:
        "../envs/nep.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=1440,
    params:
        reference=B["reference"],
        names=BULK,
        volume_scales=B["validation"]["volume_scales"],
    script:
        "../scripts/ev_curves.py"


rule fig1b_descriptor_map:
    input:
        unpack(final_dataset),
        model=f"{RB}/model/nep.txt",
    output:
        report(
            f"{RB}/figures/fig1b_descriptor_map.png",
            caption="../report/fig1b_descriptor_map.rst",
            category="Study B",
        ),
    log:
        f"{RB}/logs/figures/fig1b_descriptor_map.log",
    benchmark:
        f"{RB}/benchmarks/figures/fig1b_descriptor_map.tsv"
    conda:
        "../envs/nep.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=240,
    params:
        validation=B["validation"],
    script:
        "../scripts/fig1b_descriptor_map.py"
