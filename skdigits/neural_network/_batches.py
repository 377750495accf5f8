"""A fit's training rows in memory, served to Keras as shuffled batches of any subset of them."""

import numpy as np

from ._tf import tf


class TrainingRows:
    """The arrays of one fit, held once as tensors; each batch gathered from them by shuffled row indices.

    Keras's adapter for NumPy arrays spends seconds per fit setting up and
    tearing down (18 s after a 24 s epoch of our CNN on 2 cores); tensors in
    memory start at once. But a tensor made of an array costs twice the
    array's size (TensorFlow 2.21, measured), and slicing it into a
    ``tf.data`` pipeline a further copy in the shuffle buffer, and another
    for an early-stopping split: 1.1 GB more at the peak of the MLP's refit
    on MNIST's HOG features. Here only the row indices go through
    ``tf.data``, shuffled, and each batch is taken from the arrays
    themselves: the same batches, in the same order, as
    ``Dataset.from_tensor_slices(arrays[rows]).shuffle(len(rows), seed)``
    would give, with no copy of the rows (the held-out split and the
    'plateau' schedule's two phases share them). TensorFlow keeps every
    ``numpy_function`` it was given, and so this object, until the process
    ends: :meth:`close` it after the fit (``contextlib.closing``) to let go
    of the arrays.

    Parameters
    ----------
    X, y : ndarray
        The encoded features and targets, one row per sample.
    sample_weight : array-like of shape (n_samples,) or None
        Weights of the samples in the loss.
    batch_size : int
        Rows per batch; the last batch of a pass may have fewer.
    shuffle : bool
        Whether each pass visits the rows in a new order.
    seed : int or None
        Seed of the order; None for an unseeded one.
    """

    def __init__(self, X, y, sample_weight, batch_size, shuffle, seed):
        self.X, self.y = X, y
        self._arrays = (X, y) if sample_weight is None else (X, y, np.asarray(sample_weight, dtype=np.float32))
        self.batch_size, self.shuffle, self.seed = batch_size, shuffle, seed

    def close(self):
        """Let go of the arrays; the pipelines of :meth:`batches` then have no rows to serve."""
        self.X = self.y = None
        self._arrays = ()

    def count(self, rows=None):
        """The number of rows of a pass over ``rows`` (all rows if None)."""
        return len(self.X) if rows is None else len(rows)

    def batches(self, rows=None):
        """A ``tf.data`` pipeline of ``(X, y[, sample_weight])`` batches of ``rows`` (indices; all rows if None)."""
        n_rows = self.count(rows)
        order = tf.data.Dataset.range(n_rows)
        if self.shuffle:
            order = order.shuffle(n_rows, seed=self.seed, reshuffle_each_iteration=True)
        if rows is not None:
            rows = np.asarray(rows, dtype=np.int64)

        def take(positions):
            where = positions if rows is None else rows[positions]
            return tuple(array[where] for array in self._arrays)

        dtypes = [tf.as_dtype(array.dtype) for array in self._arrays]
        shapes = [(None, *array.shape[1:]) for array in self._arrays]

        def gather(positions):
            batch = tf.numpy_function(take, [positions], dtypes)
            for tensor, shape in zip(batch, shapes, strict=True):
                tensor.set_shape(shape)
            return tuple(batch)

        return order.batch(self.batch_size).map(gather).prefetch(tf.data.AUTOTUNE)
