"""Time skdigits.preprocessing's transformers on all 70,000 MNIST images.

Usage::

    python benchmarks/bench_preprocessing.py [--repeat 3] [--hog-jobs 1 2]

Each transformer is fitted once, then ``transform`` is timed on the whole
70,000 x 784 uint8 table (the best and median of ``--repeat`` runs; HOG once
per ``n_jobs`` value, as it takes a minute).
"""

import argparse
import statistics
import time


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return result, times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of Deskewer and GaussianBlur")
    parser.add_argument("--hog-jobs", type=int, nargs="*", default=[1, 2], help="n_jobs values for HOGFeatures")
    args = parser.parse_args()

    from skdigits.datasets import load_mnist
    from skdigits.preprocessing import Deskewer, GaussianBlur, HOGFeatures

    X, _ = load_mnist(return_X_y=True)
    cases = [("Deskewer()", Deskewer(), args.repeat), ("GaussianBlur(sigma=1.0)", GaussianBlur(), args.repeat)]
    cases += [(f"HOGFeatures(n_jobs={n})", HOGFeatures(n_jobs=n), 1) for n in args.hog_jobs]
    for label, transformer, repeat in cases:
        transformer.fit(X[:10])
        Xt, times = timed(lambda t=transformer: t.transform(X), repeat)
        print(
            f"{label}: {X.shape} -> {Xt.shape} {Xt.dtype}, best {min(times):.2f} s, "
            f"median {statistics.median(times):.2f} s over {repeat} run(s)"
        )


if __name__ == "__main__":
    main()
