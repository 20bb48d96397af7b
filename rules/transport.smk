# Transport: MSD (self and collective), D, Haven ratio, conductivity, Arrhenius, Table 1, Fig. 5.


def md_trajectories(wildcards):
    return expand(
        f"{RESULTS_A}/md/{wildcards.phase}/T{wildcards.temperature}/seed{{seed}}/traj.lammpstrj",
        seed=config["md"]["seeds"],
    )


rule transport:
    input:
        md_trajectories,
    output:
        result=f"{RESULTS_A}/transport/{{phase}}/T{{temperature}}.json",
        msd=f"{RESULTS_A}/transport/{{phase}}/T{{temperature}}_msd.npz",
    log:
        f"{RESULTS_A}/logs/transport/{{phase}}/T{{temperature}}.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/transport/{{phase}}/T{{temperature}}.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=8000,
        runtime=120,
    params:
        transport=config["transport"],
        dt_ps=config["md"]["dump_every_fs"] / 1000.0,
        fmt="lammps-dump",
        type_map=TYPE_MAP,
    script:
        "../scripts/transport.py"


def transport_results(wildcards):
    return expand(
        f"{RESULTS_A}/transport/{wildcards.phase}/T{{temperature}}.json",
        temperature=config["phases"][wildcards.phase]["md_temperatures"],
    )


rule arrhenius:
    input:
        transport_results,
    output:
        f"{RESULTS_A}/transport/{{phase}}/arrhenius.json",
    log:
        f"{RESULTS_A}/logs/transport/{{phase}}/arrhenius.log",
    conda:
        "../envs/ionflow.yaml"
    script:
        "../scripts/arrhenius.py"


def all_arrhenius(wildcards):
    return expand(f"{RESULTS_A}/transport/{{phase}}/arrhenius.json", phase=PHASES)


rule table1:
    input:
        arrhenius=all_arrhenius,
        validation=VALIDATION_TABLE,
    output:
        report(
            f"{RESULTS_A}/tables/table1.csv",
            caption="../report/table1.rst",
            category="Transport",
        ),
    log:
        f"{RESULTS_A}/logs/tables/table1.log",
    conda:
        "../envs/ionflow.yaml"
    params:
        required=VALIDATION["required"],
    script:
        "../scripts/table1.py"


def all_transport_results(wildcards):
    return [
        f"{RESULTS_A}/transport/{phase}/T{temperature}.json"
        for phase in PHASES
        for temperature in config["phases"][phase]["md_temperatures"]
    ]


rule table_s3_conductivity:
    input:
        results=all_transport_results,
        validation=VALIDATION_TABLE,
    output:
        report(
            f"{RESULTS_A}/tables/tableS3_conductivity.csv",
            caption="../report/tableS3.rst",
            category="Transport",
        ),
    log:
        f"{RESULTS_A}/logs/tables/tableS3_conductivity.log",
    conda:
        "../envs/ionflow.yaml"
    params:
        charge=config["transport"]["charge"],
        required=VALIDATION["required"],
    script:
        "../scripts/table_s3_conductivity.py"


def all_msd_curves(wildcards):
    return [
        f"{RESULTS_A}/transport/{phase}/T{temperature}_msd.npz"
        for phase in PHASES
        for temperature in config["phases"][phase]["md_temperatures"]
    ]


def msd_curve_phases():
    """Phase of each entry of ``all_msd_curves``, in the same order."""
    return [
        phase for phase in PHASES for _ in config["phases"][phase]["md_temperatures"]
    ]


rule fig5_msd_arrhenius:
    input:
        msd=all_msd_curves,
        arrhenius=all_arrhenius,
    output:
        report(
            f"{RESULTS_A}/figures/fig5_msd_arrhenius.png",
            caption="../report/fig5.rst",
            category="Transport",
        ),
    log:
        f"{RESULTS_A}/logs/figures/fig5_msd_arrhenius.log",
    conda:
        "../envs/ionflow.yaml"
    params:
        msd_phases=msd_curve_phases(),
    script:
        "../scripts/fig5_msd_arrhenius.py"
