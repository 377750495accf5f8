"""Whether a family's standard search chooses the same candidate on fewer rows.

The evidence behind a family's ``search_size`` in the zoo
(``skdigits/zoo/_families.py``): its standard grid, with the search's own
settings (``ModelSpec.search_params``), cross-validated as the benchmark
does it (3-fold ``StratifiedKFold`` shuffled with seed 0, estimators seeded
0) on the nested stratified subsets of ``--rows`` *training* rows that the
benchmark would search (``nested_stratified_rows``, seed 0). The test set is
never read. A search that ranks the candidates as the larger one does, by a
margin beyond the folds' spread, chooses the refit that the larger one
would, so the refit and its predictions stay; only the search's time and
the table's CV accuracy (now of smaller folds) change. BLAS on one thread,
``--n-jobs`` fits at once.

Usage::

    python benchmarks/bench_search_rows.py --family mlp --rows 10000 20000
    python benchmarks/bench_search_rows.py --family rf --rows 10000 20000
    python benchmarks/bench_search_rows.py --family mlp --data digits8x8 --rows 1000

Prints, per number of rows, each candidate's mean CV accuracy, its folds'
accuracies and its mean fit time, best first, and the search's wall time.
Measured on the idle 2-core AMD EPYC (AVX-512), 2026-12-07 (the 20,000-row
searches give the standard run's own ``cv_results``, to the digit)::

    --family rf --rows 10000 20000 (100 trees, the search's):
      10,000: deskewed + HOG 97.25 ± 0.33 % (folds 97.42, 97.54, 96.79; fit 7.5 s),
              HOG 96.16 ± 0.34 % (folds 96.58, 96.16, 95.74; fit 6.3 s); 24 s
      20,000: deskewed + HOG 97.66 ± 0.23 % (folds 97.44, 97.56, 97.97; fit 18.6 s),
              HOG 96.65 ± 0.32 % (folds 96.25, 96.66, 97.03; fit 15.0 s); 56 s
    --family mlp --rows 10000 20000:
      10,000: deskewed + HOG 98.05 ± 0.38 % (folds 98.59, 97.81, 97.75; fit 12.9 s),
              HOG 97.78 ± 0.26 % (folds 97.81, 97.45, 98.08; fit 10.2 s); 43 s
      20,000: deskewed + HOG 98.55 ± 0.15 % (folds 98.40, 98.49, 98.75; fit 18.6 s),
              HOG 98.17 ± 0.13 % (folds 98.22, 97.99, 98.30; fit 17.6 s); 66 s

The forest's lead holds on every fold of 10,000 rows, so its search takes
10,000 (docs/fairness.md); the MLP's does not (one fold reverses), so its
search keeps 20,000.
"""

import argparse
import re
import time

import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from threadpoolctl import threadpool_limits

from skdigits import get_model  # a network's family imports TensorFlow quietly
from skdigits.benchmark._rows import nested_stratified_rows
from skdigits.datasets import load_train_test
from skdigits.zoo import describe_features


def describe(params):
    """A candidate in words: its features, then its other parameters."""
    words = [describe_features(params["features"])] if "features" in params else []
    words += [f"{name.rsplit('__', 1)[-1]}={value!r}" for name, value in sorted(params.items()) if name != "features"]
    return ", ".join(words)


def search(spec, X, y, n_jobs):
    """The fitted GridSearchCV of ``spec``'s grid, with its search's settings, and its wall time."""
    pipeline = spec.pipeline.set_params(**spec.search_params)
    grid = GridSearchCV(pipeline, spec.param_grid, cv=StratifiedKFold(3, shuffle=True, random_state=0),
                        n_jobs=n_jobs, refit=False)
    start = time.perf_counter()
    with threadpool_limits(1):
        grid.fit(X, y)
    return grid, time.perf_counter() - start


def report(grid, n_rows, seconds):
    """One line per candidate, best first."""
    results = pd.DataFrame(grid.cv_results_).sort_values("rank_test_score")
    splits = sorted(column for column in results if re.fullmatch(r"split\d+_test_score", column))
    print(f"{n_rows:,} rows, {len(results)} candidates, {seconds:.0f} s:")
    for _, row in results.iterrows():
        folds = ", ".join(f"{100 * row[split]:.2f}" for split in splits)
        print(f"  {100 * row['mean_test_score']:.2f} ± {100 * row['std_test_score']:.2f} % (folds {folds}; "
              f"fit {row['mean_fit_time']:.1f} s) {describe(row['params'])}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", required=True, help="a zoo family: logreg, rf, svm, knn, xgboost, mlp, cnn")
    parser.add_argument("--rows", nargs="+", type=int, required=True, help="search rows, one search each")
    parser.add_argument("--data", default=None, help="a data source, as --data of the benchmark (default: MNIST)")
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()

    X_all, _, y_all, _ = load_train_test(args.data)  # the test rows are not used
    X_all, y_all = np.asarray(X_all), np.asarray(y_all)
    for n_rows in args.rows:
        spec = get_model(args.family, "standard", random_state=0)
        rows = nested_stratified_rows(y_all, n_rows, seed=0)
        grid, seconds = search(spec, X_all[rows], y_all[rows], args.n_jobs)
        report(grid, len(rows), seconds)


if __name__ == "__main__":
    main()
