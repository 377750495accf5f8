"""Which features XGBoost's standard grid searches: cross-validated error and time, training rows only.

The evidence behind the zoo's XGBoost grid (``skdigits/zoo/_families.py``):
on a stratified subset of MNIST's *training* rows (10,000, the standard
profile's search rows), 3-fold cross-validation of the zoo's booster (early
stopping on a tenth of each fold's training rows, at most 1,000 rounds, one
thread) on each feature set. The test set is never read.

Usage::

    python benchmarks/bench_xgboost_features.py [--features deskewed hog raw_hog fine_hog] [--pca 0 50 100]
                                                [--rows 10000]

``--pca 0`` feeds the features without PCA (1,620 HOG columns: slow).
Measured on the 2-core machine (shared, so times are proportions)::

    deskewed pixels      3.94 % CV error, 155 s for 3 fits
    deskewed HOG, PCA 50 2.78 %,  18 s;  PCA 100 2.85 %, 53 s
    HOG as given, PCA 50 3.66 %,  27 s;  PCA 100 3.68 %, 49 s

``fine_hog`` is the deskewed digit's HOG with cells of 3, 4 and 7 pixels
(3,924 columns, the SVM's finer features). On the idle 2-core AMD EPYC
machine (``--features hog fine_hog --pca 50 100``)::

    deskewed HOG,      PCA 50 2.72 %, 9 s;   PCA 100 2.85 %, 16 s
    deskewed fine HOG, PCA 50 2.57 %, 13 s;  PCA 100 2.70 %, 21 s

so XGBoost's standard grid searches the fine HOG reduced to 50 components
(in batches, by ``BatchedPCA``) beside the 4+7 cells. Fewer components do
worse (``--features fine_hog --pca 20 30 40 50``, AVX-512 EPYC, 2026-12-06)::

    deskewed fine HOG, PCA 20 2.86 %;  PCA 30 2.76 %;  PCA 40 2.75 %;  PCA 50 2.57 %
"""

import argparse
import time

import numpy as np
from sklearn.decomposition import PCA
from sklearn.model_selection import StratifiedKFold, train_test_split
from threadpoolctl import threadpool_limits
from xgboost import XGBClassifier

from skdigits import EarlyStoppingClassifier
from skdigits.datasets import load_mnist
from skdigits.preprocessing import Deskewer, HOGFeatures


def feature_sets(X):
    deskewed = Deskewer().fit_transform(X)
    return {
        "deskewed": lambda: deskewed,
        "hog": lambda: HOGFeatures().fit_transform(deskewed),
        "raw_hog": lambda: HOGFeatures().fit_transform(X),
        "fine_hog": lambda: HOGFeatures(pixels_per_cell=(3, 4, 7)).fit_transform(deskewed),
    }


def cv_error(F, y, n_components, seed=0):
    """Mean 3-fold error of the zoo's early-stopped booster on ``F`` (PCA first unless 0), and the rounds kept."""
    errors, rounds = [], []
    for train, test in StratifiedKFold(3, shuffle=True, random_state=seed).split(F, y):
        X_train, X_test = F[train], F[test]
        if n_components:
            pca = PCA(n_components, random_state=seed).fit(X_train)
            X_train, X_test = pca.transform(X_train), pca.transform(X_test)
        booster = XGBClassifier(n_estimators=1000, early_stopping_rounds=30, max_depth=6, learning_rate=0.1,
                                colsample_bytree=0.4, max_bin=64, tree_method="hist", n_jobs=1, random_state=seed)
        clf = EarlyStoppingClassifier(booster, random_state=seed).fit(X_train, y[train])
        errors.append(np.mean(clf.predict(X_test) != y[test]))
        rounds.append(clf.n_iter_)
    return float(np.mean(errors)), rounds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", nargs="+", default=["deskewed", "hog", "raw_hog"])
    parser.add_argument("--pca", nargs="+", type=int, default=[50, 100])
    parser.add_argument("--rows", type=int, default=10000, help="stratified training rows cross-validated")
    args = parser.parse_args()

    X, y = load_mnist(split="train", return_X_y=True)
    X, _, y, _ = train_test_split(np.asarray(X), np.asarray(y), train_size=args.rows, stratify=y, random_state=0)
    sets = feature_sets(X)
    for name in args.features:
        F = sets[name]()
        for n_components in args.pca if name != "deskewed" else [0]:
            start = time.perf_counter()
            with threadpool_limits(1):
                error, rounds = cv_error(F, y, n_components)
            print(f"{name:9s} PCA {n_components or '-':>4}: CV error {100 * error:.2f} %, rounds kept {rounds}, "
                  f"{time.perf_counter() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()
