"""One end-to-end run of the embedded default (Study A and Study B) shared by the workflow tests."""

import pytest

from tests.workflow.helpers import copy_workflow, snakemake


@pytest.fixture(scope="session")
def embedded_run(tmp_path_factory):
    """A fresh workflow copy after `snakemake --profile profiles/local` on the embedded default."""
    workdir = copy_workflow(tmp_path_factory.mktemp("embedded"))
    snakemake(["--profile", "profiles/local", "--cores", "2"], workdir)
    return workdir
