# Study B structures: bulk ZrO2 and Li2ZrCl6 relaxed by the foundation model, and the interface
# pool for training (lattice matching, foundation-model relaxation, two lowest per orientation).


def bulk_cif(wildcards):
    return STUDY_B["bulk"][wildcards.bulk]["cif"]


def bulk_supercell(wildcards):
    return STUDY_B["bulk"][wildcards.bulk]["supercell"]


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


def pool_pairs():
    """[ZrO2, LZC] bulk names screened for the interface pool (LZC film on the ZrO2 substrate)."""
    if "pairs" in STUDY_B["pool"]:
        return STUDY_B["pool"]["pairs"]
    return [
        [zro2, lzc]
        for zro2 in TRAIN_BULK
        if zro2.startswith("zro2_")
        for lzc in TRAIN_BULK
        if lzc.startswith("lzc_")
    ]


def pool_bulk(material):
    """Relaxed bulk files of one side (zro2 or lzc) of ``pool_pairs``, in pair order."""
    side = 0 if material == "zro2" else 1
    return [f"{RESULTS_B}/bulk/{pair[side]}.extxyz" for pair in pool_pairs()]


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
