# Study B structures: bulk ZrO2 and Li2ZrCl6 relaxed by the foundation model, and the interface
# pool for training (lattice matching, foundation-model relaxation, two lowest per orientation).


rule relax_bulk:
    input:
        cif=bulk_cif,
        model=foundation_model_b,
    output:
        relaxed=f"{RB}/bulk/{{bulk}}.extxyz",
        system=f"{RB}/systems/{{bulk}}.extxyz",
    log:
        f"{RB}/logs/bulk/{{bulk}}.log",
    benchmark:
        f"{RB}/benchmarks/bulk/{{bulk}}.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=120,
    params:
        foundation=B["foundation"],
        relax=B["relax"],
        supercell=bulk_supercell,
    script:
        "../scripts/relax_bulk.py"


rule interface_pool:
    input:
        zro2=pool_bulk("zro2"),
        lzc=pool_bulk("lzc"),
        model=foundation_model_b,
    output:
        screening=f"{RB}/pool/screening.csv",
        ranking=f"{RB}/pool/ranking.csv",
        seeds=expand(f"{RB}/systems/{{seed}}.extxyz", seed=POOL_SEEDS),
        holdout=f"{RB}/pool/holdout.extxyz",
    log:
        f"{RB}/logs/pool/interface_pool.log",
    benchmark:
        f"{RB}/benchmarks/pool/interface_pool.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=1440,
    params:
        pool=B["pool"],
        pairs=pool_pairs(),
        foundation=B["foundation"],
        relax=B["relax"],
    script:
        "../scripts/interface_pool.py"
