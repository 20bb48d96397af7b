# Study B structure figures: the β glide check (Fig. S5), the bulk phases' RDFs, Li layer
# populations and CSM maps (Figs. S7, S12, S14a-b), interface snapshots with the Li count of
# every plane (Figs. S8, S9, S11), and the CSM reference curves (Fig. S13).


rule glide_b:
    input:
        trajectory=glide_trajectory,
        reference=REFERENCE_VALUES_B,
        validation=validation_b_table,
    output:
        figure=report(
            f"{RB}/figures/figS5_glide.png",
            caption="../report/figS5_glide.rst",
            category="Study B",
        ),
        summary=f"{RB}/tables/glide.json",
    log:
        f"{RB}/logs/analysis/glide.log",
    benchmark:
        f"{RB}/benchmarks/analysis/glide.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=120,
    params:
        glide=B["md"]["glide"],
        layer_cation=B["analysis"]["layer_cation"],
        validated_bulk=validated_bulk_b(),
    script:
        "../scripts/glide_b.py"


rule bulk_structure_b:
    input:
        trajectories=bulk_structure_trajectories,
        validation=validation_b_table,
    output:
        rdf=report(
            f"{RB}/figures/figS7_bulk_rdf.png",
            caption="../report/bulk_structure_b.rst",
            category="Study B",
        ),
        layers=report(
            f"{RB}/figures/figS12_layer_populations.png",
            caption="../report/bulk_structure_b.rst",
            category="Study B",
        ),
        csm=report(
            f"{RB}/figures/figS14_bulk_csm_volume.png",
            caption="../report/bulk_structure_b.rst",
            category="Study B",
        ),
        table=f"{RB}/tables/layer_populations.csv",
    log:
        f"{RB}/logs/analysis/bulk_structure.log",
    benchmark:
        f"{RB}/benchmarks/analysis/bulk_structure.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=16000,
        runtime=240,
    params:
        phases=MD_BULK,
        analysis=B["analysis"],
        species=B["species"],
        validated_bulk=validated_bulk_b(),
    script:
        "../scripts/bulk_figures_b.py"


rule interface_snapshots_b:
    input:
        trajectory=interface_trajectory,
        validation=validation_b_table,
    output:
        snapshots=report(
            f"{RB}/figures/figS11_snapshots_{{interface}}.png",
            caption="../report/interface_snapshots_b.rst",
            category="Study B",
        ),
        density=report(
            f"{RB}/figures/figS8_plane_counts_{{interface}}.png",
            caption="../report/interface_snapshots_b.rst",
            category="Study B",
        ),
        planes=f"{RB}/tables/li_planes_{{interface}}.csv",
    log:
        f"{RB}/logs/analysis/{{interface}}_snapshots.log",
    benchmark:
        f"{RB}/benchmarks/analysis/{{interface}}_snapshots.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=240,
    params:
        analysis=B["analysis"],
    script:
        "../scripts/interface_snapshots_b.py"


rule csm_reference_b:
    input:
        structures=relaxed_md_bulk,
    output:
        figure=report(
            f"{RB}/figures/figS13_csm_reference.png",
            caption="../report/figS13_csm_reference.rst",
            category="Study B",
        ),
    log:
        f"{RB}/logs/analysis/csm_reference.log",
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        phases=MD_BULK,
        cutoff_A=B["analysis"]["cn_cutoff_A"],
        anions=B["analysis"]["anions"],
        mobile=B["analysis"]["transport"]["species"],
    script:
        "../scripts/csm_reference_b.py"
