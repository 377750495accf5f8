"""Folders of real benchmark runs, shared by the report and comparison tests.

Two small runs on the MNIST shipped with skdigits (logistic regression and
kNN on 1,000 training rows, all 10,000 test digits), seeds 0 and 1, made
once per test process (each made only where a test asks for it: the report's
tests read seed 0 alone).
"""

import shutil

from skdigits.benchmark import run

TINY = dict(families=["logreg", "knn"], profile="quick", train_size=1000, cv=2, n_jobs=2, quiet=True)
_FOLDERS = {}


def finished_run(tmp_path_factory, seed):
    """Output folder of the run with ``seed`` (made on the first call)."""
    if seed not in _FOLDERS:
        folder = tmp_path_factory.mktemp("runs") / f"seed-{seed}"
        run(**TINY, seed=seed, output_dir=folder)
        _FOLDERS[seed] = folder
    return _FOLDERS[seed]


def finished_runs(tmp_path_factory):
    """Output folders of the seed-0 and seed-1 runs (made on the first call)."""
    return finished_run(tmp_path_factory, 0), finished_run(tmp_path_factory, 1)


def copy_run(folder, destination):
    """A copy of a run's folder without its fits and caches (they are not needed to report)."""
    shutil.copytree(folder, destination, ignore=shutil.ignore_patterns("fits", "cache"))
    return destination


def without_images(page):
    """A report page less its figures' base64 text, in which any short word (such as 'http') turns up by chance."""
    import re

    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]*", "data:image/png;base64,", page)
