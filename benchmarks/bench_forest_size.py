"""How many trees the random forest needs: out-of-bag error against forest size.

Grows one forest on the rows the standard profile searches (a stratified
20,000 of the 60,000 training images, raw and deskewed pixels) and prints
its out-of-bag error as trees are added (``--features hog`` for the HOG
features of the deskewed digits); the test set is not touched. The
zoo's tree count is where the curve has flattened::

    python benchmarks/bench_forest_size.py
"""

import argparse
import warnings

from sklearn.ensemble import RandomForestClassifier

from skdigits.benchmark._run import nested_stratified_rows
from skdigits.datasets import load_train_test
from skdigits.preprocessing import Deskewer, HOGFeatures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--sizes", default="50,100,200,400,800")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--features", default="raw,deskewed", help="comma-separated: raw, deskewed, hog")
    args = parser.parse_args()
    X, _, y, _ = load_train_test()
    rows = nested_stratified_rows(y, args.rows, args.seed)
    make = {
        "raw": lambda X: X,
        "deskewed": lambda X: Deskewer().fit_transform(X),
        "hog": lambda X: HOGFeatures(n_jobs=-1).fit_transform(Deskewer().fit_transform(X)),
    }
    for name in args.features.split(","):
        Xf = make[name](X[rows])
        forest = RandomForestClassifier(warm_start=True, oob_score=True, n_jobs=-1, random_state=args.seed)
        line = []
        for size in map(int, args.sizes.split(",")):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # too few trees for some OOB rows at first
                forest.set_params(n_estimators=size).fit(Xf, y[rows])
            line.append(f"{size}: {100 * (1 - forest.oob_score_):.2f}%")
        print(f"{name}: out-of-bag error by trees: " + ", ".join(line), flush=True)


if __name__ == "__main__":
    main()
