# provenance.json beside each study's results: git commit, config files and hash, the methods
# (reference, trainer, engines, MD potential) and package versions.


def study_of_results(wildcards):
    return STUDY_RESULTS[wildcards.results]


rule provenance:
    input:
        configs=CONFIG_FILES,
    output:
        "{results}/provenance.json",
    log:
        "{results}/logs/provenance.log",
    wildcard_constraints:
        results="|".join(re.escape(results) for results in STUDY_RESULTS),
    conda:
        "../envs/ionflow.yaml"
    params:
        config=config,
        study=study_of_results,
    script:
        "../scripts/provenance.py"
