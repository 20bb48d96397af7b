"""Stand-in executables for engines that cannot run here (GPUMD's gpumd and nep)."""

import os
import sys
from pathlib import Path


def put_on_path(name: str, script: str, bin_dir: Path, monkeypatch) -> Path:
    """Write ``script`` (a Python template with a ``{python}`` field) as executable ``name``
    in ``bin_dir`` and put that folder first on PATH for the test."""
    bin_dir.mkdir(exist_ok=True)
    executable = bin_dir / name
    executable.write_text(script.format(python=sys.executable))
    executable.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return executable
