"""Snakemake adapter: the training pool of interfaces (paper B): InterOptimus's matches and
termination pairs of every ZrO2/LZC pair, relaxed with the foundation model, the lowest per
orientation kept, seeds drawn."""

from ionflow.io import read_frames, write_csv, write_frames
from ionflow.logs import log_to
from ionflow.reference import make_calculator
from ionflow.studies.study_b import interface_pool

RANKING = [
    "film",
    "substrate",
    "film_miller",
    "substrate_miller",
    "orientation",
    "film_termination",
    "substrate_termination",
    "area_A2",
    "max_length_strain",
    "energy_eV",
    "gamma_J_m2",
    "converged",
    "role",
]

with log_to(snakemake.log[0]):
    pairs = []
    for (zro2, lzc), zro2_path, lzc_path in zip(snakemake.params.pairs, snakemake.input.zro2, snakemake.input.lzc):
        substrate, film = read_frames(zro2_path)[0], read_frames(lzc_path)[0]
        substrate.info["name"], film.info["name"] = zro2, lzc
        pairs.append((substrate, film))
    screening, ranking, seeds, holdout = interface_pool(
        pairs, snakemake.params.pool, snakemake.params.relax, make_calculator(snakemake.params.foundation)
    )
    write_csv(screening, snakemake.output.screening)
    write_csv(ranking, snakemake.output.ranking, RANKING)
    for atoms, path in zip(seeds, snakemake.output.seeds):
        write_frames([atoms], path)
    write_frames(holdout, snakemake.output.holdout)
