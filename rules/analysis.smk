# Study A single-temperature analyses (paper 1: Tables 2-3, Figs. 6-11), one file per artifact.


rule table2_directional:
    input:
        results=per_phase(
            f"{RESULTS_A}/transport/{{phase}}/T{ANALYSIS['temperature_K']:g}.json"
        ),
        validation=VALIDATION_TABLE,
    output:
        report(
            f"{RESULTS_A}/tables/table2_directional.csv",
            caption="../report/table2.rst",
            category="Transport",
        ),
    log:
        f"{RESULTS_A}/logs/tables/table2_directional.log",
    conda:
        "../envs/ionflow.yaml"
    params:
        required=VALIDATION["required"],
    script:
        "../scripts/table2_directional.py"


rule fig6_directional_msd:
    input:
        per_phase(
            f"{RESULTS_A}/transport/{{phase}}/T{ANALYSIS['temperature_K']:g}_msd.npz"
        ),
    output:
        report(
            f"{RESULTS_A}/figures/fig6_directional_msd.png",
            caption="../report/fig6.rst",
            category="Transport",
        ),
    log:
        f"{RESULTS_A}/logs/figures/fig6_directional_msd.log",
    conda:
        "../envs/ionflow.yaml"
    params:
        phases=PHASES,
    script:
        "../scripts/fig6_directional_msd.py"


def analysis_trajectory(wildcards):
    return f"{RESULTS_A}/md/{wildcards.phase}/T{ANALYSIS['temperature_K']:g}/seed{ANALYSIS['seed']}/traj.lammpstrj"


def analysis_transport(wildcards):
    return (
        f"{RESULTS_A}/transport/{wildcards.phase}/T{ANALYSIS['temperature_K']:g}.json"
    )


rule li_dynamics:
    input:
        trajectory=analysis_trajectory,
        unit_cell=rules.select_ordering.output.unit_cell,
        transport=analysis_transport,
    output:
        arrays=f"{ANALYSIS_DIR}/{{phase}}/dynamics.npz",
        numbers=f"{ANALYSIS_DIR}/{{phase}}/dynamics.json",
    log:
        f"{RESULTS_A}/logs/analysis/{{phase}}/dynamics.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/analysis/{{phase}}/dynamics.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=240,
    params:
        analysis=ANALYSIS,
        supercell=phase_param("supercell"),
        dt_ps=config["md"]["dump_every_fs"] / 1000.0,
        mobile=config["transport"]["species"],
    script:
        "../scripts/li_dynamics.py"


rule li_structure:
    input:
        trajectory=analysis_trajectory,
        unit_cell=rules.select_ordering.output.unit_cell,
        transport=analysis_transport,
    output:
        arrays=f"{ANALYSIS_DIR}/{{phase}}/structure.npz",
        numbers=f"{ANALYSIS_DIR}/{{phase}}/structure.json",
        cube=f"{ANALYSIS_DIR}/{{phase}}/li_density.cube",
    log:
        f"{RESULTS_A}/logs/analysis/{{phase}}/structure.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/analysis/{{phase}}/structure.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=1440,
    params:
        analysis=ANALYSIS,
        supercell=phase_param("supercell"),
        type_map=TYPE_MAP,
        mobile=config["transport"]["species"],
    script:
        "../scripts/li_structure.py"


rule fig7_li_trajectory:
    input:
        analysis_trajectory,
    output:
        report(
            f"{RESULTS_A}/figures/fig7_li_trajectory_{{phase}}.png",
            caption="../report/fig7.rst",
            category="Mechanism",
        ),
    log:
        f"{RESULTS_A}/logs/figures/fig7_li_trajectory_{{phase}}.log",
    conda:
        "../envs/ionflow.yaml"
    params:
        dt_ps=config["md"]["dump_every_fs"] / 1000.0,
        mobile=config["transport"]["species"],
    script:
        "../scripts/fig7_li_trajectory.py"


rule phase_figure:
    input:
        dynamics=rules.li_dynamics.output.arrays,
        structure=rules.li_structure.output.arrays,
    output:
        report(
            f"{RESULTS_A}/figures/{{figure}}_{{phase}}.png",
            caption="../report/phase_figure.rst",
            category="Mechanism",
        ),
    log:
        f"{RESULTS_A}/logs/figures/{{figure}}_{{phase}}.log",
    wildcard_constraints:
        figure="fig8_van_hove|fig8b_nearest_li|fig9_li_density|fig11_pmf_maps",
    conda:
        "../envs/ionflow.yaml"
    params:
        mobile=config["transport"]["species"],
    script:
        "../scripts/phase_figure.py"


rule table3_residence:
    input:
        dynamics=per_phase(f"{ANALYSIS_DIR}/{{phase}}/dynamics.json"),
        transport=per_phase(
            f"{RESULTS_A}/transport/{{phase}}/T{ANALYSIS['temperature_K']:g}.json"
        ),
        validation=VALIDATION_TABLE,
    output:
        table=report(
            f"{RESULTS_A}/tables/table3_residence.csv",
            caption="../report/table3.rst",
            category="Mechanism",
        ),
    log:
        f"{RESULTS_A}/logs/tables/table3_residence.log",
    conda:
        "../envs/ionflow.yaml"
    params:
        required=VALIDATION["required"],
    script:
        "../scripts/table3_residence.py"


rule structure_tables:
    input:
        structure=per_phase(f"{ANALYSIS_DIR}/{{phase}}/structure.json"),
        validation=VALIDATION_TABLE,
    output:
        peaks=report(
            f"{RESULTS_A}/tables/rdf_first_peaks.csv",
            caption="../report/structure_tables.rst",
            category="Structure",
        ),
        barriers=report(
            f"{RESULTS_A}/tables/pmf_barriers.csv",
            caption="../report/structure_tables.rst",
            category="Structure",
        ),
    log:
        f"{RESULTS_A}/logs/tables/structure_tables.log",
    conda:
        "../envs/ionflow.yaml"
    params:
        required=VALIDATION["required"],
    script:
        "../scripts/structure_tables.py"


rule all_phase_figure:
    input:
        dynamics=per_phase(f"{ANALYSIS_DIR}/{{phase}}/dynamics.npz"),
        structure=per_phase(f"{ANALYSIS_DIR}/{{phase}}/structure.npz"),
    output:
        report(
            f"{RESULTS_A}/figures/{{figure}}.png",
            caption="../report/all_phase_figure.rst",
            category="Structure",
        ),
    log:
        f"{RESULTS_A}/logs/figures/{{figure}}.log",
    wildcard_constraints:
        figure="figS8_residence|fig10a_xrd|fig10b_rdf|fig11_pmf_profiles",
    conda:
        "../envs/ionflow.yaml"
    params:
        phases=PHASES,
    script:
        "../scripts/all_phase_figure.py"


rule paper_vs_ionflow:
    input:
        table1=rules.table1.output[0],
        table2=rules.table2_directional.output[0],
        table3=rules.table3_residence.output.table,
        reference=REFERENCE_VALUES,
    output:
        report(
            f"{RESULTS_A}/tables/paper_vs_ionflow.csv",
            caption="../report/paper_vs_ionflow.rst",
            category="Comparison",
        ),
    log:
        f"{RESULTS_A}/logs/tables/paper_vs_ionflow.log",
    conda:
        "../envs/ionflow.yaml"
    script:
        "../scripts/paper_vs_ionflow.py"


def figs3_model_md(wildcards):
    """DP-MD trajectory per Fig. S3 temperature: the production run where the phase has one at
    that temperature, else the validation student there, else a short run of rule validation_md.
    """
    phase, seed = wildcards.phase, ANALYSIS["seed"]
    paths = []
    for t in ANALYSIS["rdf_validation_K"]:
        if t in config["phases"][phase]["md_temperatures"]:
            paths.append(f"{RESULTS_A}/md/{phase}/T{t}/seed{seed}/traj.lammpstrj")
        elif VALIDATION["teacher"] == "md" and t in VALIDATION["temperatures_K"]:
            paths.append(
                f"{RESULTS_A}/validation/{phase}/T{t}/seed{VALIDATION['seed']}/student.lammpstrj"
            )
        else:
            paths.append(
                f"{RESULTS_A}/md_validation/{phase}/T{t}/seed{seed}/traj.lammpstrj"
            )
    return paths


def figs3_reference_md(wildcards):
    return [
        f"{RESULTS_A}/reference/{wildcards.phase}/aimd/T{t}_x1.00.extxyz"
        for t in ANALYSIS["rdf_validation_K"]
    ]


rule figS3_rdf_validation:
    input:
        reference=figs3_reference_md,
        model=figs3_model_md,
    output:
        figure=report(
            f"{RESULTS_A}/figures/figS3_rdf_validation_{{phase}}.png",
            caption="../report/figS3.rst",
            category="Structure",
        ),
        table=f"{RESULTS_A}/tables/figS3_rdf_validation_{{phase}}.csv",
    log:
        f"{RESULTS_A}/logs/figures/figS3_rdf_validation_{{phase}}.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/figures/figS3_rdf_validation_{{phase}}.tsv"
    conda:
        "../envs/ionflow.yaml"
    params:
        temperatures=ANALYSIS["rdf_validation_K"],
        r_max_A=ANALYSIS["rdf_validation_r_max_A"],
        type_map=TYPE_MAP,
    script:
        "../scripts/figS3_rdf_validation.py"
