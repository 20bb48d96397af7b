# Study B dynamics validation (md.potential: final; the same idea as rules/validation.smk): the
# reference NEP (teacher) runs the production MD of the validated systems again, with the same
# cell, seed, thermostat and length; the production run is the student. Bulk: Li self-diffusion
# and RDFs; interfaces: Li along the normal. -> tables/potential_validation.csv with verdicts.


use rule production_md_b as teacher_md_b with:
    input:
        structure=md_structure,
        model=reference_model_b,
    output:
        dump=f"{RESULTS_B}/validation/teacher/{{mdsys}}/T{{temperature}}/dump.xyz",
        thermo=f"{RESULTS_B}/validation/teacher/{{mdsys}}/T{{temperature}}/thermo.out",
        run_in=f"{RESULTS_B}/validation/teacher/{{mdsys}}/T{{temperature}}/run.in",
    log:
        f"{RESULTS_B}/logs/validation/teacher/{{mdsys}}/T{{temperature}}.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/validation/teacher/{{mdsys}}/T{{temperature}}.tsv"


rule validate_potential_b:
    input:
        teacher=f"{RESULTS_B}/validation/teacher/{{mdsys}}/T{{temperature}}/dump.xyz",
        student=f"{RESULTS_B}/md/{{mdsys}}/T{{temperature}}/dump.xyz",
    output:
        row=f"{RESULTS_B}/validation/{{mdsys}}/T{{temperature}}/verdict.json",
        curves=f"{RESULTS_B}/validation/{{mdsys}}/T{{temperature}}/curves.npz",
    log:
        f"{RESULTS_B}/logs/validation/{{mdsys}}/T{{temperature}}/verdict.log",
    benchmark:
        f"{RESULTS_B}/benchmarks/validation/{{mdsys}}/T{{temperature}}/verdict.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        interfaces=INTERFACES,
        dynamics=STUDY_B["validation"].get("dynamics"),
        species=STUDY_B["species"],
        mobile=STUDY_B["analysis"]["transport"]["species"],
        dt_ps=STUDY_B["md"]["dump_every_fs"] / 1000.0,
        bin_A=STUDY_B["analysis"]["bin_A"],
    script:
        "../scripts/validate_potential_b.py"


def validation_b_outputs(kind):
    """Per validated system (validation.dynamics bulk systems at analysis.bulk_temperature_K, built
    interfaces at analysis.temperature_K): its verdict.json, curves.npz or figure (png); none
    without validation.dynamics (MD with the foundation model needs no validation)."""
    dynamics = STUDY_B["validation"].get("dynamics")
    if dynamics is None:
        return []
    analysis = STUDY_B["analysis"]
    runs = [(bulk, analysis["bulk_temperature_K"]) for bulk in dynamics["bulk"]]
    runs += [(interface, analysis["temperature_K"]) for interface in INTERFACES]
    if kind == "png":
        return [
            f"{RESULTS_B}/figures/figS_potential_validation_{name}_T{t}.png"
            for name, t in runs
        ]
    return [f"{RESULTS_B}/validation/{name}/T{t}/{kind}" for name, t in runs]


rule potential_validation_b:
    input:
        rows=validation_b_outputs("verdict.json"),
        curves=validation_b_outputs("curves.npz"),
    output:
        table=report(
            f"{RESULTS_B}/tables/potential_validation.csv",
            caption="../report/potential_validation_b.rst",
            category="Study B",
        ),
        figures=validation_b_outputs("png"),
    log:
        f"{RESULTS_B}/logs/tables/potential_validation.log",
    conda:
        "../envs/ionflow.yaml"
    script:
        "../scripts/potential_validation_table.py"
