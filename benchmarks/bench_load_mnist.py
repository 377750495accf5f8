"""Time loading all 70,000 MNIST rows from the copy shipped in skdigits.

Usage::

    python benchmarks/bench_load_mnist.py [--repeat 5]

Import time is reported apart: the target (under 1 s on 2 cores) is for the
load itself, MD5 checks of the four files included.
"""

import argparse
import statistics
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed loads per variant")
    args = parser.parse_args()

    start = time.perf_counter()
    from skdigits.datasets import load_mnist

    print(f"import skdigits.datasets: {time.perf_counter() - start:.2f} s")
    variants = {
        "return_X_y=True": dict(return_X_y=True),
        "as_frame=True": dict(as_frame=True),
        "split='train'": dict(split="train", return_X_y=True),
    }
    for label, kwargs in variants.items():
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = load_mnist(**kwargs)
            times.append(time.perf_counter() - start)
        X = result[0] if isinstance(result, tuple) else result.data
        print(
            f"load_mnist({label}): shape {X.shape}, median {statistics.median(times):.3f} s, "
            f"min {min(times):.3f} s, max {max(times):.3f} s over {args.repeat} runs"
        )


if __name__ == "__main__":
    main()
