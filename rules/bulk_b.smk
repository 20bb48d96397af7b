# Study B structures: bulk ZrO2 and Li2ZrCl6 relaxed by the foundation model, and the interface
# pool for training (lattice matching, foundation-model relaxation, two lowest per orientation).


rule relax_bulk:
    input:
        cif=bulk_cif,
        model=foundation_model_b,
    output:
        relaxed=f"{RESULTS_B}/bulk/{{bulk}}.extxyz",
        system=f"{RESULTS_B}/systems/{{bulk}}.extxyz",
    log:
        f"{RESULTS_B}/logs/bulk/{{bulk}}.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/bulk/{{bulk}}.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=120,
    params:
        foundation=STUDY_B["foundation"],
        relax=STUDY_B["relax"],
        supercell=bulk_supercell,
    script:
        "../scripts/relax_bulk.py"


rule interface_pool:
    input:
        zro2=pool_bulk("zro2"),
        lzc=pool_bulk("lzc"),
        model=foundation_model_b,
    output:
        screening=f"{RESULTS_B}/pool/screening.csv",
        ranking=f"{RESULTS_B}/pool/ranking.csv",
        seeds=expand(f"{RESULTS_B}/systems/{{seed}}.extxyz", seed=POOL_SEEDS),
        holdout=f"{RESULTS_B}/pool/holdout.extxyz",
    log:
        f"{RESULTS_B}/logs/pool/interface_pool.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/pool/interface_pool.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=1440,
    params:
        pool=STUDY_B["pool"],
        pairs=pool_pairs(),
        foundation=STUDY_B["foundation"],
        relax=STUDY_B["relax"],
    script:
        "../scripts/interface_pool.py"
