"""GPUMD ``nep.in`` settings and the training directories of a NEP committee.

The same settings drive GPUMD's ``nep`` (clusters, GPU) and ``neppo`` (CPU, here). Keywords
that only one trainer reads are added for that trainer alone: GPUMD's ``nep`` has no ``seed``
(its committee differs by data split), ``neppo`` takes one and a learning-rate schedule.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ase import Atoms
from calorine.nep import setup_training, write_nepfile, write_structures

from ionflow.plan import training_generations

TRAINERS = ("nep", "neppo")


def nep_parameters(
    settings: dict, species: list[str], trainer: str, seed: int, iteration: int = 0, member: str = "model1"
) -> dict:
    """Ordered ``nep.in`` keywords (``type`` before ``cutoff``, as ``nep`` requires).

    ``settings`` is the ``nep`` block of the config: cutoffs in Å (radial, angular), ``n_max``
    and ``basis_size`` (radial, angular), ``l_max``, hidden ``neuron`` count, ``zbl_A`` (the
    distance in Å below which the universal ZBL takes over), loss weights, ``batch`` and
    ``generation``; ``warm_start_generation`` for a training that continues from an earlier
    model (``ionflow.plan.warm_start_source``: ``member`` of active-learning ``iteration``).
    """
    if trainer not in TRAINERS:
        raise ValueError(f"unknown NEP trainer {trainer!r}; use one of {', '.join(TRAINERS)}")
    parameters = {
        "version": 4,
        "type": [len(species), *species],
        "cutoff": settings["cutoff_A"],
        "n_max": settings["n_max"],
        "basis_size": settings["basis_size"],
        "l_max": settings["l_max"],
        "neuron": settings["neuron"],
        "zbl": settings["zbl_A"],
        "lambda_e": settings["lambda_e"],
        "lambda_f": settings["lambda_f"],
        "lambda_v": settings["lambda_v"],
        "batch": settings["batch"],
        "generation": training_generations(settings, iteration, member),
    }
    if trainer == "neppo":
        parameters["seed"] = seed
        parameters["learning_rate"] = settings["neppo_learning_rate"]
        parameters["output_interval"] = max(1, parameters["generation"] // 10)
    return parameters


def write_committee(
    train: list[Atoms],
    test: list[Atoms],
    directory: str | Path,
    parameters: list[dict],
    mode: str,
    train_fraction: float,
    seed: int,
    full: dict | None = None,
) -> None:
    """Training directories ``model1`` … ``modelM`` and ``full`` under ``directory``.

    Committee members see different subsets of ``train`` drawn by calorine's
    ``setup_training`` (``mode`` ``kfold``: M folds, each member leaves one out; ``bagging``:
    ``train_fraction`` drawn without replacement), and one ``nep.in`` each (``parameters[k]``,
    e.g. a seed per member). ``full`` trains on all of ``train`` with ``full`` (default:
    ``parameters[0]``). Every
    directory's ``test.xyz`` is the same hold-out ``test``, so test errors compare.
    """
    directory = Path(directory)
    n_models = len(parameters)
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        root = Path(scratch) / "committee"
        setup_training(
            parameters[0],
            structures=train,
            rootdir=str(root),
            mode=mode,
            n_splits=n_models,
            seed=seed,
            train_fraction=train_fraction if mode == "bagging" else None,
        )
        names = {"nepmodel_full": "full", **{f"nepmodel_split{k}": f"model{k}" for k in range(1, n_models + 1)}}
        for source, name in names.items():
            target = directory / name
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(root / source / "train.xyz", target / "train.xyz.tmp")
            os.replace(target / "train.xyz.tmp", target / "train.xyz")
            write_structures(str(target / "test.xyz.tmp"), test)
            os.replace(target / "test.xyz.tmp", target / "test.xyz")
    for name, settings in [("full", full or parameters[0])] + [(f"model{k + 1}", p) for k, p in enumerate(parameters)]:
        write_nep_in(settings, directory / name / "nep.in")


def write_nep_in(parameters: dict, path: str | Path) -> None:
    """``nep.in`` via calorine's ``write_nepfile``, written atomically."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    write_nepfile(str(tmp), parameters)
    os.replace(tmp, path)
