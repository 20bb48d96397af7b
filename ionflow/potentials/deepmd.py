"""DeePMD-kit (TensorFlow backend): training input, the ``dp`` command line, resumable training,
the DP-ZBL table and DeePMD's own inference (test-set files: ``potentials.deepmd_data``).

Architecture of paper 1 §2.3: DeepPot-SE two-body embedding (se_e2_a), embedding net
20/40/80, fitting net 120/120/120 (tanh), loss on energy + force + virial, Adam with an
exponentially decaying learning rate. Training resumes from its newest checkpoint
(:func:`train`), so a job killed at its walltime, or a longer ``numb_steps``, continues the
run instead of starting it over.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np

from ionflow.io import atomic_path, write_json

log = logging.getLogger(__name__)

ZBL_TABLE_FILE = "zbl_table.txt"
TRAIN_DIR = "train"  # checkpoints and learning curve, beside the model; not a Snakemake output


def training_input(
    settings: dict, rcut: float, train_systems: list[str], validation_systems: list[str], type_map: list[str]
) -> dict:
    """DeePMD-kit ``input.json`` for one phase.

    ``settings`` is the ``deepmd`` block of the config; ``rcut`` the phase's cutoff (Å);
    ``type_map`` the element of each DeePMD type (the study's, from its structures).
    """
    seed = settings["seed"]
    model = {"type_map": list(type_map)}
    if settings.get("zbl_switch_A"):
        # DP-ZBL: below sw_rmin the ZBL table alone acts, above sw_rmax the DP alone.
        sw_rmin, sw_rmax = settings["zbl_switch_A"]
        model.update(use_srtab=ZBL_TABLE_FILE, smin_alpha=0.1, sw_rmin=sw_rmin, sw_rmax=sw_rmax)
    return {
        "model": {
            **model,
            "descriptor": {
                "type": "se_e2_a",
                "sel": "auto",
                "rcut": rcut,
                "rcut_smth": settings["rcut_smth"],
                "neuron": settings["embedding_neurons"],
                "resnet_dt": False,
                "axis_neuron": 16,
                "activation_function": "tanh",
                "seed": seed,
            },
            "fitting_net": {
                "neuron": settings["fitting_neurons"],
                "resnet_dt": True,
                "activation_function": "tanh",
                "seed": seed,
            },
        },
        "learning_rate": {
            "type": "exp",
            "start_lr": settings["start_lr"],
            "stop_lr": settings["stop_lr"],
            "decay_steps": settings["decay_steps"],
        },
        "loss": {
            "type": "ener",
            "start_pref_e": 0.02,
            "limit_pref_e": 1.0,
            "start_pref_f": 1000.0,
            "limit_pref_f": 1.0,
            "start_pref_v": 0.02,
            "limit_pref_v": 1.0,
        },
        "training": {
            "training_data": {"systems": train_systems, "batch_size": settings["batch_size"]},
            "validation_data": {"systems": validation_systems, "batch_size": 1, "numb_btch": 1},
            "numb_steps": settings["numb_steps"],
            "seed": seed,
            "disp_file": f"{TRAIN_DIR}/lcurve.out",
            "save_ckpt": f"{TRAIN_DIR}/model.ckpt",
            "disp_freq": max(1, settings["numb_steps"] // 20),
            "save_freq": max(1, settings["numb_steps"] // 5),
        },
    }


def dp_environment(threads: int) -> dict:
    """Environment for a ``dp`` run limited to ``threads`` cores."""
    env = dict(os.environ)
    env.update(
        OMP_NUM_THREADS=str(threads),
        DP_INTRA_OP_PARALLELISM_THREADS=str(threads),
        DP_INTER_OP_PARALLELISM_THREADS="1",
        TF_CPP_MIN_LOG_LEVEL="2",
    )
    return env


def run_dp(args: list[str], cwd: str | Path, log: str | Path, threads: int = 1) -> None:
    """Run ``dp --tf ARGS`` in ``cwd``, appending its output to ``log``; raise on failure."""
    command = ["dp", "--tf", *args]
    with open(log, "a") as handle:
        handle.write(f"$ {' '.join(command)}\n")
        handle.flush()
        result = subprocess.run(command, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT, env=dp_environment(threads))
    if result.returncode != 0:
        raise RuntimeError(f"`{' '.join(command)}` failed with exit code {result.returncode}; see {log}")


def training_fingerprint(settings: dict) -> str:
    """Hash of what a checkpoint's weights depend on: the training input and the data's content.

    The run length (``numb_steps`` and the display and save intervals that follow from it)
    is left out, so a longer run continues from a shorter one's checkpoint; the data enter by
    content, not by path.
    """
    stripped = copy.deepcopy(settings)
    training = stripped["training"]
    for key in ("numb_steps", "disp_freq", "save_freq"):
        training.pop(key, None)
    systems = training["training_data"].pop("systems") + training["validation_data"].pop("systems")
    digest = hashlib.sha256(json.dumps(stripped, sort_keys=True).encode())
    for system in systems:
        for path in sorted(p for p in Path(system).rglob("*") if p.is_file()):
            digest.update(path.relative_to(system).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def checkpoint_step(train_dir: str | Path) -> int | None:
    """Training step of the newest complete checkpoint in ``train_dir``, or None.

    TensorFlow writes a checkpoint's data and ``.index``, then names it in the ``checkpoint``
    file, then writes its ``.meta`` graph, which ``dp train --restart`` needs: a job killed in
    between leaves the newest checkpoint without it. The newest of the kept checkpoints with
    all three is taken.
    """
    train_dir = Path(train_dir)
    index = train_dir / "checkpoint"
    if not index.is_file():
        return None
    listed = re.findall(r'^(?:all_)?model_checkpoint_paths?: "(.+-(\d+))"$', index.read_text(), re.M)
    for prefix, step in sorted(set(listed), key=lambda entry: int(entry[1]), reverse=True):
        parts = [train_dir / f"{prefix}.index", train_dir / f"{prefix}.meta"]
        if all(part.is_file() for part in parts) and any(train_dir.glob(f"{prefix}.data-*")):
            return int(step)
    return None


def trim_learning_curve(path: str | Path, before_step: int) -> None:
    """Drop the rows of steps >= ``before_step``: a restart writes them again from its checkpoint."""
    path = Path(path)
    if not path.is_file():
        return
    kept = [
        line
        for line in path.read_text().splitlines(keepends=True)
        if line.startswith("#") or not line.strip() or int(line.split()[0]) < before_step
    ]
    with atomic_path(path) as tmp:
        tmp.write_text("".join(kept))


def learning_curve(path: str | Path) -> str:
    """The learning curve without the header lines that every restart writes again."""
    seen, lines = set(), []
    for line in Path(path).read_text().splitlines(keepends=True):
        if line.startswith("#"):
            if line in seen:
                continue
            seen.add(line)
        lines.append(line)
    return "".join(lines)


def train(settings: dict, input_file: str | Path, log_file: str | Path, threads: int = 1) -> int:
    """Write ``input_file`` and run ``dp train`` beside it; return the step it started from.

    ``train/`` beside the input holds the checkpoints, the learning curve and the fingerprint
    of the run (:func:`training_fingerprint`). When its newest checkpoint comes from the same
    input and data and is not past ``numb_steps``, training continues from it
    (``dp train --restart``; at ``numb_steps`` already, nothing is run); otherwise ``train/``
    is cleared and training starts from step 0.
    """
    input_file = Path(input_file)
    workdir, train_dir = input_file.parent, input_file.parent / TRAIN_DIR
    fingerprint = training_fingerprint(settings)
    target = settings["training"]["numb_steps"]
    state = train_dir / "state.json"
    step = checkpoint_step(train_dir)
    same = state.is_file() and json.loads(state.read_text()).get("fingerprint") == fingerprint
    if step is None or not same or step > target:
        if train_dir.exists():
            log.info("%s: no checkpoint of this input and data to continue; training from step 0", train_dir)
            shutil.rmtree(train_dir)
        train_dir.mkdir(parents=True)
        write_json({"fingerprint": fingerprint}, state)
        step = 0
    with atomic_path(input_file) as tmp:
        tmp.write_text(json.dumps(settings, indent=2))
    if step == target:
        log.info("%s: checkpoint already at step %d of %d; nothing to train", train_dir, step, target)
        return step
    args = ["train", input_file.name]
    if step:
        log.info("resuming training from the checkpoint at step %d of %d", step, target)
        trim_learning_curve(train_dir / "lcurve.out", step)
        args += ["--restart", f"{TRAIN_DIR}/model.ckpt-{step}"]
    run_dp(args, workdir, log_file, threads)
    return step


def zbl_table(type_map: list[str], r_max_A: float = 8.0, step_A: float = 0.005) -> np.ndarray:
    """Ziegler–Biersack–Littmark universal repulsion (eV) on a grid, as DeePMD's ``use_srtab``.

    Columns: r (Å), then one energy column per type pair in DeePMD's order (0-0, 0-1, …,
    1-1, …). The screening length is a = 0.46850 / (Z_i^0.23 + Z_j^0.23) Å.
    """
    from ase.data import atomic_numbers

    coulomb = 14.399645  # e²/(4π ε0), eV Å
    r = np.arange(step_A, r_max_A + step_A / 2, step_A)
    columns = [r]
    numbers = [atomic_numbers[s] for s in type_map]
    for i, z_i in enumerate(numbers):
        for z_j in numbers[i:]:
            x = r * (z_i**0.23 + z_j**0.23) / 0.46850
            screening = (
                0.18175 * np.exp(-3.19980 * x)
                + 0.50986 * np.exp(-0.94229 * x)
                + 0.28022 * np.exp(-0.40290 * x)
                + 0.02817 * np.exp(-0.20162 * x)
            )
            columns.append(coulomb * z_i * z_j / r * screening)
    return np.column_stack(columns)


def deepmd_evaluate(frames, model: str | Path, type_map: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Energies (eV, (n_frames,)) and forces (eV/Å, one (n_atoms, 3) array per frame) of ASE
    ``frames`` by DeePMD-kit's own inference (``DeepPot``, loaded once), the types taken from
    ``type_map`` (the model's order)."""
    from deepmd.infer import DeepPot

    potential = DeepPot(str(model))
    energies, forces = [], []
    for atoms in frames:
        types = [type_map.index(symbol) for symbol in atoms.get_chemical_symbols()]
        energy, force, _ = potential.eval(atoms.positions.reshape(1, -1), np.asarray(atoms.cell).reshape(1, -1), types)
        energies.append(float(np.ravel(energy)[0]))
        forces.append(np.asarray(force).reshape(-1, 3))
    return np.array(energies), forces


def deepmd_single_point(atoms, model: str | Path, type_map: list[str]) -> tuple[float, np.ndarray]:
    """Energy (eV) and forces (eV/Å) of one frame by DeePMD-kit's own inference."""
    energies, forces = deepmd_evaluate([atoms], model, type_map)
    return float(energies[0]), forces[0]
