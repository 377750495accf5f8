"""Test error and training time of the Keras estimators with default parameters.

Trains on the canonical 60,000 MNIST training images and scores on the 10,000
test images, as the issue's targets ask (MLP <= 1.5 %, CNN <= 0.6 %, each in
under 10 minutes of training on 2 cores)::

    python benchmarks/bench_keras_mnist.py --model mlp
    python benchmarks/bench_keras_mnist.py --model cnn

Prints one line per model: test error, fit time, predict time.
"""

import argparse
import json
import time

from skdigits import KerasCNNClassifier, KerasMLPClassifier
from skdigits.datasets import load_train_test

MODELS = {"mlp": KerasMLPClassifier, "cnn": KerasCNNClassifier}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=[*MODELS, "both"], default="both")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", type=int, default=2, help="Keras verbosity during fit")
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()

    X_train, X_test, y_train, y_test = load_train_test()
    names = list(MODELS) if args.model == "both" else [args.model]
    results = []
    for name in names:
        clf = MODELS[name](random_state=args.seed, verbose=args.verbose)
        start = time.perf_counter()
        clf.fit(X_train, y_train)
        fit_s = time.perf_counter() - start
        start = time.perf_counter()
        error = 1 - clf.score(X_test, y_test)
        predict_s = time.perf_counter() - start
        row = dict(model=name, test_error=round(100 * error, 2), fit_s=round(fit_s, 1),
                   predict_s=round(predict_s, 1), epochs=len(clf.history_["loss"]))
        results.append(row)
        print(f"{name}: test error {row['test_error']:.2f} %, fit {fit_s:.0f} s "
              f"({row['epochs']} epochs), predict {predict_s:.1f} s", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
