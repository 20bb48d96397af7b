# Study B interfaces: screening for the paper's four production pairs, building them, NPT MD
# (GPUMD on GPU nodes, CPUNEP here) of interfaces and bulk phases, transport and the interface
# analyses of Figs. 3-5.


def screening_bulk_names():
    """Bulk phases named by the production interfaces, each once."""
    names = []
    for spec in STUDY_B["interfaces"]["systems"].values():
        names += [n for n in (spec["zro2"], spec["lzc"]) if n not in names]
    return names


def screening_bulk(wildcards):
    return [f"{RESULTS_B}/bulk/{name}.extxyz" for name in screening_bulk_names()]


rule interface_screening:
    input:
        screening_bulk,
    output:
        report(
            f"{RESULTS_B}/tables/interface_screening.csv",
            caption="../report/interface_screening.rst",
            category="Study B",
        ),
    log:
        f"{RESULTS_B}/logs/interfaces/screening.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/interfaces/screening.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=240,
    params:
        names=screening_bulk_names(),
        interfaces=STUDY_B["interfaces"],
    script:
        "../scripts/interface_screening.py"


def interface_bulk(wildcards):
    spec = STUDY_B["interfaces"]["systems"][wildcards.interface]
    return {
        "zro2": f"{RESULTS_B}/bulk/{spec['zro2']}.extxyz",
        "lzc": f"{RESULTS_B}/bulk/{spec['lzc']}.extxyz",
        "model": foundation_model_b(wildcards),
    }


def interface_spec(wildcards):
    return STUDY_B["interfaces"]["systems"][wildcards.interface]


rule build_interface_b:
    input:
        unpack(interface_bulk),
    output:
        structure=f"{RESULTS_B}/interfaces/{{interface}}.extxyz",
        terminations=f"{RESULTS_B}/interfaces/{{interface}}_terminations.csv",
    log:
        f"{RESULTS_B}/logs/interfaces/{{interface}}.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/interfaces/{{interface}}.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=240,
    params:
        spec=interface_spec,
        interfaces=STUDY_B["interfaces"],
        foundation=STUDY_B["foundation"],
    script:
        "../scripts/build_interface_b.py"


def md_supercell(wildcards):
    """MD cell of a bulk phase: its md.bulk supercell, else the glide check's."""
    glide = STUDY_B["md"]["glide"]
    if wildcards.mdsys in STUDY_B["md"]["bulk"]:
        return STUDY_B["md"]["bulk"][wildcards.mdsys]
    return glide["supercell"]


def md_potential(wildcards):
    """NEP of production MD: the actively learned model, or the foundation NEP (embedded default)."""
    if STUDY_B["md"]["potential"] == "final":
        return f"{RESULTS_B}/model/nep.txt"
    return STUDY_B["foundation"]["model"]


rule production_md_b:
    input:
        structure=md_structure,
        model=md_potential,
    output:
        dump=f"{RESULTS_B}/md/{{mdsys}}/T{{temperature}}/dump.xyz",
        thermo=f"{RESULTS_B}/md/{{mdsys}}/T{{temperature}}/thermo.out",
        run_in=f"{RESULTS_B}/md/{{mdsys}}/T{{temperature}}/run.in",
    log:
        f"{RESULTS_B}/logs/md/{{mdsys}}/T{{temperature}}.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/md/{{mdsys}}/T{{temperature}}.tsv"
    conda:
        "../envs/nep.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=4320,
        gpu=PRODUCTION_GPUS,
    params:
        md=STUDY_B["md"],
        supercell=md_supercell,
        interfaces=INTERFACES,
    script:
        "../scripts/production_md_b.py"


# the same script as Study A's rule transport (rules/transport.smk is not included without Study A)
rule transport_b:
    input:
        f"{RESULTS_B}/md/{{mdsys}}/T{{temperature}}/dump.xyz",
    output:
        result=f"{RESULTS_B}/transport/{{mdsys}}/T{{temperature}}.json",
        msd=f"{RESULTS_B}/transport/{{mdsys}}/T{{temperature}}_msd.npz",
    log:
        f"{RESULTS_B}/logs/transport/{{mdsys}}/T{{temperature}}.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/transport/{{mdsys}}/T{{temperature}}.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=16000,
        runtime=240,
    params:
        transport=STUDY_B["analysis"]["transport"],
        dt_ps=STUDY_B["md"]["dump_every_fs"] / 1000.0,
        fmt="extxyz",
        type_map=None,
    script:
        "../scripts/transport.py"


def bulk_transport(wildcards):
    return expand(
        f"{RESULTS_B}/transport/{{bulk}}/T{{temperature}}.json",
        bulk=MD_BULK,
        temperature=STUDY_B["md"]["bulk_temperatures"],
    )


rule arrhenius_b:
    input:
        results=bulk_transport,
        reference=REFERENCE_VALUES_B,
        validation=validation_b_table,
    output:
        table=report(
            f"{RESULTS_B}/tables/arrhenius_b.csv",
            caption="../report/arrhenius_b.rst",
            category="Study B",
        ),
        figure=report(
            f"{RESULTS_B}/figures/figS_arrhenius_b.png",
            caption="../report/arrhenius_b.rst",
            category="Study B",
        ),
    log:
        f"{RESULTS_B}/logs/tables/arrhenius_b.log",
    conda:
        "../envs/ionflow.yaml"
    params:
        phases=MD_BULK,
        validated_bulk=validated_bulk_b(),
    script:
        "../scripts/arrhenius_b.py"


rule interface_analysis_b:
    input:
        trajectory=interface_trajectory,
        validation=validation_b_table,
    output:
        data=f"{RESULTS_B}/analysis/{{interface}}/interface_analysis.npz",
        figures=[
            report(
                f"{RESULTS_B}/figures/{figure}_{{interface}}.png",
                caption="../report/interface_figures.rst",
                category="Study B",
            )
            for figure in INTERFACE_FIGURES
        ],
    log:
        f"{RESULTS_B}/logs/analysis/{{interface}}.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/analysis/{{interface}}.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=16000,
        runtime=720,
    params:
        analysis=STUDY_B["analysis"],
        dt_ps=STUDY_B["md"]["dump_every_fs"] / 1000.0,
    script:
        "../scripts/interface_analysis_b.py"


rule paper_vs_ionflow_b:
    input:
        rmse=f"{RESULTS_B}/tables/nep_rmse.csv",
        arrhenius=f"{RESULTS_B}/tables/arrhenius_b.csv",
        polymorphs=f"{RESULTS_B}/tables/polymorph_energies.csv",
        holdout=f"{RESULTS_B}/tables/holdout_interfaces.csv",
        glide=f"{RESULTS_B}/tables/glide.json",
        layers=f"{RESULTS_B}/tables/layer_populations.csv",
        reference=REFERENCE_VALUES_B,
    output:
        report(
            f"{RESULTS_B}/tables/paper_vs_ionflow.csv",
            caption="../report/paper_vs_ionflow_b.rst",
            category="Study B",
        ),
    log:
        f"{RESULTS_B}/logs/tables/paper_vs_ionflow.log",
    conda:
        "../envs/ionflow.yaml"
    script:
        "../scripts/paper_vs_ionflow_b.py"
