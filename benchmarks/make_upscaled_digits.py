"""Write scikit-learn's bundled 8 x 8 digits as a 28 x 28 MNIST-style IDX folder.

A second data set of the zoo's shape (28 x 28 grey images, 10 classes) that
this machine has without a network: the 1,797 UCI optical-recognition digits
that ship with scikit-learn (:func:`sklearn.datasets.load_digits`, 8 x 8
pixels of 17 grey levels, 43 writers). Each image is enlarged to 20 x 20
pixels (bilinear, scikit-image's ``resize``), scaled to 0-255 and centred in a
28 x 28 frame, as MNIST's digits are; the rows are split, stratified, into a
training and a test set. Their digits are upright, thick and blurred: unlike
MNIST, deskewing has little to straighten.

Usage::

    python benchmarks/make_upscaled_digits.py OUTPUT_FOLDER [--test-size 0.3] [--seed 0]
    python -m skdigits.benchmark --data OUTPUT_FOLDER --output runs/digits8x8

The folder holds the four files ``load_idx`` reads (``train-images-idx3-ubyte``...).
"""

import argparse
import gzip
import struct
from pathlib import Path

import numpy as np
from skimage.transform import resize
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skdigits.model_selection import write_atomic

SIDE, DIGIT_SIDE = 28, 20


def upscale(images):
    """8 x 8 images of 0-16 as 28 x 28 uint8 images of 0-255, the digit in the central 20 x 20 pixels."""
    margin = (SIDE - DIGIT_SIDE) // 2
    out = np.zeros((len(images), SIDE, SIDE), dtype=np.uint8)
    for i, image in enumerate(images):
        big = resize(image / 16.0, (DIGIT_SIDE, DIGIT_SIDE), order=1, anti_aliasing=False)
        out[i, margin:margin + DIGIT_SIDE, margin:margin + DIGIT_SIDE] = np.rint(255 * np.clip(big, 0, 1))
    return out


def idx_bytes(array):
    """``array`` (uint8) as an IDX file: the header, then its values in row-major order."""
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="folder to write the four IDX files into")
    parser.add_argument("--test-size", type=float, default=0.3, help="fraction of the digits in the test set")
    parser.add_argument("--seed", type=int, default=0, help="seed of the stratified split")
    args = parser.parse_args()

    digits = load_digits()
    images = upscale(digits.images)
    labels = digits.target.astype(np.uint8)
    X_train, X_test, y_train, y_test = train_test_split(
        images, labels, test_size=args.test_size, stratify=labels, random_state=args.seed)
    args.output.mkdir(parents=True, exist_ok=True)
    for name, array in [("train-images-idx3-ubyte", X_train), ("train-labels-idx1-ubyte", y_train),
                        ("t10k-images-idx3-ubyte", X_test), ("t10k-labels-idx1-ubyte", y_test)]:
        write_atomic(args.output / f"{name}.gz", gzip.compress(idx_bytes(array), mtime=0))
    print(f"{args.output}: {len(y_train)} training and {len(y_test)} test digits, 28 x 28")


if __name__ == "__main__":
    main()
