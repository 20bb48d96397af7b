"""Snakemake adapter: screen labelled frames, record failures, split, write DeePMD npy."""

from ionflow.io import read_frames, write_json
from ionflow.logs import log_to
from ionflow.potentials.dataset import screen_frames, train_test_split, write_deepmd_npy, write_failures

with log_to(snakemake.log[0]) as log:
    aimd = snakemake.params.aimd
    usable, failures = [], []
    for path in snakemake.input:
        good, failed = screen_frames(read_frames(path), aimd["max_force_eV_A"], source=path)
        usable += good
        failures += failed
    train, test = train_test_split(usable, aimd["test_fraction"], aimd["seed"])
    write_deepmd_npy(train, snakemake.output.train, snakemake.params.type_map)
    write_deepmd_npy(test, snakemake.output.test, snakemake.params.type_map)
    write_failures(failures, snakemake.output.failures)
    summary = {
        "frames_total": len(usable) + len(failures),
        "frames_usable": len(usable),
        "frames_failed": len(failures),
        "train": len(train),
        "test": len(test),
        "reference": snakemake.params.reference,
    }
    if failures:
        log.warning(
            "%d of %d frames failed and are excluded; reasons in %s",
            len(failures),
            summary["frames_total"],
            snakemake.output.failures,
        )
    log.info("dataset: %s", summary)
    write_json(summary, snakemake.output.summary)
