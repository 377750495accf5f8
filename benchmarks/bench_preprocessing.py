"""Time skdigits.preprocessing's transformers on the MNIST images.

Usage::

    python benchmarks/bench_preprocessing.py [--repeat 3] [--hog-jobs 1 2] [--ratio-images 5000]

Each transformer is fitted once, then ``transform`` is timed on the whole
70,000 x 784 uint8 table (the best and median of ``--repeat`` runs).

Then the ratio: scikit-image's ``hog`` called on each image in a Python
loop (what ``HOGFeatures`` did before it computed in batches) against
``HOGFeatures``' batched transform, on the first ``--ratio-images`` deskewed
MNIST test digits, in one process and one thread, timed in alternation.

Last, the deskewed + HOG features of the 60,000 training and 10,000 test
digits, as the zoo's ``features`` step computes them, through a
``CachedTransformer``: the first transform of each, then the same again
(answered from the cache).
"""

import argparse
import os
import statistics
import time

# One thread for the BLAS and OpenMP pools, so that the ratio is a one-core one.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return result, times


def skimage_loop(images, params):
    """HOG features as before: scikit-image's hog on each image, in a loop."""
    import numpy as np
    from skimage.feature import hog

    return np.stack([np.concatenate([hog(image, **kwargs) for kwargs in params]) for image in images])


def hog_ratio(images, repeat):
    """Print scikit-image's per-image loop time against HOGFeatures', alternating A and B."""
    import numpy as np

    from skdigits.preprocessing import HOGFeatures

    features = HOGFeatures().fit(images[:1])
    params = features._hog_params()
    loop_times, batch_times = [], []
    for _ in range(repeat):
        expected, seconds = timed(lambda: skimage_loop(images.reshape(-1, 28, 28), params), 1)
        loop_times += seconds
        ours, seconds = timed(lambda: features.transform(images), 1)
        batch_times += seconds
    loop, batch = min(loop_times), min(batch_times)
    print(
        f"HOG of {len(images):,} deskewed MNIST test digits, one thread: scikit-image loop {loop:.2f} s "
        f"({loop / len(images) * 1e3:.3f} ms per image), HOGFeatures {batch:.3f} s "
        f"({batch / len(images) * 1e3:.4f} ms per image): {loop / batch:.1f}x faster "
        f"(best of {repeat}; max abs difference {np.abs(expected - ours).max():.1e})"
    )


def cached_features(repeat):
    """Print the time of the zoo's deskewed + HOG features of the training and test digits."""
    from skdigits.datasets import load_mnist
    from skdigits.preprocessing import get_feature_cache
    from skdigits.zoo._features import deskewed_hog

    X_train, _ = load_mnist(split="train", return_X_y=True)
    X_test, _ = load_mnist(split="test", return_X_y=True)
    get_feature_cache().clear()
    for label, X in (("60,000 training", X_train), ("10,000 test", X_test)):
        step = deskewed_hog().fit(X[:10])
        _, first = timed(lambda: step.transform(X), 1)  # noqa: B023 (called at once)
        _, again = timed(lambda: deskewed_hog().fit(X[:10]).transform(X), repeat)  # noqa: B023
        print(
            f"deskew + HOG of the {label} digits (zoo features step): {first[0]:.2f} s computed, "
            f"{min(again):.3f} s from the cache (a new step; hashing X)"
        )
    print(f"cache: {get_feature_cache()!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each")
    parser.add_argument("--hog-jobs", type=int, nargs="*", default=[1, 2], help="n_jobs values for HOGFeatures")
    parser.add_argument("--ratio-images", type=int, default=5000, help="test digits for the scikit-image ratio")
    args = parser.parse_args()

    from skdigits.datasets import load_mnist
    from skdigits.preprocessing import Deskewer, GaussianBlur, HOGFeatures

    X, _ = load_mnist(return_X_y=True)
    cases = [("Deskewer()", Deskewer()), ("GaussianBlur(sigma=1.0)", GaussianBlur())]
    cases += [(f"HOGFeatures(n_jobs={n})", HOGFeatures(n_jobs=n)) for n in args.hog_jobs]
    for label, transformer in cases:
        transformer.fit(X[:10])
        Xt, times = timed(lambda: transformer.transform(X), args.repeat)  # noqa: B023 (called at once)
        print(
            f"{label}: {X.shape} -> {Xt.shape} {Xt.dtype}, best {min(times):.2f} s, "
            f"median {statistics.median(times):.2f} s over {args.repeat} run(s)"
        )

    X_test, _ = load_mnist(split="test", return_X_y=True)
    hog_ratio(Deskewer().fit_transform(X_test[: args.ratio_images]), args.repeat)
    cached_features(args.repeat)


if __name__ == "__main__":
    main()
