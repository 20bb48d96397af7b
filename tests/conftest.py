"""Test order and grouping for `make test`, which runs the suite on two pytest-xdist workers
(``-n 2 --dist loadgroup --no-loadscope-reorder``).

A group is a test file, so a module-scoped fixture (a workflow run, a SLURM cluster) is built
once on one worker; the files that share the session-scoped ``embedded_run`` (the smoke workflow
run, the longest fixture) form one group, which goes first so that it starts at once on one
worker while the other takes the SLURM run and the rest. Without xdist only the order changes.
"""

import pytest

FIRST = ("embedded_run", "tests/scheduler/test_slurm.py")


def _group(item: pytest.Item) -> str:
    return "embedded_run" if "embedded_run" in item.fixturenames else item.nodeid.split("::")[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.xdist_group(_group(item)))
    rank = {group: index for index, group in enumerate(FIRST)}
    items.sort(key=lambda item: rank.get(_group(item), len(FIRST)))  # stable: file order otherwise
