import gzip
import struct

import numpy as np
import pandas as pd
import pytest

_TYPE_CODES = {np.dtype(np.uint8): 0x08}

# The module-scoped fixtures that make real benchmark runs, a Dask cluster or a
# docs build, by the test module that holds them, and the xdist group of the
# tests that use them. `pytest` runs on two workers (pyproject.toml's
# `-n 2 --dist loadgroup`); a group's tests go to one worker, so each of these
# is made once per suite, as when the suite runs serially. test_compare.py and
# test_report.py share run_folders.finished_runs (one pair of runs per process).
SHARED_FIXTURES = {
    "test_benchmark.py": ("small_run", "benchmark-run"),
    "test_compare.py": (("two_seeds", "other_data"), "run-folders"),
    "test_report.py": ("run_folder", "run-folders"),
    "test_dask_cluster.py": (("cluster", "local_run"), "dask-cluster"),
    "test_docs.py": ("built_site", "docs-build"),
    "test_ensemble.py": ("svm_decisions", "ensemble-svm"),
    "test_ensemble_run.py": ("seeded_run", "ensemble-run"),
    "test_mlflow.py": ("logged_run", "mlflow-run"),
    "test_run_folder_safety.py": ("finished", "safety-run"),
    "test_saved_models.py": ("kept_run", "saved-models-run"),
    "test_user_models.py": ("mixed_run", "user-models-run"),
}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    """Put the tests that use one of ``SHARED_FIXTURES`` in that fixture's xdist group."""
    for item in items:
        fixtures, group = SHARED_FIXTURES.get(item.path.name, ((), None))
        fixtures = (fixtures,) if isinstance(fixtures, str) else fixtures
        if set(fixtures) & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group(group))


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
