"""Test order and grouping for `make test`, which runs the suite on two pytest-xdist workers
(``-n 2 --dist loadfile --no-loadscope-reorder``).

A test file goes to one worker whole, so its module-scoped fixture (a workflow run, a SLURM
cluster) is built once; the files that share the session-scoped ``embedded_run`` (the smoke
workflow run, the longest fixture) go to the same worker as one unit, first, so that the run starts
at once on one worker while the other takes the SLURM run and the rest. Without xdist only the
order changes. (xdist's own ``loadgroup`` marks do not reach its scheduler under pytest 9.)
"""

import pytest

EMBEDDED_RUN = ("tests/workflow/test_embedded_run.py", "tests/workflow/test_study_b_run.py")  # use embedded_run
FIRST = (EMBEDDED_RUN[0], "tests/scheduler/test_slurm.py")


def work_unit(nodeid: str) -> str:
    """The unit of work a worker takes: a test file, the files of ``embedded_run`` together."""
    path = nodeid.split("::")[0]
    return EMBEDDED_RUN[0] if path in EMBEDDED_RUN else path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {group: index for index, group in enumerate(FIRST)}
    items.sort(key=lambda item: rank.get(work_unit(item.nodeid), len(FIRST)))  # stable otherwise


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class FileGroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return FileGroupScheduling(config, log)
