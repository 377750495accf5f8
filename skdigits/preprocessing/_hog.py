"""Histograms of oriented gradients of images given as table rows."""

import functools
import math
from itertools import pairwise
from numbers import Integral

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import gen_even_slices
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted

from .._sklearn_compat import Interval, StrOptions, _check_feature_names_in, _fit_context
from ._images import CHUNK_SIZE, check_pair, image_chunks, image_transformer_tags, validate_image_rows

#: Images computed at a time: small enough for the temporaries to stay in the processor's caches.
HOG_CHUNK_SIZE = 256


class HOGFeatures(TransformerMixin, BaseEstimator):
    """Histograms of oriented gradients (HOG) of each image, as scikit-image computes them.

    Each row of ``X`` is one image, flattened in row-major order. The
    features are those of :func:`skimage.feature.hog`, computed with array
    operations over thousands of images at once: the image gradient is computed,
    its orientations are binned into ``orientations`` bins per cell of
    ``pixels_per_cell`` pixels, weighted by magnitude, and the histograms are
    normalised over overlapping blocks of ``cells_per_block`` cells. The
    features describe the directions of the strokes locally, and are
    invariant to the brightness and contrast of each block.

    ``pixels_per_cell`` may give several cell sizes: the features of each
    are concatenated, fine cells describing detail and coarse cells the
    overall shape. With the defaults, 28 x 28 images give 6 x 6 blocks of
    2 x 2 cells of 4 x 4 pixels (1,296 features) and 3 x 3 blocks of 2 x 2
    cells of 7 x 7 pixels (324 features): 1,620 columns.

    Parameters
    ----------
    orientations : int, default=9
        Orientation bins per cell, over 0-180 degrees.
    pixels_per_cell : int, pair of ints, or sequence of them, \
            default=((4, 4), (7, 7))
        One cell size ``(rows, columns)`` (an int ``n`` means ``(n, n)``), or
        a sequence of cell sizes whose features are concatenated. A sequence
        of exactly two ints is one cell size; ``(4, 7, 14)`` is three square
        ones.
    cells_per_block : int or pair of ints, default=(2, 2)
        Cells per normalisation block, ``(rows, columns)``.
    block_norm : {'L2-Hys', 'L2', 'L1', 'L1-sqrt'}, default='L2-Hys'
        The block normalisation, as in :func:`skimage.feature.hog`. 'L2-Hys'
        normalises to unit L2 norm, clips at 0.2 and normalises again.
    image_shape : tuple of 2 ints or None, default=(28, 28)
        ``(height, width)`` of the images; ``X`` must have ``height * width``
        columns. One of them may be -1, inferred from the number of columns.
        None infers square images (the number of columns must be a perfect
        square).
    n_jobs : int or None, default=None
        Parallel jobs over chunks of rows, with joblib. None means 1 unless
        in a :func:`joblib.parallel_config` context; -1 uses all processors.

    Attributes
    ----------
    image_shape_ : tuple of 2 ints
        The ``(height, width)`` used.
    n_features_in_ : int
        The number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` was a DataFrame with string column names.

    See Also
    --------
    Deskewer : Straighten slanted digits, often before HOG.
    GaussianBlur : Smooth the images.

    Notes
    -----
    The features match scikit-image's (tested against 0.26) to about 1e-7: the
    same gradients, orientation bins (bin ``i`` holds the orientations in
    ``[180 / orientations * i, 180 / orientations * (i + 1))`` degrees), cell
    histograms divided by the cell's pixel count, and block norms (with
    ``eps=1e-5``). Images are processed 256 at a time, with one job about
    30 times as fast as calling scikit-image on each image (see
    ``benchmarks/bench_preprocessing.py``). The output is float32. With HOG
    features, an RBF support vector machine reaches about 0.64 % test error
    on MNIST.

    References
    ----------
    N. Dalal and B. Triggs, "Histograms of oriented gradients for human
    detection", CVPR 2005.

    Examples
    --------
    >>> from skdigits.datasets import load_mnist
    >>> from skdigits.preprocessing import HOGFeatures
    >>> X, y = load_mnist(split="test", return_X_y=True)
    >>> hog = HOGFeatures().fit(X[:50])
    >>> hog.transform(X[:50]).shape
    (50, 1620)
    >>> hog.get_feature_names_out()[[0, 1295, 1296, 1619]]
    array(['hog4x4_0', 'hog4x4_1295', 'hog7x7_0', 'hog7x7_323'], dtype=object)
    """

    _parameter_constraints: dict = {
        "orientations": [Interval(Integral, 1, None, closed="left")],
        "pixels_per_cell": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "cells_per_block": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "block_norm": [StrOptions({"L1", "L1-sqrt", "L2", "L2-Hys"})],
        "image_shape": ["array-like", None],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        orientations=9,
        *,
        pixels_per_cell=((4, 4), (7, 7)),
        cells_per_block=(2, 2),
        block_norm="L2-Hys",
        image_shape=(28, 28),
        n_jobs=None,
    ):
        self.orientations = orientations
        self.pixels_per_cell = pixels_per_cell
        self.cells_per_block = cells_per_block
        self.block_norm = block_norm
        self.image_shape = image_shape
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check ``X`` and the cell sizes against the image shape.

        Parameters
        ----------
        X : array-like of shape (n_samples, height * width)
            The images, one per row.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The transformer.
        """
        validate_image_rows(self, X, reset=True)
        self._layout()
        return self

    def transform(self, X):
        """Compute the HOG features of each image.

        Parameters
        ----------
        X : array-like of shape (n_samples, height * width)
            The images, one per row.

        Returns
        -------
        X_hog : ndarray of shape (n_samples, n_features_out), dtype float32
            The features of each cell size, concatenated in the order of
            ``pixels_per_cell``.
        """
        check_is_fitted(self)
        X = validate_image_rows(self, X, reset=False)
        params = self._hog_params()
        n_jobs = effective_n_jobs(self.n_jobs)
        if n_jobs == 1 or len(X) < 2:
            return hog_rows(X, self.image_shape_, params)
        n_chunks = min(len(X), max(n_jobs, math.ceil(len(X) / CHUNK_SIZE)))
        parts = Parallel(n_jobs=self.n_jobs)(
            delayed(hog_rows)(X[rows], self.image_shape_, params)
            for rows in gen_even_slices(len(X), n_chunks)
        )
        return np.concatenate(parts)

    def get_feature_names_out(self, input_features=None):
        """Names of the features: ``hog{rows}x{columns}_{i}`` per cell size.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Only checked against the names seen in ``fit``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``hog4x4_0``, ``hog4x4_1``, ... for the features of 4 x 4 cells.
        """
        check_is_fitted(self)
        _check_feature_names_in(self, input_features, generate_names=False)
        names = [
            f"hog{rows}x{cols}_{i}" for (rows, cols), n_features in self._layout() for i in range(n_features)
        ]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        return image_transformer_tags(super().__sklearn_tags__())

    def _cell_sizes(self):
        """``pixels_per_cell`` as a list of distinct ``(rows, columns)`` pairs."""
        value = self.pixels_per_cell
        if isinstance(value, Integral) or (
            len(value) == 2 and all(isinstance(v, Integral) for v in value)
        ):
            value = [value]
        sizes = [check_pair(size, "each cell size of pixels_per_cell", self) for size in value]
        if not sizes or len(set(sizes)) < len(sizes):
            raise ValueError(
                f"HOGFeatures: pixels_per_cell must give distinct cell sizes, got {self.pixels_per_cell!r}"
            )
        return sizes

    def _layout(self):
        """``[(cell size, number of features)]``, checked against the image shape."""
        block = check_pair(self.cells_per_block, "cells_per_block", self)
        height, width = self.image_shape_
        layout = []
        for cell in self._cell_sizes():
            blocks = (height // cell[0] - block[0] + 1, width // cell[1] - block[1] + 1)
            if min(blocks) < 1:
                raise ValueError(
                    f"HOGFeatures: images of {height} x {width} pixels are too small for blocks of "
                    f"{block[0]} x {block[1]} cells of {cell[0]} x {cell[1]} pixels (at least "
                    f"{block[0] * cell[0]} x {block[1] * cell[1]} pixels). Use smaller "
                    "pixels_per_cell or cells_per_block, or check image_shape."
                )
            layout.append((cell, blocks[0] * blocks[1] * block[0] * block[1] * self.orientations))
        return layout

    def _hog_params(self):
        block = check_pair(self.cells_per_block, "cells_per_block", self)
        return [
            dict(
                orientations=self.orientations,
                pixels_per_cell=cell,
                cells_per_block=block,
                block_norm=self.block_norm,
                feature_vector=True,
            )
            for cell, _ in self._layout()
        ]


def hog_rows(X, image_shape, params):
    """HOG features of each row of ``X``, concatenated over ``params``.

    The images are processed :data:`HOG_CHUNK_SIZE` at a time, each chunk with
    array operations over all its images (:func:`hog_images`).

    Parameters
    ----------
    X : ndarray of shape (n_samples, height * width)
        The images, one per row.
    image_shape : tuple of 2 ints
        ``(height, width)``.
    params : list of dict
        Keyword arguments of :func:`skimage.feature.hog`, one per cell size:
        ``orientations``, ``pixels_per_cell``, ``cells_per_block`` and
        ``block_norm``.

    Returns
    -------
    features : ndarray of shape (n_samples, n_features_out), dtype float32
    """
    height, width = image_shape
    n_features = sum(
        _n_block_features((height // kwargs["pixels_per_cell"][0], width // kwargs["pixels_per_cell"][1]), kwargs)
        for kwargs in params
    )
    features = np.empty((len(X), n_features), dtype=np.float32)
    for rows, images in image_chunks(X, image_shape, chunk_size=HOG_CHUNK_SIZE):
        hog_images(images, params, out=features[rows])
    return features


def hog_images(images, params, out=None):
    """HOG features of a stack of images, as :func:`skimage.feature.hog` computes them.

    The gradients, the orientation bins and their edges, the pixels of each
    cell and the block normalisations are those of scikit-image (tested
    against 0.26), computed for all the images at once in float32 (the
    regions' histograms below are summed in float64). Only the
    pixels with a nonzero gradient are binned, as the others add nothing to
    any histogram. They are binned once per number of orientations, into the
    regions that the cell boundaries of all the cell sizes cut the image
    into; each cell's histogram is then a sum of regions' histograms.

    Parameters
    ----------
    images : ndarray of shape (n_images, height, width), dtype float32
    params : list of dict
        ``orientations``, ``pixels_per_cell``, ``cells_per_block`` and
        ``block_norm`` of each cell size.
    out : ndarray of shape (n_images, n_features_out), dtype float32, default=None
        Where to write the features; a new array if None.

    Returns
    -------
    features : ndarray of shape (n_images, n_features_out), dtype float32
        ``out`` if given.
    """
    gradients = _nonzero_gradients(images)
    regions = _CellRegions(images.shape[1:], tuple(tuple(kwargs["pixels_per_cell"]) for kwargs in params))
    region_histograms = {}
    parts = []
    for kwargs in params:
        n_bins = kwargs["orientations"]
        if n_bins not in region_histograms:
            bins = _orientation_bins(gradients["g_row"], gradients["g_col"], n_bins)
            region_histograms[n_bins] = regions.histograms(gradients, bins, len(images), n_bins)
        parts.append((_cell_histograms(region_histograms[n_bins], regions, kwargs["pixels_per_cell"]), kwargs))
    sizes = [_n_block_features(histograms.shape[1:3], kwargs) for histograms, kwargs in parts]
    if out is None:
        out = np.empty((len(images), sum(sizes)), dtype=np.float32)
    for (histograms, kwargs), start, size in zip(parts, np.cumsum([0, *sizes[:-1]]), sizes, strict=True):
        _normalized_blocks(histograms, kwargs["cells_per_block"], kwargs["block_norm"], out[:, start : start + size])
    return out


def _nonzero_gradients(images):
    """The pixels with a nonzero gradient: their flat index, gradient and magnitude.

    The gradients are central differences in the images' dtype, zero on the
    border rows and columns (``skimage.feature._hog._hog_channel_gradient``).
    ``index`` indexes ``images.ravel()``; ``g_row``, ``g_col`` and
    ``magnitude`` (``sqrt(g_row**2 + g_col**2)``, with ``np.hypot`` if a
    square overflows) have the images' dtype.
    """
    g_row = np.zeros_like(images)
    np.subtract(images[:, 2:, :], images[:, :-2, :], out=g_row[:, 1:-1, :])
    g_col = np.zeros_like(images)
    np.subtract(images[:, :, 2:], images[:, :, :-2], out=g_col[:, :, 1:-1])
    nonzero = (g_row != 0).ravel()
    nonzero |= (g_col != 0).ravel()
    index = np.flatnonzero(nonzero)
    g_row, g_col = g_row.ravel()[index], g_col.ravel()[index]
    magnitude = np.sqrt(g_row * g_row + g_col * g_col)
    if np.isinf(magnitude).any():  # a square overflowed; np.hypot does not, but is slower
        magnitude = np.hypot(g_col, g_row)
    return {"index": index, "g_row": g_row, "g_col": g_col, "magnitude": magnitude}


def _orientation_bins(g_row, g_col, n_bins, tolerance=1e-5):
    """The orientation bin of each gradient, ``n_bins`` for none, as scikit-image's.

    scikit-image's ``hog_histograms`` puts in bin ``i`` the orientations
    ``np.rad2deg(np.arctan2(g_row, g_col)) % 180`` (float64) in
    ``[180 / n_bins * i, 180 / n_bins * (i + 1))``, and an orientation rounded
    up to the last edge in none. The bins are computed here in float32, whose
    error is far below ``tolerance`` bins; the gradients within ``tolerance``
    bins of an edge are binned again the float64 way, so that every bin is
    scikit-image's.
    """
    position = np.arctan2(g_row, g_col, dtype=np.float32)  # in [-pi, pi]
    position *= np.float32(n_bins / np.pi)
    position += np.float32(n_bins) * (position < 0)  # in [0, n_bins] (faster than np.add(..., where=))
    bins = position.astype(np.intp)
    offset = position - np.rint(position)
    near = np.flatnonzero(np.abs(offset, out=offset) < tolerance * n_bins)
    bins[near] = 0  # the orientation of a gradient with g_row == 0 is 0 or 180 % 180 == 0
    near = near[g_row[near] != 0]
    bins[near] = _exact_orientation_bins(g_row[near], g_col[near], n_bins)
    return bins


def _exact_orientation_bins(g_row, g_col, n_bins):
    """The bins of scikit-image's float64 orientations, ``n_bins`` for none."""
    orientation = np.rad2deg(np.arctan2(g_row.astype(np.float64), g_col.astype(np.float64))) % 180
    edges = 180.0 / n_bins * np.arange(n_bins + 1)
    bins = np.searchsorted(edges, orientation, side="right") - 1
    return np.minimum(bins, n_bins)  # at or above the last edge: in no bin


class _CellRegions:
    """The regions that the cell boundaries of several cell sizes cut an image into.

    Along each axis, the boundaries are the multiples of each cell length up
    to its last whole cell; the pixels beyond the last boundary form a last
    region, in no cell. Every cell of every size is a block of consecutive
    regions, so the histograms of all cell sizes are sums of the regions'.
    """

    def __init__(self, shape, cells):
        self.shape = shape
        self.bounds = [
            np.unique(np.concatenate([np.arange(length // cell[axis] + 1) * cell[axis] for cell in cells]))
            for axis, length in enumerate(shape)
        ]
        self.n_regions = tuple(len(bounds) for bounds in self.bounds)

    def histograms(self, gradients, bins, n_images, n_bins):
        """Magnitude-weighted orientation histograms of each region, (rows, cols, n, n_bins + 1), float32.

        The images are the inner axes, so that the cells' sums add contiguous
        arrays. Bin ``n_bins`` holds the gradients in no bin.
        """
        region = _pixel_regions(n_images, self.shape, tuple(tuple(b) for b in self.bounds), n_bins)
        index = region[gradients["index"]] + bins
        size = self.n_regions[0] * self.n_regions[1] * n_images * (n_bins + 1)
        histograms = np.bincount(index, weights=gradients["magnitude"], minlength=size).astype(np.float32)
        return histograms.reshape(*self.n_regions, n_images, n_bins + 1)

    def cell_starts(self, cell, axis):
        """The region where each cell along ``axis`` starts, and the end of the last cell."""
        n_cells = self.shape[axis] // cell[axis]
        return np.searchsorted(self.bounds[axis], cell[axis] * np.arange(n_cells + 1))


@functools.lru_cache(maxsize=8)
def _pixel_regions(n_images, shape, bounds, n_bins):
    """The first histogram bin of each pixel of ``n_images`` images, by region then image (read-only)."""
    rows, cols = (
        np.searchsorted(b, np.arange(length), side="right") - 1 for b, length in zip(bounds, shape, strict=True)
    )
    region = (rows[:, None] * len(bounds[1]) + cols[None, :]).ravel()
    region = (region[None, :] * n_images + np.arange(n_images)[:, None]).ravel() * (n_bins + 1)
    region.flags.writeable = False
    return region


def _cell_histograms(region_histograms, regions, cell):
    """Orientation histograms of each cell, shape (n, cell rows, cell cols, n_bins), float32.

    As scikit-image's ``hog_histograms``: the pixels beyond the last whole
    cell are left out, and each histogram is divided by the number of pixels
    of a cell.
    """
    rows, cols = regions.cell_starts(cell, 0), regions.cell_starts(cell, 1)
    by_rows = np.empty((len(rows) - 1, *region_histograms.shape[1:]), np.float32)
    for i, (start, stop) in enumerate(pairwise(rows)):
        np.sum(region_histograms[start:stop], axis=0, out=by_rows[i])
    histograms = np.empty((len(rows) - 1, len(cols) - 1, *region_histograms.shape[2:]), np.float32)
    for j, (start, stop) in enumerate(pairwise(cols)):
        np.sum(by_rows[:, start:stop], axis=1, out=histograms[:, j])
    histograms = histograms[..., :-1].transpose(2, 0, 1, 3)  # (n, cell rows, cell cols, n_bins)
    return np.multiply(histograms, 1 / (cell[0] * cell[1]), dtype=np.float32)


def _n_block_features(n_cells, kwargs):
    """The number of features of ``n_cells`` (rows, columns) cells, with ``kwargs`` of one cell size."""
    (b_row, b_col), n_bins = kwargs["cells_per_block"], kwargs["orientations"]
    return (n_cells[0] - b_row + 1) * (n_cells[1] - b_col + 1) * b_row * b_col * n_bins


def _normalized_blocks(histograms, block, method, out, eps=1e-5):
    """Write into ``out`` (n, n_features) the blocks of cells, each normalised.

    The features of an image are its blocks, each ``(block rows, block cols,
    n_bins)``, in row-major order, normalised as by
    ``skimage.feature._hog._hog_normalize_block``, in the histograms' dtype.
    The first norm of each block is summed from the norms of its cells.
    """
    b_row, b_col = block
    n_images, n_rows, n_cols, _ = histograms.shape
    rows, cols = n_rows - b_row + 1, n_cols - b_col + 1
    l1 = method in ("L1", "L1-sqrt")
    cell_norms = np.abs(histograms).sum(axis=-1) if l1 else np.einsum("...i,...i->...", histograms, histograms)
    block_norms = sum(cell_norms[:, i : i + rows, j : j + cols] for i in range(b_row) for j in range(b_col))
    block_norms = block_norms + eps if l1 else np.sqrt(block_norms + eps**2, dtype=histograms.dtype)
    windows = np.lib.stride_tricks.sliding_window_view(histograms, (b_row, b_col), axis=(1, 2))
    # (n, block rows, block cols, b_row, b_col, n_bins), contiguous: numpy's loops over it are long and fast
    blocks = windows.transpose(0, 1, 2, 4, 5, 3).copy()  # a new C-ordered array, even with 1 x 1 blocks
    flat = blocks.reshape(n_images, rows, cols, -1)
    if method == "L2-Hys":  # min(h / n1, 0.2) / n2 is min(h, 0.2 n1) / sqrt(|min(h, 0.2 n1)|^2 + (n1 eps)^2)
        np.minimum(flat, 0.2 * block_norms[..., None], out=flat)
        block_norms = np.sqrt(np.einsum("...i,...i->...", flat, flat) + (block_norms * eps) ** 2)
    flat /= block_norms[..., None]
    if method == "L1-sqrt":
        np.sqrt(flat, out=flat)
    out[...] = flat.reshape(out.shape)
    return out
