"""Fit time of our Keras estimators against the same raw Keras ``model.fit``.

Both sides train the same architecture on the same data (the 60,000 MNIST
training images as uint8) for the same epochs and batch size. The raw side
does what a Keras user does by hand: convert the pixels to float32, encode
the labels, build and compile the model, call ``model.fit``. Runs alternate
between the two sides; the ratio of the median times is the overhead
(target: <= 1.05)::

    python benchmarks/bench_keras_overhead.py --model mlp --epochs 3 --repeat 3
"""

import argparse
import statistics
import time

import numpy as np

from skdigits import KerasCNNClassifier, KerasMLPClassifier
from skdigits.datasets import load_train_test

MODELS = {"mlp": KerasMLPClassifier, "cnn": KerasCNNClassifier}


def fit_ours(clf, X, y):
    start = time.perf_counter()
    clf.fit(X, y)
    return time.perf_counter() - start


def fit_raw(template, X, y, epochs, batch_size):
    """The same network, trained by hand with plain Keras."""
    import keras

    start = time.perf_counter()
    X32 = X.astype(np.float32)
    classes, y_codes = np.unique(y, return_inverse=True)
    model = keras.models.clone_model(template)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(X32, y_codes, epochs=epochs, batch_size=batch_size, verbose=0)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=list(MODELS), default="mlp")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    X, _, y, _ = load_train_test()
    # Constant learning rate: plain model.fit has no schedule.
    make = lambda: MODELS[args.model](epochs=args.epochs, learning_rate_schedule="constant")  # noqa: E731
    template = make().fit(X[:256], y[:256]).model_  # warms TensorFlow up too
    fit_raw(template, X[:256], y[:256], 1, 128)
    ours, raw = [], []
    for _ in range(args.repeat):
        ours.append(fit_ours(make(), X, y))
        raw.append(fit_raw(template, X, y, args.epochs, make().batch_size))
    ratio = statistics.median(ours) / statistics.median(raw)
    print(f"{args.model}, {args.epochs} epochs on {len(X)} images, {args.repeat} runs each:")
    print(f"  skdigits fit: median {statistics.median(ours):.1f} s  {[round(t, 1) for t in ours]}")
    print(f"  raw Keras   : median {statistics.median(raw):.1f} s  {[round(t, 1) for t in raw]}")
    print(f"  ratio: {ratio:.3f}")


if __name__ == "__main__":
    main()
