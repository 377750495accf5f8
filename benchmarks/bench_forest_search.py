"""How many trees the random forest's search needs to rank its candidates as its refit's 200 would.

The evidence behind the zoo's ``search_params`` for the random forest
(``skdigits/zoo/_families.py``): the zoo's standard random-forest grid
(deskewed HOG against HOG of the image as given) cross-validated on
``--rows`` rows of a data set's *training* set (MNIST's 20,000, the
standard search's rows when this was measured and the benchmark's
stratified subset for seed 0; the search now takes 10,000, see
``bench_search_rows.py``) with the benchmark's
folds (3-fold ``StratifiedKFold``, shuffled with seed 0), with forests of
``--trees`` trees. The test set is never read. BLAS on one thread,
``--n-jobs`` fits at once.

Usage::

    python benchmarks/bench_forest_search.py --trees 50 100 200
    python benchmarks/bench_forest_search.py --data digits8x8 --trees 50 100 200

Measured on the idle 2-core AMD EPYC (AVX-512) machine, 2026-12-07
(CV accuracy, mean ± std over the three folds, and the mean fit time)::

    MNIST, 20,000 search rows (--trees 50 100):
      trees  50: deskewed + HOG 97.38 ± 0.14 % (fit 10.1 s), HOG 96.41 ± 0.31 % (fit 7.6 s)
      trees 100: deskewed + HOG 97.66 ± 0.23 % (fit 18.9 s), HOG 96.65 ± 0.32 % (fit 15.4 s)
      trees 200: deskewed + HOG 97.70 ± 0.09 % (fit 38.9 s), HOG 96.79 ± 0.24 % (fit 31.8 s)
    the second data set (benchmarks/make_upscaled_digits.py), 1,257 rows:
      trees  50: deskewed + HOG 97.85 ± 0.52 % (fit 0.5 s), HOG 97.53 ± 0.30 % (fit 0.4 s)
      trees 100: deskewed + HOG 98.25 ± 0.60 % (fit 0.8 s), HOG 97.77 ± 0.23 % (fit 0.7 s)
      trees 200: deskewed + HOG 98.41 ± 0.45 % (fit 1.6 s), HOG 98.01 ± 0.41 % (fit 1.5 s)

(MNIST's row for 200 trees is the standard run's own search of that
morning, its ``cv_results/rf.csv``: the same rows, folds and seeds.) Every
forest size ranks the candidates as 200 trees do, by about the same margin
on MNIST (0.97, 1.01 and 0.91 points) and within the folds' spread on the
second data set (0.32, 0.48 and 0.40); the fit time halves with the trees.
The zoo's standard search uses 100 (``ModelSpec.search_params``), the refit
200: the candidate chosen, and so the refit and its predictions, are those
of a search with 200, in half the search's time.
"""

import argparse
import itertools
import time

import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from threadpoolctl import threadpool_limits

from skdigits import get_model
from skdigits.benchmark._rows import nested_stratified_rows
from skdigits.datasets import load_train_test
from skdigits.zoo import describe_features


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="a data source, as --data of the benchmark (default: MNIST)")
    parser.add_argument("--trees", nargs="+", type=int, default=[50, 100, 200])
    parser.add_argument("--max-samples", nargs="+", type=float, default=[None],
                        help="each tree's bootstrap sample, as a fraction of the rows (default: all of them)")
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--rows", type=int, default=20000,
                        help="search rows (20,000: those measured above; the zoo's search now takes 10,000)")
    args = parser.parse_args()

    spec = get_model("rf", "standard", random_state=0)
    X, _, y, _ = load_train_test(args.data)  # the test rows are not used
    rows = nested_stratified_rows(y, args.rows, seed=0)
    X, y = np.asarray(X)[rows], np.asarray(y)[rows]
    for trees, max_samples in itertools.product(args.trees, args.max_samples):
        pipeline = spec.pipeline.set_params(clf__n_estimators=trees, clf__max_samples=max_samples)
        search = GridSearchCV(pipeline, spec.param_grid, cv=StratifiedKFold(3, shuffle=True, random_state=0),
                              n_jobs=args.n_jobs)
        start = time.perf_counter()
        with threadpool_limits(1):
            search.fit(X, y)
        results = pd.DataFrame(search.cv_results_)
        cells = [f"{describe_features(row['param_features'])} {100 * row['mean_test_score']:.2f} ± "
                 f"{100 * row['std_test_score']:.2f} % (fit {row['mean_fit_time']:.1f} s)"
                 for _, row in results.iterrows()]
        sampled = "" if max_samples is None else f", max_samples {max_samples:g}"
        print(f"trees {trees:>4}{sampled}: " + ", ".join(cells)
              + f"; {len(X):,} rows, {time.perf_counter() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()
