# Study B structure figures: the β glide check (Fig. S5), the bulk phases' RDFs, Li layer
# populations and CSM maps (Figs. S7, S12, S14a-b), interface snapshots with the Li count of
# every plane (Figs. S8, S9, S11), and the CSM reference curves (Fig. S13).


def glide_trajectory(wildcards):
    """The β → pseudo-layered check run (study_b.md.glide)."""
    glide = STUDY_B["md"]["glide"]
    return f"{RESULTS_B}/md/{glide['system']}/T{glide['temperature_K']:g}/dump.xyz"


rule glide_b:
    input:
        trajectory=glide_trajectory,
        reference=REFERENCE_VALUES_B,
        validation=validation_b_table,
    output:
        figure=report(
            f"{RESULTS_B}/figures/figS5_glide.png",
            caption="../report/figS5_glide.rst",
            category="Study B",
        ),
        summary=f"{RESULTS_B}/tables/glide.json",
    log:
        f"{RESULTS_B}/logs/analysis/glide.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/analysis/glide.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=120,
    params:
        glide=STUDY_B["md"]["glide"],
        layer_cation=STUDY_B["analysis"]["layer_cation"],
        validated_bulk=validated_bulk_b(),
    script:
        "../scripts/glide_b.py"


def bulk_structure_trajectories(wildcards):
    """One run per md.bulk phase at analysis.bulk_temperature_K, in MD_BULK order."""
    T = STUDY_B["analysis"]["bulk_temperature_K"]
    return [f"{RESULTS_B}/md/{bulk}/T{T:g}/dump.xyz" for bulk in MD_BULK]


rule bulk_structure_b:
    input:
        trajectories=bulk_structure_trajectories,
        validation=validation_b_table,
    output:
        rdf=report(
            f"{RESULTS_B}/figures/figS7_bulk_rdf.png",
            caption="../report/bulk_structure_b.rst",
            category="Study B",
        ),
        layers=report(
            f"{RESULTS_B}/figures/figS12_layer_populations.png",
            caption="../report/bulk_structure_b.rst",
            category="Study B",
        ),
        csm=report(
            f"{RESULTS_B}/figures/figS14_bulk_csm_volume.png",
            caption="../report/bulk_structure_b.rst",
            category="Study B",
        ),
        table=f"{RESULTS_B}/tables/layer_populations.csv",
    log:
        f"{RESULTS_B}/logs/analysis/bulk_structure.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/analysis/bulk_structure.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=16000,
        runtime=240,
    params:
        phases=MD_BULK,
        analysis=STUDY_B["analysis"],
        species=STUDY_B["species"],
        validated_bulk=validated_bulk_b(),
    script:
        "../scripts/bulk_figures_b.py"


rule interface_snapshots_b:
    input:
        trajectory=interface_trajectory,
        validation=validation_b_table,
    output:
        snapshots=report(
            f"{RESULTS_B}/figures/figS11_snapshots_{{interface}}.png",
            caption="../report/interface_snapshots_b.rst",
            category="Study B",
        ),
        density=report(
            f"{RESULTS_B}/figures/figS8_plane_counts_{{interface}}.png",
            caption="../report/interface_snapshots_b.rst",
            category="Study B",
        ),
        planes=f"{RESULTS_B}/tables/li_planes_{{interface}}.csv",
    log:
        f"{RESULTS_B}/logs/analysis/{{interface}}_snapshots.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/analysis/{{interface}}_snapshots.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=240,
    params:
        analysis=STUDY_B["analysis"],
    script:
        "../scripts/interface_snapshots_b.py"


def relaxed_md_bulk(wildcards):
    """The relaxed bulk cell of every md.bulk phase, in MD_BULK order."""
    return [f"{RESULTS_B}/bulk/{bulk}.extxyz" for bulk in MD_BULK]


rule csm_reference_b:
    input:
        structures=relaxed_md_bulk,
    output:
        figure=report(
            f"{RESULTS_B}/figures/figS13_csm_reference.png",
            caption="../report/figS13_csm_reference.rst",
            category="Study B",
        ),
    log:
        f"{RESULTS_B}/logs/analysis/csm_reference.log",
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        phases=MD_BULK,
        cutoff_A=STUDY_B["analysis"]["cn_cutoff_A"],
        anions=STUDY_B["analysis"]["anions"],
        mobile=STUDY_B["analysis"]["transport"]["species"],
    script:
        "../scripts/csm_reference_b.py"
