import gzip
import os
import struct

# Idle OpenMP threads sleep instead of spinning. Set before NumPy, scikit-learn or XGBoost load an OpenMP
# runtime, and inherited by every process the tests start. The suite runs two workers on CI's two cores: an
# OpenMP thread waiting for work spun on the core the other worker needed (XGBoost's 2 threads: 6.8 s of CPU
# for a fit of 0.5 s on the busy machine). What is computed does not change, only how a waiting thread waits.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# OpenBLAS's threads likewise spin for about 2**28 cycles (its default OPENBLAS_THREAD_TIMEOUT of 28) before
# they sleep; 4, its smallest, makes them sleep at once. Their number (2 on CI) does not change. A kNN grid's PCAs
# (randomized SVD on 300 rows) took 70 s of CPU on the busy machine with the default, 6.5 s with 4.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

import numpy as np
import pandas as pd
import pytest

_TYPE_CODES = {np.dtype(np.uint8): 0x08}

# The modules with the most test time, longest first (seconds on the idle 2-core machine, from
# `pytest --junitxml`: 182, 116, 83, 61, 55, 51, 44, 36, 35, 32 of about 900). `--dist loadfile` hands each
# module whole to one worker, in collection order: `--no-loadscope-reorder` (pytest-xdist >= 3.8) in
# pyproject.toml keeps this order, where xdist's own puts modules with many tests first. A long module picked up
# last left the other worker idle until it ended; longest first, the two workers end close together. The other
# modules follow in their usual order. Only the order changes, not what runs.
LONGEST_MODULES = (
    "test_estimator_checks.py", "test_networks_to_the_bit.py", "test_keras_classifiers.py", "test_benchmark.py",
    "test_dask_cluster.py", "test_fit_timeout.py", "test_reproducibility_keras.py", "test_model_selection.py",
    "test_mlflow.py", "test_compare.py",
)


def pytest_collection_modifyitems(config, items):
    rank = {name: position for position, name in enumerate(LONGEST_MODULES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # a stable sort: tests keep their order


def write_idx(path, array, *, gzipped=False):
    """Write ``array`` (uint8) to ``path`` as an IDX file, as MNIST's are."""
    array = np.asarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    data = header + array.tobytes()
    if gzipped:
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def write_kaggle_csv(path, X, y):
    """Write images and labels to ``path`` in Kaggle's digit-recognizer layout."""
    frame = pd.DataFrame(X, columns=[f"pixel{i}" for i in range(X.shape[1])])
    frame.insert(0, "label", np.asarray(y).astype(int))
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def idx_folder(tmp_path):
    """A small data set of 5x4 images in MNIST's four-file IDX layout."""
    rng = np.random.default_rng(0)
    splits = {"train": 30, "t10k": 12}
    for prefix, n in splits.items():
        images = rng.integers(0, 256, size=(n, 5, 4), dtype=np.uint8)
        labels = np.arange(n, dtype=np.uint8) % 3
        write_idx(tmp_path / f"{prefix}-images-idx3-ubyte", images)
        write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte", labels)
    return tmp_path
