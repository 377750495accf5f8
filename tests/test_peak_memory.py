"""The run's peak memory: how much, and when, so that a reader can tell which fits met at the peak."""

import time

import numpy as np

from skdigits.benchmark._machine import PeakMemory
from skdigits.benchmark.report._build import settings_line


def test_the_peak_is_the_largest_sample_and_is_dated_from_the_origin():
    origin = time.perf_counter()
    with PeakMemory(interval=0.02, origin=origin) as memory:
        time.sleep(0.2)
        before = memory.peak
        allocated = time.perf_counter() - origin
        block = np.ones(200 * 2**20 // 8)  # 200 MiB, every page touched
        time.sleep(0.4)
        freed = time.perf_counter() - origin
        del block
        time.sleep(0.2)
    assert memory.peak >= before + 150 * 2**20
    assert allocated <= memory.peak_at <= freed + 0.1


def test_the_settings_line_says_when_the_peak_was():
    meta = {"settings": {}, "total_time_s": 901.2, "peak_memory_mb": 2768, "peak_memory_at_s": 505.3}
    assert settings_line(meta).endswith("901 s, peak memory 2768 MB at 505 s")
    del meta["peak_memory_at_s"]  # a folder written before it was recorded
    assert settings_line(meta).endswith("901 s, peak memory 2768 MB")
