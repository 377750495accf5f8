"""Draw docs/images/preprocessing.png: real MNIST test digits before and after
each transformer of skdigits.preprocessing.

Usage::

    python docs/make_preprocessing_figure.py [--output docs/images/preprocessing.png]

Rows: the digits as shipped, deskewed (Deskewer), blurred (GaussianBlur,
sigma=1) and scikit-image's picture of their HOG (``hog(..., visualize=True)``)
with cells of 4 x 4 pixels, the finer of HOGFeatures' two default cell sizes.
So that its strokes are legible, the picture is drawn for the digit enlarged
4 times (bilinear), with cells of 16 x 16 pixels: the same 7 x 7 grid of cells. Columns: one test
digit of each class, chosen slanted to show the deskewing.
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy.ndimage import zoom  # noqa: E402
from skimage.feature import hog  # noqa: E402

from skdigits.datasets import load_mnist  # noqa: E402
from skdigits.preprocessing import Deskewer, GaussianBlur  # noqa: E402

# Test-set indices: one of each digit 0-9, among the most slanted of the first
# 300 test digits (skew 0.3-0.6 column per row, both ways).
INDICES = [188, 107, 77, 18, 24, 59, 156, 60, 61, 7]


def hog_pictures(images, scale=4):
    """scikit-image's picture of the HOG of each image, enlarged ``scale`` times.

    The cells are 4 x 4 pixels of the original image; the picture's gray
    levels are the square root of its values, scaled to 0-1, so that weak
    gradients show too.
    """
    pictures = []
    for image in images:
        _, picture = hog(
            zoom(image, scale, order=1),
            orientations=9,
            pixels_per_cell=(4 * scale, 4 * scale),
            cells_per_block=(2, 2),
            visualize=True,
        )
        pictures.append(np.sqrt(picture / max(picture.max(), 1e-12)))
    return np.stack(pictures)


def make_figure(output):
    X, y = load_mnist(split="test", return_X_y=True)
    X = X[INDICES]
    rows = {
        "MNIST digits": X,
        "Deskewer()": Deskewer().fit_transform(X),
        "GaussianBlur(sigma=1)": GaussianBlur(sigma=1.0).fit_transform(X),
        "HOG (4 x 4-pixel cells)": hog_pictures(X.reshape(-1, 28, 28).astype(np.float32)),
    }
    fig, axes = plt.subplots(len(rows), len(X), figsize=(1.0 * len(X) + 1.6, 1.05 * len(rows) + 0.3))
    for row_axes, (label, images) in zip(axes, rows.items(), strict=True):
        for ax, image in zip(row_axes, images, strict=True):
            image = image if image.ndim == 2 else image.reshape(28, 28)
            ax.imshow(image, cmap="gray", vmin=0, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
        row_axes[0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=10)
    for ax, label in zip(axes[0], y[INDICES], strict=True):
        ax.set_title(label, fontsize=10)
    fig.subplots_adjust(left=0.17, right=0.99, top=0.93, bottom=0.01, wspace=0.06, hspace=0.08)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(output, dpi=110)
    plt.close(fig)
    return output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).parent / "images" / "preprocessing.png"
    parser.add_argument("--output", default=default, help=f"the PNG to write (default {default})")
    print(f"wrote {make_figure(parser.parse_args().output)}")


if __name__ == "__main__":
    main()
