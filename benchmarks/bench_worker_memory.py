"""How a search worker's memory grows fit after fit, against loky's guard that replaces it.

A joblib (loky) worker process is replaced when, after a task, its memory
exceeds its size after its first task by more than loky's
``_MAX_MEMORY_LEAK_SIZE`` (3e8 bytes, 286 MiB); the new worker then imports TensorFlow
and rebuilds its feature caches, some 3 to 8 s in which its core idles in a
standard run (the report's schedule shows each worker process). This script
plays a family's whole standard search in this one process (in a run, each
of the two workers gets about half of it): each
candidate of the zoo's standard grid (with the search's own settings) fitted
on each fold's training rows and scored on its held-out rows, as the
benchmark's search does (3-fold ``StratifiedKFold`` shuffled with seed 0 on
the nested stratified subset of the family's search rows, BLAS on one
thread). After each fit it prints the process's resident memory, the bytes
in its feature cache, and the growth since the first fit, marked where
loky's guard would replace the worker. Training rows only; the test set is
never read.

Usage::

    python benchmarks/bench_worker_memory.py --family knn
    python benchmarks/bench_worker_memory.py --family mlp --epochs 3
    python benchmarks/bench_worker_memory.py --family mlp --epochs 3 --cache-mib 512 --clear-session

The feature cache is bounded as in a joblib worker (128 MiB,
``skdigits.preprocessing._cache.WORKER_MAX_BYTES``), or by ``--cache-mib``.
Measured on the idle 2-core AMD EPYC (AVX-512), 2026-12-07 (the largest
growth since the first fit, MiB, over the 48 fits of kNN's search and the
6 of the MLP's)::

    --family knn --cache-mib 512   cache 494, grown 588  <- loky would replace the worker
    --family knn                   cache 124, grown 189
    --family mlp --epochs 3 --cache-mib 512   fits 1-6 grown 0, 151, 305, 425, 489, 641 (before ab0bf82)
    --family mlp --epochs 3                   fits 1-6 grown 0, 110, 225, 304, 366, 517 (before ab0bf82)
    --family mlp --epochs 3                   fits 1-6 grown 0, 26, 57, 52, 38, 109

A cache of 512 MiB (the bound of a main process's cache,
``DEFAULT_MAX_BYTES``) passes loky's guard by itself: so a worker's is 128
MiB. The MLP grew some 110 MiB a fit whatever the cache held: TensorFlow
keeps every ``numpy_function`` it is given until the process ends, and the
one that served a fit's batches held that fit's rows (the same with
``keras.backend.clear_session()``, glibc's ``malloc_trim`` or
``MALLOC_ARENA_MAX=2``). Since ab0bf82 a fit closes its ``TrainingRows``,
which lets go of them, and a worker stays well under the guard.
"""

import argparse
import gc
import time

import numpy as np
import psutil
from joblib.externals.loky import process_executor
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid, StratifiedKFold
from threadpoolctl import threadpool_limits

from skdigits import get_model
from skdigits.benchmark._rows import nested_stratified_rows
from skdigits.datasets import load_train_test
from skdigits.preprocessing import get_feature_cache
from skdigits.preprocessing._cache import WORKER_MAX_BYTES


def _parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--family", default="mlp", help="a zoo family (default: mlp)")
    parser.add_argument("--epochs", type=int, default=None, help="a network's epochs instead of the zoo's")
    parser.add_argument("--clear-session", action="store_true", help="keras.backend.clear_session() after each fit")
    parser.add_argument("--cache-mib", type=int, default=WORKER_MAX_BYTES // 2**20,
                        help="the feature cache's bound, MiB (default: a joblib worker's, 128; 512 outside one)")
    return parser.parse_args()


def _megabytes(n_bytes):
    return f"{n_bytes / 2**20:,.0f} MiB"


def main():
    args = _parse()
    spec = get_model(args.family, "standard")
    X, _, y, _ = load_train_test()
    rows = nested_stratified_rows(y, spec.search_size, 0)
    X, y = X[rows], y[rows]
    folds = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    extra = {"clf__epochs": args.epochs} if args.epochs else {}
    process, guard = psutil.Process(), process_executor._MAX_MEMORY_LEAK_SIZE
    print(f"{args.family}: {len(ParameterGrid(spec.param_grid))} candidates x {len(folds)} folds on "
          f"{len(y):,} rows; loky replaces a worker grown by more than {_megabytes(guard)}")
    get_feature_cache().max_bytes = args.cache_mib * 2**20
    reference = None
    for params in ParameterGrid(spec.param_grid):
        for k, (train, held_out) in enumerate(folds):
            start = time.perf_counter()
            with threadpool_limits(1):
                model = clone(spec.search_pipeline()).set_params(**params, **extra).fit(X[train], y[train])
                accuracy = float(np.mean(model.predict(X[held_out]) == y[held_out]))
            del model
            if args.clear_session:
                import keras

                keras.backend.clear_session()
            gc.collect()
            rss = process.memory_info().rss
            reference = rss if reference is None else reference
            replaced = "  <- loky would replace the worker" if rss - reference > guard else ""
            print(f"fold {k} {accuracy:.4f} {time.perf_counter() - start:5.1f} s  memory {_megabytes(rss)}, "
                  f"cache {_megabytes(get_feature_cache().nbytes)}, grown {_megabytes(rss - reference)}{replaced}",
                  flush=True)


if __name__ == "__main__":
    main()
