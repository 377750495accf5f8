"""The user's own Keras build function, as a scikit-learn classifier."""

import inspect

import numpy as np

from ._base import BaseKerasClassifier

# isort: split
from scikeras._utils import accepts_kwargs, route_params  # noqa: E402  (after _base: TensorFlow quietly)


class KerasClassifier(BaseKerasClassifier):
    """A Keras model of your own as a scikit-learn classifier.

    A drop-in for SciKeras' ``KerasClassifier``: the same ``model=`` build
    function, the same parameters, and the same routed ones (``model__``
    to the build function, ``optimizer__``, ``loss__``, ``metrics__``,
    ``compile__``, ``fit__``, ``predict__``, and ``callbacks__`` to the
    callbacks). Unlike SciKeras' class, it is a classifier for scikit-learn
    >= 1.6 (``is_classifier`` is True, so cross-validation stratifies; its
    tags are right; it passes scikit-learn's estimator checks), and, like
    skdigits' own networks, it is seeded by ``random_state`` (restoring
    every global random state after fit), quiet (no TensorFlow log noise,
    ``verbose=0``) and trained on a fixed number of threads (``SKDIGITS_TF_THREADS``).

    Parameters
    ----------
    model : callable or keras.Model, default=None
        The build function, called at each fit. It takes any of: its own
        parameters, given as ``model__name=value`` or as extra keyword
        arguments (``name=value``) of this class; ``meta``, a dict of what
        fit learnt about the data (``n_features_in_``, ``n_classes_``,
        ``classes_``, ``X_shape_``, ``target_type_``...); ``compile_kwargs``,
        the arguments for ``keras.Model.compile``; and ``params``, all of
        ``get_params()``. It returns a ``keras.Model``, compiled or not (if
        not, ``optimizer``, ``loss`` and ``metrics`` compile it). A
        pre-built ``keras.Model`` is accepted too.
    warm_start : bool, default=False
        Go on training the network of the previous fit instead of building a
        new one.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and shuffling. With an int,
        fitting twice gives identical predictions on CPU; Python's, NumPy's,
        TensorFlow's and Keras's global random states are restored after fit.
    optimizer : str, keras.optimizers.Optimizer or its class, default='rmsprop'
        The optimizer, for a model the build function left uncompiled; its
        arguments are routed as ``optimizer__learning_rate=...``.
    loss : str, keras.losses.Loss or callable, default=None
        The loss, for an uncompiled model. With
        ``'sparse_categorical_crossentropy'`` the network gets labels
        ``0..n_classes - 1``; with ``'categorical_crossentropy'``, one-hot rows;
        with ``'binary_crossentropy'``, 0/1 (one sigmoid output).
    metrics : list of str or keras.metrics.Metric, default=None
        Metrics reported in ``history_``.
    batch_size : int, default=None
        Samples per gradient step; None is Keras's default, 32.
    validation_batch_size : int, default=None
        Samples per batch of the validation data.
    verbose : int, default=0
        Keras's progress output: 0 silent (SciKeras' default is 1), 1
        progress bar, 2 one line per epoch.
    callbacks : list of keras.callbacks.Callback, default=None
        Keras callbacks for ``fit`` and ``predict``; their arguments are
        routed as ``callbacks__name=value``.
    validation_split : float, default=0.0
        The fraction of the training data Keras holds out for validation.
    shuffle : bool, default=True
        Shuffle the training data before each epoch.
    run_eagerly : bool, default=False
        Run the model eagerly (for debugging).
    epochs : int, default=1
        Passes over the training data.
    class_weight : dict, 'balanced' or None, default=None
        Weights of the classes in the loss, as scikit-learn's classifiers
        take them.
    **kwargs : dict
        Parameters of the build function (passed to it by name) and routed
        parameters.

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
    history_ : dict of str to list of float
        Per-epoch loss and metrics.

    See Also
    --------
    KerasMLPClassifier : skdigits' fully connected network.
    KerasCNNClassifier : skdigits' convolutional network.

    Examples
    --------
    >>> from skdigits import KerasClassifier  # before keras: TensorFlow starts quietly
    >>> import keras
    >>> from skdigits.datasets import load_mnist
    >>> def build(hidden=32, meta=None):
    ...     return keras.Sequential([
    ...         keras.Input((meta["n_features_in_"],)),
    ...         keras.layers.Rescaling(1 / 255),
    ...         keras.layers.Dense(hidden, activation="relu"),
    ...         keras.layers.Dense(meta["n_classes_"], activation="softmax"),
    ...     ])
    >>> X, y = load_mnist(split="test", return_X_y=True)
    >>> clf = KerasClassifier(build, hidden=64, loss="sparse_categorical_crossentropy",
    ...                       optimizer="adam", epochs=3, random_state=0)
    >>> clf.fit(X[:2000], y[:2000]).score(X[2000:3000], y[2000:3000]) > 0.85
    True
    """

    # SciKeras' deprecated name for ``model``, read by its build step.
    build_fn = None

    def __init__(
        self,
        model=None,
        *,
        warm_start=False,
        random_state=None,
        optimizer="rmsprop",
        loss=None,
        metrics=None,
        batch_size=None,
        validation_batch_size=None,
        verbose=0,
        callbacks=None,
        validation_split=0.0,
        shuffle=True,
        run_eagerly=False,
        epochs=1,
        class_weight=None,
        **kwargs,
    ):
        self.model = model
        self.warm_start = warm_start
        self.random_state = random_state
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.batch_size = batch_size
        self.validation_batch_size = validation_batch_size
        self.verbose = verbose
        self.callbacks = callbacks
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.run_eagerly = run_eagerly
        self.epochs = epochs
        self.class_weight = class_weight
        vars(self).update(kwargs)
        if kwargs:  # as SciKeras: the extra parameters go to the build function
            self._user_params = set(kwargs)

    def _check_params(self):
        if self.model is None and self.build_fn is None:
            raise ValueError(
                f"{type(self).__name__} needs model=, a function that builds a keras.Model "
                "(or a keras.Model)"
            )
        if not isinstance(self.epochs, (int, np.integer)) or self.epochs < 1:
            raise ValueError(f"epochs must be a positive integer, got {self.epochs!r}")
        self._check_build_arguments()

    def _check_build_arguments(self):
        """Raise if the build function does not take a parameter meant for it."""
        build = self.model if self.model is not None else self.build_fn
        if hasattr(build, "fit") or not inspect.isfunction(build) or accepts_kwargs(build):
            return  # a keras.Model built already, a partial, or a function taking **kwargs
        params = route_params(
            self.get_params(), "model", pass_filter=getattr(self, "_user_params", set()), strict=True
        )
        taken = inspect.signature(build).parameters
        refused = sorted(name for name in params if name not in taken)
        if refused:
            raise ValueError(
                f"the build function {getattr(build, '__name__', build)!r} takes no argument "
                f"{', '.join(map(repr, refused))}, given to {type(self).__name__} as a parameter; "
                "add it to the function's arguments, or route it elsewhere with a prefix "
                "(fit__, predict__, compile__, optimizer__, loss__, metrics__, callbacks__)"
            )
