"""How many PCA components the SVM's standard grid searches: cross-validated accuracy, training rows only.

The evidence behind the zoo's SVM grid (``skdigits/zoo/_families.py``): the
zoo's SVM pipeline (deskewed HOG, PCA, RBF SVC) cross-validated on the
standard profile's search rows of MNIST's *training* set (20,000, the
benchmark's stratified subset for seed 0) with the benchmark's folds
(3-fold ``StratifiedKFold``, shuffled with seed 0), over ``--pca`` and
``--C``. The test set is never read. BLAS on one thread, ``--n-jobs``
fits at once.

Usage::

    python benchmarks/bench_svm_features.py [--pca 100 200 300] [--C 5 10] [--n-jobs 2]
    python benchmarks/bench_svm_features.py --pca 100 --C 5 --cells 4,7 4,7,14 --orientations 9 12
    python benchmarks/bench_svm_features.py --pca 50 100 --C 5 10 --cells 3,4,7 --batched
    python benchmarks/bench_svm_features.py --pca 100 --C 10 --cells 3,4,7 --batched --gamma 0.0116 scale 0.0464

``--batched`` reduces the HOG features with the zoo's
:class:`~skdigits.decomposition.BatchedPCA` (a batch of rows at a time, the
features never held whole, as the SVM's standard grid does for cells
3+4+7) in place of the pipeline's ``PCA`` step.

``--cells`` gives HOG's cell sizes in pixels (square cells; the zoo's
``HOGFeatures`` has 4,7), ``--orientations`` its bins (the zoo's: 9).

Measured on the idle 2-core AMD EPYC machine (CV accuracy, mean ± std over
the three folds; C=5 unless said)::

    cells 4+7, 9 bins (the zoo's), PCA 100: 98.84 ± 0.05 %  (C=10: 98.83)
                                   PCA 150: 98.86 ± 0.09 %, 200: 98.84, 300: 98.88 ± 0.10
    cells 4+7,   12 bins:   98.75 ± 0.14 %
    cells 4+7+14, 9 bins:   98.85 ± 0.05 %   (12 bins: 98.75)
    cells 4+6+7,  9 bins:   98.93 ± 0.12 %   (12 bins: 98.86)
    cells 3+7,    9 bins:   98.94 ± 0.10 %   (12 bins: 98.82)
    cells 2+4+7,  9 bins:   98.89 ± 0.19 %
    cells 3+4+7,  9 bins:   99.00 ± 0.08 %   (3,924 columns, against 1,620)

More components than 100 gain nothing beyond the folds' spread. Finer
cells (3 pixels) do: +0.16 points for 3+4+7, chosen among ten feature sets
on the same folds, so partly by luck. Its HOG of the 60,000 training rows
is 942 MB of float32 (389 MB for 4+7): with PCA the SVM's refit on them
alone peaked at 1.85 GB resident (PCA's 'covariance_eigh' solver, no
centred copy) against 1.10 GB for the 4+7 pipeline. Reduced in batches
(``--batched``), the features are never held whole::

    cells 3+4+7, BatchedPCA  50, C=5: 98.80 ± 0.08 %  (C=10: 98.75 ± 0.14)
                 BatchedPCA 100, C=5: 98.99 ± 0.11 %  (C=10: 98.99 ± 0.08)
                 BatchedPCA 150, C=10: 99.02 ± 0.11 %;  200: 99.00 ± 0.13;  300: 98.98 ± 0.17

(the last line: AVX-512 EPYC, 2026-12-06, two options at a time: more
components gain nothing beyond the folds' spread here either), and the
refit (60,000 rows, C=5) takes 24 s and peaks at 0.73 GB resident. The
SVM's standard grid searches this candidate (100 components) beside the
4+7 ones.

The kernel's width, around the zoo's ``gamma='scale'`` (0.0232 for these
features: 1 / (100 x their variance, 0.431)), on an AVX2 EPYC, 2026-12-05
(``--pca 100 --C 10 --cells 3,4,7 --batched --gamma 0.0116 scale 0.0464``)::

    gamma 0.0116 (half): 98.86 ± 0.09 %
    gamma 'scale':       98.99 ± 0.08 %
    gamma 0.0464 (twice): 98.93 ± 0.09 %

'scale' is at the top, so gamma is not searched.
"""

import argparse
import time

import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from skdigits import get_model
from skdigits.benchmark._rows import nested_stratified_rows
from skdigits.datasets import load_mnist
from skdigits.decomposition import BatchedPCA
from skdigits.preprocessing import CachedTransformer, Deskewer, HOGFeatures


def _deskewed_hog(cells, orientations, batched):
    sizes = tuple((int(size), int(size)) for size in cells.split(","))
    features = Pipeline([("deskew", Deskewer()), ("hog", HOGFeatures(orientations, pixels_per_cell=sizes))])
    return BatchedPCA(features, random_state=0) if batched else CachedTransformer(features)


def _describe(step):
    hog = step.transformer.named_steps["hog"]
    return f"cells {'+'.join(str(size[0]) for size in hog.pixels_per_cell)}, {hog.orientations} bins"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pca", nargs="+", type=int, default=[100, 200, 300])
    parser.add_argument("--C", nargs="+", type=float, default=[5.0, 10.0])
    parser.add_argument("--cells", nargs="+", default=["4,7"], help="cell sizes, comma-separated, per option")
    parser.add_argument("--orientations", nargs="+", type=int, default=[9])
    parser.add_argument("--gamma", nargs="+", default=["scale"],
                        help="the RBF kernel's gamma: 'scale' (the zoo's) or numbers, per option")
    parser.add_argument("--batched", action="store_true", help="reduce the features with BatchedPCA")
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()

    spec = get_model("svm", "standard", random_state=0)
    X, y = load_mnist(split="train", return_X_y=True)
    rows = nested_stratified_rows(y, spec.search_size, seed=0)
    X, y = np.asarray(X)[rows], np.asarray(y)[rows]
    features = [_deskewed_hog(cells, orientations, args.batched)
                for cells in args.cells for orientations in args.orientations]
    pca = "features__n_components" if args.batched else "pca__n_components"
    gammas = [value if value == "scale" else float(value) for value in args.gamma]
    grid = {"features": features, pca: args.pca, "clf__C": args.C, "clf__gamma": gammas}
    if args.batched:
        grid["pca"] = ["passthrough"]
    search = GridSearchCV(spec.pipeline, grid, cv=StratifiedKFold(3, shuffle=True, random_state=0),
                          n_jobs=args.n_jobs)
    start = time.perf_counter()
    with threadpool_limits(1):
        search.fit(X, y)
    results = pd.DataFrame(search.cv_results_)
    results["hog"] = [_describe(step) for step in results["param_features"]]
    reduction = "BatchedPCA" if args.batched else "PCA"
    results["gamma"] = results["param_clf__gamma"].astype(str)
    for _, row in results.sort_values(["hog", f"param_{pca}", "param_clf__C", "gamma"]).iterrows():
        print(f"deskewed HOG {row['hog']}, {reduction} {row[f'param_{pca}']:>4}, C={row['param_clf__C']:<4g}, "
              f"gamma={row['gamma']}: "
              f"CV accuracy {100 * row['mean_test_score']:.2f} ± {100 * row['std_test_score']:.2f} %, "
              f"fit {row['mean_fit_time']:.1f} s, score {row['mean_score_time']:.1f} s")
    print(f"{len(X):,} rows, {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
