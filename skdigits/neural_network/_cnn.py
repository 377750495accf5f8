"""A convolutional network classifier in Keras, as a scikit-learn estimator."""

import math

import numpy as np

from ._base import BaseKerasDigitsClassifier, keras
from ._params import check_positive_int, check_real, is_int, layer_sizes


class KerasCNNClassifier(BaseKerasDigitsClassifier):
    """Convolutional network classifier for images given as table rows.

    Each row of ``X`` is one image, flattened in row-major order (784 columns
    for MNIST); the network reshapes it to ``image_shape`` itself, so the
    classifier takes the same table as any scikit-learn estimator. After
    standardising the input (raw 0-255 pixels train as well as 0-1 ones) the
    network stacks convolution blocks, each of ``convs_per_block``
    convolutions with optional batch normalisation, then pooling and
    dropout, then a dense head and a softmax output. Optional training-time
    augmentation shifts and rotates the images a little; it is inactive at
    prediction.

    Parameters
    ----------
    filters : tuple of int or int, default=(32, 64)
        The number of filters of each convolution block; an int for one
        block, () for none.
    kernel_size : int, default=3
        The side of the square convolution kernels.
    convs_per_block : int, default=1
        Convolutions in each block, before its pooling.
    pooling : {'max', 'average'}, default='max'
        The 2x2 pooling that ends each block.
    batch_normalization : bool, default=True
        Batch normalisation after each convolution and dense layer.
    dropout : float, default=0.1
        Dropout rate after each block and each dense layer; 0 disables it.
    dense_layer_sizes : tuple of int or int, default=(128,)
        Widths of the dense layers of the head; an int for one layer, () for
        none.
    augment : bool, default=False
        Random shifts (``shift_range``) and rotations (``rotation_range``)
        of the training images.
    shift_range : float, default=0.1
        The largest shift, as a fraction of the image's height and width.
    rotation_range : float, default=10
        The largest rotation, in degrees.
    image_shape : tuple of 2 or 3 ints, or None, default=(28, 28, 1)
        ``(height, width)`` of single-channel images, or ``(height, width,
        channels)`` (a tuple, list or 1-d array): positive ints whose product is the number of columns of
        ``X``. None infers it: square single-channel images when the number
        of columns is a perfect square, else a strip of height 1. Checked at
        fit, before any work.
    optimizer : str or keras.optimizers.Optimizer, default='adam'
        The optimizer, by name, class or instance. ``learning_rate`` applies
        to a name or class; an instance keeps its own.
    learning_rate : float, default=5e-3
        The learning rate: the peak of the 'one-cycle' schedule, the start
        of the 'cosine' one.
    learning_rate_schedule : {'one-cycle', 'cosine', 'constant', 'plateau'}, default='one-cycle'
        'one-cycle' (:class:`~skdigits.neural_network.OneCycleSchedule`) rises
        to ``learning_rate`` over the first quarter of the batches, then
        anneals towards 0 along a half cosine; 'cosine' anneals from
        ``learning_rate`` towards 0 over ``epochs``, epoch by epoch;
        'plateau' holds out ``validation_fraction`` of the training rows
        (stratified; or watches ``validation_data``), trains at the constant
        ``learning_rate`` until their loss has not improved for
        ``n_iter_no_change`` epochs, then anneals the rate towards 0 along a
        half cosine, on every row, for ``anneal_fraction`` of the epochs
        trained so far (at least 2), and keeps the last epoch: ``epochs``
        is the budget of both phases, ``n_iter_`` what they took. Not with
        ``early_stopping``.
    batch_size : int, default=128
        Samples per gradient step.
    epochs : int, default=4
        Passes over the training data (fewer with early stopping).
    min_steps : int or None, default=None
        The fewest gradient steps a fit takes: on a training set too small for
        ``epochs`` passes to give that many batches, the passes are raised
        until they do (the schedule spans them). A budget that adapts to the
        data's size; with ``early_stopping``, the held-out loss chooses the
        epoch kept (``n_iter_``). None: ``epochs`` passes.
    early_stopping : bool or 'auto', default=False
        Hold out ``validation_fraction`` of the training data (stratified)
        and stop when its loss has not improved for ``n_iter_no_change``
        epochs, keeping the best epoch's weights. 'auto': only when
        ``min_steps`` raises the epochs (a training set small enough that the
        budget may exceed what it needs); on larger ones every row trains and
        every epoch is kept.
    validation_fraction : float, default=0.1
        The held-out fraction for early stopping.
    n_iter_no_change : int, default=3
        Patience of early stopping, and of the 'plateau' schedule, in epochs.
    anneal_fraction : float, default=0.5
        The 'plateau' schedule's anneal, as a fraction of the epochs trained
        at the constant rate (at least 2, within ``epochs``): 0.5 anneals
        for half as many epochs again, 1.0 for as many. Ignored by the other
        schedules.
    callbacks : list of keras.callbacks.Callback, default=None
        Extra Keras callbacks for ``fit`` and ``predict``.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout, augmentation and shuffling.
        With an int, fitting twice gives identical predictions on CPU; global
        random states are restored after fit.
    verbose : int, default=0
        Keras's progress output: 0 silent, 1 progress bar, 2 one line per
        epoch.
    **kwargs : dict
        Routed parameters: names starting with ``optimizer__``,
        ``callbacks__``, ``fit__``, ``predict__`` or ``compile__``.

    Attributes
    ----------
    model_ : keras.Model
        The trained network.
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``.
    n_classes_ : int
        The number of classes.
    n_features_in_ : int
        The number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` was a DataFrame with string column names.
    epochs_ : int
        The passes planned: ``epochs``, or more to reach ``min_steps``.
    n_iter_ : int
        The epochs whose weights the model holds: with ``early_stopping``,
        the epoch of the lowest held-out loss, else the epochs trained.
    history_ : dict of str to list of float
        Per-epoch ``loss`` and ``accuracy``, and ``val_loss`` and
        ``val_accuracy`` with early stopping.

    See Also
    --------
    KerasMLPClassifier : A fully connected network.

    Examples
    --------
    >>> from skdigits import KerasCNNClassifier
    >>> from skdigits.datasets import load_mnist
    >>> X, y = load_mnist(split="test", return_X_y=True)
    >>> clf = KerasCNNClassifier(filters=(8,), dense_layer_sizes=(), epochs=3, batch_size=32, random_state=0)
    >>> clf.fit(X[:2000], y[:2000]).score(X[2000:3000], y[2000:3000]) > 0.85
    True
    """

    def __init__(
        self,
        filters=(32, 64),
        *,
        kernel_size=3,
        convs_per_block=1,
        pooling="max",
        batch_normalization=True,
        dropout=0.1,
        dense_layer_sizes=(128,),
        augment=False,
        shift_range=0.1,
        rotation_range=10,
        image_shape=(28, 28, 1),
        optimizer="adam",
        learning_rate=5e-3,
        learning_rate_schedule="one-cycle",
        batch_size=128,
        epochs=4,
        min_steps=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=3,
        anneal_fraction=0.5,
        callbacks=None,
        random_state=None,
        verbose=0,
        **kwargs,
    ):
        self.filters = filters
        self.kernel_size = kernel_size
        self.convs_per_block = convs_per_block
        self.pooling = pooling
        self.batch_normalization = batch_normalization
        self.dropout = dropout
        self.dense_layer_sizes = dense_layer_sizes
        self.augment = augment
        self.shift_range = shift_range
        self.rotation_range = rotation_range
        self.image_shape = image_shape
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.batch_size = batch_size
        self.epochs = epochs
        self.min_steps = min_steps
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.anneal_fraction = anneal_fraction
        self.callbacks = callbacks
        self.random_state = random_state
        self.verbose = verbose
        vars(self).update(kwargs)

    def _check_params(self):
        super()._check_params()
        shape = self.image_shape
        if shape is not None and not (
            isinstance(shape, (tuple, list, np.ndarray)) and len(shape) in (2, 3)
            and all(is_int(d) and d >= 1 for d in shape)
        ):
            raise ValueError(
                f"{type(self).__name__}: image_shape must be (height, width) or (height, width, channels) "
                f"of positive ints, got {shape!r}; set it to your images' shape, e.g. image_shape=(28, 28) "
                "for MNIST, or image_shape=None to infer square single-channel images"
            )
        if self.pooling not in ("max", "average"):
            raise ValueError(f"pooling must be 'max' or 'average', got {self.pooling!r}")
        owner = type(self).__name__
        layer_sizes(owner, "filters", self.filters, example="(32, 64)", per="convolution block")
        layer_sizes(owner, "dense_layer_sizes", self.dense_layer_sizes, example="(128,)")
        check_positive_int(owner, "kernel_size", self.kernel_size)
        check_positive_int(owner, "convs_per_block", self.convs_per_block)
        check_real(owner, "shift_range", self.shift_range, 0, 1,
                   meaning="the largest shift, as a fraction of the image")
        check_real(owner, "rotation_range", self.rotation_range, 0, 180, meaning="the largest rotation, in degrees")

    def _image_shape(self, n_features):
        """``(height, width, channels)`` of the images in ``n_features`` columns (``image_shape`` checked)."""
        if self.image_shape is None:
            side = math.isqrt(n_features)
            return (side, side, 1) if side * side == n_features else (1, n_features, 1)
        shape = tuple(int(d) for d in self.image_shape)
        return shape if len(shape) == 3 else (*shape, 1)

    def _check_input_width(self, n_features):
        shape = self._image_shape(n_features)
        if math.prod(shape) != n_features:
            given = tuple(int(d) for d in self.image_shape)
            raise ValueError(
                f"{type(self).__name__} got X with {n_features} columns, but image_shape={given!r} holds "
                f"{' x '.join(map(str, shape))} = {math.prod(shape)} pixels; "
                "set image_shape=(height, width) or (height, width, channels) to your images' shape, with "
                f"that product equal to {n_features}, or image_shape=None to infer square single-channel images"
            )

    def _build_network(self, inputs, n_classes):
        x = keras.layers.Reshape(self._image_shape(self.n_features_in_), name="image")(inputs)
        if self.augment:
            background = -self._input_mean / self._input_std  # a 0 pixel, standardised
            x = keras.layers.RandomTranslation(
                self.shift_range, self.shift_range, fill_mode="constant", fill_value=background
            )(x)
            x = keras.layers.RandomRotation(
                self.rotation_range / 360, fill_mode="constant", fill_value=background
            )(x)
        pool = keras.layers.MaxPooling2D if self.pooling == "max" else keras.layers.AveragePooling2D
        for n_filters in layer_sizes(type(self).__name__, "filters", self.filters):
            for _ in range(self.convs_per_block):
                x = keras.layers.Conv2D(
                    n_filters, self.kernel_size, padding="same", use_bias=not self.batch_normalization
                )(x)
                x = self._normalized_relu(x)
            x = pool(2, padding="same")(x)
            if self.dropout:
                x = keras.layers.Dropout(self.dropout)(x)
        x = keras.layers.Flatten()(x)
        for width in layer_sizes(type(self).__name__, "dense_layer_sizes", self.dense_layer_sizes):
            x = keras.layers.Dense(width, use_bias=not self.batch_normalization)(x)
            x = self._normalized_relu(x)
            if self.dropout:
                x = keras.layers.Dropout(self.dropout)(x)
        return keras.layers.Dense(n_classes, activation="softmax", name="probabilities")(x)

    def _normalized_relu(self, x):
        if self.batch_normalization:
            # Momentum 0.9 rather than Keras's 0.99: the moving statistics used
            # at prediction settle within tens of steps, so small training
            # sets (cross-validation folds, quick runs) predict well too.
            x = keras.layers.BatchNormalization(momentum=0.9)(x)
        return keras.layers.Activation("relu")(x)
