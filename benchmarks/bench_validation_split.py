"""Validation curves of the zoo's fixed settings, on the training set only.

Some settings of the zoo are not searched by its grids, because each costs a
whole fit: the XGBoost rounds, the MLP's and the CNN's epochs. This script
justifies them without the test set: it holds out a stratified 10,000 of
the 60,000 training images as a validation split, trains on the other
50,000 and prints the validation error after every epoch (Keras) or every
round (XGBoost, every ``--every`` rounds)::

    python benchmarks/bench_validation_split.py --model xgboost --rounds 1000
    python benchmarks/bench_validation_split.py --model xgboost --features fine-hog-pca --rounds 1000
    python benchmarks/bench_validation_split.py --model mlp --features hog --epochs 30
    python benchmarks/bench_validation_split.py --model cnn --epochs 4 --dropout 0.1
    python benchmarks/bench_validation_split.py --model cnn --features deskewed --epochs 3 --dropout 0.1 \
        --param learning_rate=0.01 --param kernel_size=5

``--param NAME=VALUE`` sets any other parameter of the model (the Keras
classifier's, or XGBoost's booster's; the value read as a Python literal).

The zoo's value is where the curve has flattened, or the largest that the
time budget allows (docs/fairness.md).
"""

import argparse
import ast
import time

import numpy as np
from sklearn.model_selection import train_test_split

from skdigits import KerasCNNClassifier, KerasMLPClassifier  # before keras: they import TensorFlow quietly
from skdigits.datasets import load_train_test
from skdigits.preprocessing import Deskewer, HOGFeatures


def _split(args):
    X, _, y, _ = load_train_test()
    if args.features in ("deskewed", "hog"):
        X = Deskewer().fit_transform(X)
    if args.features == "hog":
        X = HOGFeatures(n_jobs=-1).fit_transform(X)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=10000, stratify=y, random_state=args.seed)
    if args.features == "fine-hog-pca":  # the features XGBoost's search chooses; the PCA sees the training part only
        from skdigits.zoo._features import deskewed_fine_hog_pca

        pca = deskewed_fine_hog_pca(n_components=args.components, random_state=args.seed).fit(X_train)
        X_train, X_val = pca.transform(X_train), pca.transform(X_val)
    return X_train, X_val, y_train, y_val


def _keras_curve(clf, X_train, X_val, y_train, y_val):
    """Validation error (%) after each epoch, from a callback on the Keras model."""
    import keras

    codes = np.unique(y_train)
    errors = []

    class ValidationError(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            proba = self.model.predict(X_val, batch_size=2048, verbose=0)
            errors.append(round(100 * float(np.mean(codes[np.argmax(proba, 1)] != y_val)), 2))

    clf.set_params(callbacks=[ValidationError()]).fit(X_train, y_train)
    return errors


def _cnn(args, X_train, X_val, y_train, y_val):
    clf = KerasCNNClassifier(epochs=args.epochs, dropout=args.dropout, random_state=args.seed, **args.param)
    return _keras_curve(clf, X_train, X_val, y_train, y_val)


def _mlp(args, X_train, X_val, y_train, y_val):
    clf = KerasMLPClassifier(epochs=args.epochs, dropout=args.dropout, random_state=args.seed, **args.param)
    return _keras_curve(clf, X_train, X_val, y_train, y_val)


def _xgboost(args, X_train, X_val, y_train, y_val):
    from skdigits import get_model

    booster = get_model("xgboost", "standard", random_state=args.seed).pipeline[-1].estimator
    # Early stopping (the zoo's booster stops when its held-out log-loss has not improved for 30 rounds) watches
    # the last of eval_metric: --param "eval_metric=['merror','mlogloss']" stops as the zoo's refit does;
    # --param early_stopping_rounds=None draws the whole curve.
    booster.set_params(**{"n_estimators": args.rounds, "learning_rate": args.learning_rate, "eval_metric": "merror",
                          **args.param})
    booster.fit(X_train, y_train.astype(int), eval_set=[(X_val, y_val.astype(int))], verbose=False)
    if booster.get_params()["early_stopping_rounds"] is not None:
        print(f"early stopping kept {booster.best_iteration + 1} rounds", flush=True)
    merror = booster.evals_result()["validation_0"]["merror"]
    return [round(100 * e, 2) for e in merror]


def _param(text):
    """``NAME=VALUE`` as a pair, VALUE read as a Python literal (``0.01``, ``(256,)``, ``True``, ``'adamw'``)."""
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        return name, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return name, value  # a bare word: a string, such as adamw


MODELS = {"cnn": _cnn, "mlp": _mlp, "xgboost": _xgboost}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=list(MODELS), required=True)
    parser.add_argument("--features", choices=["raw", "deskewed", "hog", "fine-hog-pca"], default="raw",
                        help="fine-hog-pca: HOG of 3, 4 and 7 pixel cells of the deskewed digit, through PCA")
    parser.add_argument("--components", type=int, default=50, help="fine-hog-pca's (XGBoost's: 50)")
    parser.add_argument("--epochs", type=int, default=30, help="Keras models")
    parser.add_argument("--dropout", type=float, default=0.2, help="Keras models")
    parser.add_argument("--rounds", type=int, default=1000, help="XGBoost")
    parser.add_argument("--learning-rate", type=float, default=0.1, help="XGBoost (the standard grid's)")
    parser.add_argument("--every", type=int, default=100, help="print XGBoost's error every this many rounds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--param", type=_param, action="append", default=[], metavar="NAME=VALUE",
                        help="another parameter of the model (Keras classifier or XGBoost booster); repeat for more")
    args = parser.parse_args()
    args.param = dict(args.param)
    X_train, X_val, y_train, y_val = _split(args)
    start = time.perf_counter()
    errors = MODELS[args.model](args, X_train, X_val, y_train, y_val)
    step = args.every if args.model == "xgboost" else 1
    curve = ", ".join(f"{i}: {errors[i - 1]}" for i in range(step, len(errors) + 1, step))
    unit = "rounds" if args.model == "xgboost" else "epochs"
    settings = "".join(f", {name}={value!r}" for name, value in args.param.items())
    best = int(np.argmin(errors))
    settings += f"; lowest {errors[best]} after {best + 1} {unit}"
    print(f"{args.model} on {args.features} features{settings}, validation error (%) by {unit}: {curve} "
          f"({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
