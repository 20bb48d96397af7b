"""Standard error of the mean against scipy.stats.sem; blocks of consecutive items."""

import math

import numpy as np
import pytest
from scipy.stats import sem

from ionflow.analysis.statistics import accumulate_blocks, standard_error


def test_standard_error_is_scipys_sem_and_nan_for_one_sample():
    values = np.array([5.2, 4.1, 6.3, 5.9, 4.8])
    assert standard_error(values) == pytest.approx(sem(values), rel=1e-12)
    assert standard_error([1.0, 3.0]) == pytest.approx(1.0)  # std 1.414 / √2
    assert math.isnan(standard_error([2.0])) and math.isnan(standard_error([]))
    assert math.isnan(standard_error([1.0, float("nan")]))


class _Collect:
    def __init__(self):
        self.items = []

    def add(self, item):
        self.items.append(item)


def test_blocks_are_consecutive_and_complete_and_the_whole_sees_everything():
    whole, blocks = accumulate_blocks(range(11), _Collect, 4)
    assert whole.items == list(range(11))
    assert [block.items for block in blocks] == [[0, 1, 2, 3], [4, 5, 6, 7]]  # 8-10: an incomplete block
    assert accumulate_blocks(range(3), _Collect, None)[1] == []
