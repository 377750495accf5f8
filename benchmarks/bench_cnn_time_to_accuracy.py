"""Seconds of training for the CNN to reach 99.0% and 99.5% test accuracy.

Trains ``KerasCNNClassifier`` on the 60,000 MNIST training images and, every
``--eval-every`` batches, pauses the training clock to score the 10,000 test
images; prints when each accuracy was first reached. The same network is
then trained in plain Keras (``model.fit`` on NumPy arrays, the same
optimizer and one-cycle schedule) for comparison::

    python benchmarks/bench_cnn_time_to_accuracy.py                 # 1 epoch, the fast recipe
    python benchmarks/bench_cnn_time_to_accuracy.py --epochs 4 --dropout 0.25   # the zoo's standard CNN

The test set is only measured here, never used to choose settings: the
recipe was chosen on a validation split of the training set (docs/fairness.md).
"""

import argparse
import json
import time

import numpy as np

from skdigits import KerasCNNClassifier
from skdigits.datasets import load_train_test

THRESHOLDS = (0.990, 0.995)


def _make_clock_callback(keras, X_test, y_test, eval_every, to_codes):
    class TrainingClock(keras.callbacks.Callback):
        """Accuracy on the test set against training seconds, evaluation excluded."""

        def __init__(self):
            super().__init__()
            self.curve, self.elapsed, self._since = [], 0.0, None

        def on_train_begin(self, logs=None):
            self._since = time.perf_counter()

        def _measure(self):
            self.elapsed += time.perf_counter() - self._since
            proba = self.model.predict(X_test, batch_size=2048, verbose=0)
            self.curve.append((round(self.elapsed, 2), float(np.mean(to_codes(proba) == y_test))))
            self._since = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            if (batch + 1) % eval_every == 0:
                self._measure()

        def on_epoch_end(self, epoch, logs=None):
            self._measure()

    return TrainingClock()


def _first_reached(curve):
    return {f"{100 * t:.1f}%": next((s for s, acc in curve if acc >= t), None) for t in THRESHOLDS}


def _skdigits_run(args, X_train, y_train, X_test, y_test):
    import keras

    codes = np.unique(y_train)
    clock = _make_clock_callback(keras, X_test, y_test, args.eval_every, lambda p: codes[np.argmax(p, 1)])
    clf = KerasCNNClassifier(
        epochs=args.epochs, dropout=args.dropout, batch_size=args.batch_size,
        learning_rate=args.learning_rate, callbacks=[clock], random_state=args.seed,
    )
    start = time.perf_counter()
    clf.fit(X_train, y_train)
    return clock, time.perf_counter() - start


def _raw_keras_run(args, X_train, y_train, X_test, y_test):
    """The same network and schedule, in plain Keras on arrays scaled to 0-1."""
    import keras

    from skdigits.neural_network import OneCycleSchedule

    keras.utils.set_random_seed(args.seed)
    scale = lambda X: (np.asarray(X, dtype="float32") / 255.0).reshape(-1, 28, 28, 1)  # noqa: E731
    Xtr, Xte = scale(X_train), scale(X_test)
    ytr, yte = y_train.astype(int), y_test.astype(int)
    layers = [keras.Input((28, 28, 1))]
    for filters in (32, 64):
        layers += [keras.layers.Conv2D(filters, 3, padding="same", use_bias=False),
                   keras.layers.BatchNormalization(momentum=0.9), keras.layers.Activation("relu"),
                   keras.layers.MaxPooling2D(2, padding="same"), keras.layers.Dropout(args.dropout)]
    layers += [keras.layers.Flatten(), keras.layers.Dense(128, use_bias=False),
               keras.layers.BatchNormalization(momentum=0.9), keras.layers.Activation("relu"),
               keras.layers.Dropout(args.dropout), keras.layers.Dense(10, activation="softmax")]
    model = keras.Sequential(layers)
    steps = args.epochs * int(np.ceil(len(Xtr) / args.batch_size))
    model.compile(keras.optimizers.Adam(OneCycleSchedule(args.learning_rate, steps)),
                  "sparse_categorical_crossentropy", metrics=["accuracy"])
    clock = _make_clock_callback(keras, Xte, yte, args.eval_every, lambda p: np.argmax(p, 1))
    start = time.perf_counter()
    model.fit(Xtr, ytr, batch_size=args.batch_size, epochs=args.epochs, callbacks=[clock], verbose=0)
    return clock, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--dropout", type=float, default=0.0)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=0.005)
    parser.add_argument("--eval-every", type=int, default=50, help="batches between two test evaluations")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-raw", action="store_true", help="no plain-Keras comparison")
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()

    X_train, X_test, y_train, y_test = load_train_test()
    runs = {"skdigits KerasCNNClassifier": _skdigits_run}
    if not args.skip_raw:
        runs["plain Keras, same network"] = _raw_keras_run
    results = []
    for name, run in runs.items():
        clock, wall = run(args, X_train, y_train, X_test, y_test)
        row = {"run": name, "epochs": args.epochs, "training_s": round(clock.elapsed, 1),
               "fit_wall_s": round(wall, 1), "final_accuracy": clock.curve[-1][1],
               "seconds_to": _first_reached(clock.curve), "curve": clock.curve}
        results.append(row)
        reached = ", ".join(f"{k} at {v} s" if v is not None else f"{k} not reached"
                            for k, v in row["seconds_to"].items())
        print(f"{name}: final test accuracy {100 * row['final_accuracy']:.2f}% after "
              f"{row['training_s']} s of training ({row['fit_wall_s']} s fit wall time); {reached}",
              flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
