"""The layer between SciKeras and scikit-learn that our Keras classifiers share.

SciKeras 0.13 predates scikit-learn 1.6's tags and its stricter estimator
checks, and its classes cannot be subclassed into a classifier that passes
them (see :mod:`skdigits.neural_network._scikeras`). :class:`BaseKerasClassifier`
keeps what SciKeras is chosen for (a Keras model behind the classifier API,
routed parameters such as ``optimizer__beta_1``, ``callbacks__...`` and
``fit__...``, warm starts, ``partial_fit``) on a layout scikit-learn
accepts, and replaces what no longer holds:

* tags: ``is_classifier`` is True, so that cross-validation stratifies;
* input validation with :func:`sklearn.utils.validation.validate_data`
  (``n_features_in_``, ``feature_names_in_``, clear errors);
* seeding that restores all global random state afterwards, TensorFlow
  imported without its log noise and trained on a fixed number of threads,
  whatever the cores or the search's workers (``SKDIGITS_TF_THREADS``).

:class:`BaseKerasDigitsClassifier` adds what our own two networks share:
explicit, documented hyperparameters (``fit`` refuses a name that is neither
one nor routed), learning-rate schedules, early stopping and training from
``tf.data`` batches gathered from the arrays in memory (:class:`TrainingRows`).
"""

import contextlib
import math

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import train_test_split
from sklearn.utils import ClassifierTags, check_random_state
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from ._batches import TrainingRows
from ._params import check_positive_int, check_real
from ._schedules import OneCycleSchedule, PlateauStop, anneal_epochs, anneal_rate
from ._tf import seeded

# isort: split
import keras  # noqa: E402  (after _tf, which imports TensorFlow quietly)
from scikeras._utils import get_optimizer_class, route_params  # noqa: E402

# isort: split
from ._scikeras import SciKerasMethods  # noqa: E402

# Routed parameters this layer passes on, by prefix.
ROUTING_PREFIXES = ("optimizer", "callbacks", "fit", "predict", "compile")
LEARNING_RATE_SCHEDULES = ("one-cycle", "cosine", "constant", "plateau")


def _mean_std(X, rows_per_chunk=4096):
    """Mean and standard deviation of all values of X, in float64, by chunks.

    The same figures as ``X.mean()`` and ``X.std()`` with a float64
    accumulator, without their 8-bytes-per-value temporary copy of X.
    """
    chunks = [X[i : i + rows_per_chunk] for i in range(0, len(X), rows_per_chunk)]
    mean = sum(float(c.sum(dtype=np.float64)) for c in chunks) / X.size
    squares = sum(float(np.square(c - mean, dtype=np.float64).sum()) for c in chunks)
    return mean, math.sqrt(squares / X.size) or 1.0


def _shape_of(value):
    """'a tuple of 1', 'ndarray': what a value that should be a tuple of 2 or 3 is."""
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)}"
    return type(value).__name__


def _refuse_validation_split(name):
    """Raise: Keras splits off validation rows only from arrays, and our networks train from ``tf.data``."""
    raise ValueError(
        f"{name} is not supported: the network trains from a tf.data pipeline, which Keras cannot split; "
        "use early_stopping=True, validation_fraction=... to hold out validation rows"
    )


class BaseKerasClassifier(ClassifierMixin, SciKerasMethods, BaseEstimator):
    """Base class of skdigits' Keras classifiers; not for direct use.

    SciKeras' classifier (:class:`~skdigits.neural_network._scikeras.SciKerasMethods`)
    with scikit-learn's tags and input validation, fits that are seeded
    (``random_state``) and trained on a fixed number of threads whatever the
    layout (``SKDIGITS_TF_THREADS``, see
    :func:`~skdigits.neural_network.reproducibility_facts`), and the methods
    of SciKeras that it could not borrow.

    What ``fit(X, y)`` calls, in order (ours are defined in this module,
    SciKeras' are borrowed unchanged from ``scikeras.wrappers.BaseWrapper``):

    1. ``fit`` (ours): resets ``classes_``, gets ``epochs``, applies
       ``class_weight`` to ``sample_weight``;
    2. ``_fit`` (ours): ``_check_params``, then, seeded, SciKeras' ``_fit``:
    3. ``_initialize`` (SciKeras), unless warm-starting an initialised
       model, which calls ``_validate_data(X, y, reset=True)`` (ours), fits
       ``target_encoder`` and ``feature_encoder`` (SciKeras), then
       ``_build_keras_model`` (SciKeras; ours in the digit networks, which
       call ``_keras_build_fn`` with ``_get_compile_kwargs``) and
       ``_initialize_callbacks``; when warm-starting, only
       ``_validate_data(X, y)``;
    4. ``_ensure_compiled_model``, ``_validate_sample_weight``, the
       encoders' ``transform`` and ``_check_model_compatibility`` (SciKeras);
    5. ``_fit_keras_model`` (SciKeras'; ours in the digit networks, which
       train from ``tf.data`` batches with their schedules and early
       stopping), which calls Keras's ``Model.fit``.

    ``predict_proba`` (SciKeras) calls ``_predict_raw`` then the target
    encoder's ``inverse_transform``; the digit networks' own ``predict_proba``
    returns their ``_predict_raw``. ``initialize`` and ``partial_fit`` are
    ours, on steps 2 to 5 (``initialize`` stops after step 3).
    """

    def __sklearn_tags__(self):
        tags = BaseEstimator.__sklearn_tags__(self)
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags(multi_class=True, multi_label=False)
        tags.target_tags.required = True
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        return tags

    def _get_param_names(self):
        # SciKeras' returns a generator, which scikit-learn's error for an
        # unknown parameter then prints as "<generator object ...>": a list,
        # in the same order (``__init__``'s parameters, then routed ones).
        return [k for k in self.__dict__ if not k.endswith("_") and not k.startswith("_")]

    def set_params(self, **params):
        """Set parameters, routed ones (``optimizer__beta_1``...) included.

        Parameters
        ----------
        **params : dict
            Parameters by name; a name starting with a routing prefix such
            as ``model__``, ``optimizer__`` or ``fit__`` is set even if new.

        Returns
        -------
        self : object
            The estimator.
        """
        for name, value in params.items():
            if self._is_routed(name):
                setattr(self, name, value)
            else:
                BaseEstimator.set_params(self, **{name: value})
        return self

    @classmethod
    def _is_routed(cls, name):
        return any(name.startswith(prefix + "__") for prefix in cls._routing_prefixes)

    # -- data ----------------------------------------------------------------

    # Whether X may have more than 2 dimensions (the user's network may take images).
    _allow_nd = True

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        """Validate X (and y) as scikit-learn does, then :meth:`_record_data`; called by SciKeras.

        Sets ``n_features_in_`` (and ``feature_names_in_``), and refuses
        targets that are not class labels.
        """
        if X is None:  # SciKeras checks y alone in score()
            return None, check_array(y, ensure_2d=False, dtype=None)
        if y is None:
            X = validate_data(self, X, reset=reset, dtype=np.float32, allow_nd=self._allow_nd)
        else:
            X, y = validate_data(self, X, y, reset=reset, dtype=np.float32, allow_nd=self._allow_nd)
            self._check_targets(y, reset)
        return self._record_data(X, y, reset=reset, y_numeric=y_numeric)

    def _record_data(self, X, y, reset, y_numeric):
        """Record what the build function's ``meta`` tells of the data: SciKeras'
        ``X_shape_``, ``X_dtype_``, ``target_type_``, ``y_dtype_`` and ``y_ndim_``."""
        return SciKerasMethods._validate_data(self, X, y, reset=reset, y_numeric=y_numeric)

    def _check_targets(self, y, reset):
        """Raise unless ``y`` holds class labels, of two classes at least at fit."""
        check_classification_targets(y)
        if reset and np.unique(y).size < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in y; got 1 class"
            )

    # -- fitting -------------------------------------------------------------

    def initialize(self, X, y):
        """Build the network for ``(X, y)`` without training it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, as in ``fit``.
        y : array-like of shape (n_samples,)
            Labels, as in ``fit``.

        Returns
        -------
        self : object
            The classifier, ready to predict (with untrained weights).
        """
        self.classes_ = None
        self._check_params()
        with seeded(self._seed()):
            self._initialize(X, y)
        return self

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Train a new network on ``(X, y)``, or go on training with ``warm_start``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training samples.
        y : array-like of shape (n_samples,)
            Labels, of any type.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.
        **kwargs : dict
            Passed to ``keras.Model.fit``; prefer routed ``fit__`` parameters.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        self.classes_ = None
        kwargs.setdefault("epochs", getattr(self, "fit__epochs", self.epochs))
        kwargs.setdefault("initial_epoch", 0)
        self._fit(X, y, self._weights(y, sample_weight), warm_start=self.warm_start, **kwargs)
        return self

    def partial_fit(self, X, y, classes=None, sample_weight=None, **kwargs):
        """Train for one more epoch, keeping the network and its history.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training samples.
        y : array-like of shape (n_samples,)
            Labels.
        classes : array-like of shape (n_classes,), default=None
            All the labels of all the calls; needed in the first call only
            when its ``y`` lacks some.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.
        **kwargs : dict
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : object
            The classifier, trained one epoch more.
        """
        for name in ("epochs", "initial_epoch"):
            if name in kwargs:
                raise TypeError(f"partial_fit trains one epoch from the current one; got {name}")
        self.classes_ = classes if classes is not None else getattr(self, "classes_", None)
        self._fit(
            X, y, self._weights(y, sample_weight), warm_start=True,
            epochs=1, initial_epoch=self.current_epoch, **kwargs,
        )
        return self

    def _weights(self, y, sample_weight):
        """``sample_weight`` times the weights of ``class_weight``, if any (never in place)."""
        if self.class_weight is None:
            return sample_weight
        weights = compute_sample_weight(class_weight=self.class_weight, y=y)
        return weights if sample_weight is None else np.asarray(sample_weight, dtype=float) * weights

    def _check_params(self):
        """Raise if a parameter is invalid; called before each fit."""

    def _fit(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        self._check_params()
        with seeded(self._seed()):
            SciKerasMethods._fit(
                self,
                X,
                y,
                sample_weight=sample_weight,
                warm_start=warm_start,
                epochs=epochs,
                initial_epoch=initial_epoch,
                **kwargs,
            )

    def _seed(self):
        """The integer seed of this fit, or None for unseeded randomness."""
        if self.random_state is None:
            return None
        return int(check_random_state(self.random_state).randint(2**31 - 1))


class BaseKerasDigitsClassifier(BaseKerasClassifier):
    """Base class of skdigits' Keras classifiers; not for direct use.

    Subclasses define ``__init__`` with their hyperparameters (which must
    include ``optimizer``, ``learning_rate``, ``batch_size``, ``epochs``,
    ``min_steps``, ``early_stopping``, ``validation_fraction``, ``n_iter_no_change``,
    ``anneal_fraction``, ``callbacks``, ``random_state`` and ``verbose``) and
    ``_build_network(inputs, n_classes)``, which takes the standardised input
    tensor and returns the tensor of class probabilities.
    """

    # SciKeras reads these; here they are fixed, not hyperparameters.
    model = None
    build_fn = None
    warm_start = False
    loss = "sparse_categorical_crossentropy"
    metrics = ("accuracy",)
    class_weight = None
    _routing_prefixes = set(ROUTING_PREFIXES)

    # -- parameters ----------------------------------------------------------

    # Parameters are, as in SciKeras, the public attributes without a trailing
    # underscore: the ``__init__`` parameters and whatever else ``__init__``
    # or ``set_params`` was given. ``fit`` refuses names it cannot route.

    def _check_params(self):
        declared = set(BaseEstimator._get_param_names.__func__(type(self)))
        unknown = sorted(
            k for k in self._get_param_names() if k not in declared and not self._is_routed(k)
        )
        if unknown:
            raise ValueError(
                f"{type(self).__name__} got unknown parameters {unknown}; besides its "
                f"documented parameters it takes routed ones, starting with "
                f"{', '.join(p + '__' for p in ROUTING_PREFIXES)}"
            )
        if hasattr(self, "fit__validation_split"):
            _refuse_validation_split("fit__validation_split")
        owner = type(self).__name__
        for name in ("epochs", "batch_size", "n_iter_no_change"):
            check_positive_int(owner, name, getattr(self, name))
        if self.min_steps is not None:
            check_positive_int(owner, "min_steps", self.min_steps)
        check_real(owner, "learning_rate", self.learning_rate, 0, None, low_open=True,
                   meaning="the optimizer's step size, such as 1e-3")
        check_real(owner, "dropout", self.dropout, 0, 1, high_open=True,
                   meaning="the fraction of units dropped in training; 0 disables dropout")
        check_real(owner, "validation_fraction", self.validation_fraction, 0, 1, low_open=True, high_open=True)
        check_real(owner, "anneal_fraction", self.anneal_fraction, 0, None, low_open=True)
        self._check_schedule()

    def _check_schedule(self):
        """Raise if ``early_stopping`` or ``learning_rate_schedule`` is unknown, or they conflict."""
        if not (isinstance(self.early_stopping, (bool, np.bool_)) or self.early_stopping == "auto"):
            raise ValueError(f"early_stopping must be True, False or 'auto', got {self.early_stopping!r}")
        if self.learning_rate_schedule not in LEARNING_RATE_SCHEDULES:
            raise ValueError(
                f"learning_rate_schedule must be one of {', '.join(map(repr, LEARNING_RATE_SCHEDULES))}, "
                f"got {self.learning_rate_schedule!r}"
            )
        if self.learning_rate_schedule == "plateau" and (isinstance(self.early_stopping, str) or self.early_stopping):
            raise ValueError(
                "learning_rate_schedule='plateau' chooses the epochs itself, on a held-out validation_fraction, "
                f"and keeps the last; got early_stopping={self.early_stopping!r}: set early_stopping=False"
            )

    # -- data ----------------------------------------------------------------

    _allow_nd = False  # one row of pixels per image

    def _record_data(self, X, y, reset, y_numeric):
        """At fit, check the input width and record the statistics that standardise the input."""
        if reset and y is not None:
            self._check_input_width(X.shape[1])
            self._n_fit_rows = X.shape[0]
            # Inputs are standardised inside the network with these, so that
            # raw 0-255 pixels and pixels scaled to 0-1 train the same way.
            self._input_mean, self._input_std = _mean_std(X)
        return X, y

    def _check_input_width(self, n_features):
        """Raise if the network cannot take ``n_features`` inputs."""

    # -- the Keras model -----------------------------------------------------

    def _keras_build_fn(self, compile_kwargs):
        """Build and compile the network (called by SciKeras during fit)."""
        inputs = keras.Input(shape=(self.n_features_in_,), name="pixels")
        standardized = keras.layers.Normalization(
            axis=None, mean=self._input_mean, variance=self._input_std**2, name="standardize"
        )(inputs)
        outputs = self._build_network(standardized, self.n_classes_)
        model = keras.Model(inputs, outputs, name=type(self).__name__)
        model.compile(**compile_kwargs)
        self._initial_learning_rate = float(
            keras.ops.convert_to_numpy(model.optimizer.learning_rate)
        )
        return model

    def _build_keras_model(self):
        # Our build function takes its hyperparameters from self; SciKeras's
        # version also seeds with its own context, which fit's replaces.
        return self._keras_build_fn(compile_kwargs=self._get_compile_kwargs())

    def _get_compile_kwargs(self):
        params = self.get_params()
        optimizer = self.optimizer
        if isinstance(optimizer, str):
            optimizer = get_optimizer_class(optimizer)
        if isinstance(optimizer, type):
            options = {"learning_rate": self._learning_rate()}
            options.update(route_params(params, "optimizer", pass_filter=set(), strict=True))
            optimizer = optimizer(**options)
        compile_kwargs = dict(optimizer=optimizer, loss=self.loss, metrics=list(self.metrics))
        compile_kwargs.update(route_params(params, "compile", pass_filter=set()))
        return compile_kwargs

    def _learning_rate(self):
        """``learning_rate``, or the one-cycle schedule that peaks at it."""
        if self.learning_rate_schedule != "one-cycle":
            return self.learning_rate
        rows = self._n_fit_rows
        if self._stops_early(rows):
            rows -= max(int(round(self.validation_fraction * rows)), 1)
        steps_per_epoch = math.ceil(rows / self.batch_size)
        total_steps = self._planned_epochs(self.epochs, rows) * steps_per_epoch
        return OneCycleSchedule(self.learning_rate, total_steps=total_steps)

    def _stops_early(self, n_rows):
        """Whether a fit on ``n_rows`` rows stops early: always, never, or ('auto') if ``min_steps`` adds epochs."""
        if isinstance(self.early_stopping, str):  # 'auto'
            return self._planned_epochs(self.epochs, n_rows) > self.epochs
        return bool(self.early_stopping)

    def _planned_epochs(self, epochs, n_rows):
        """``epochs``, raised on ``n_rows`` training rows until they give ``min_steps`` batches."""
        min_steps = getattr(self, "min_steps", None)
        if min_steps is None:
            return epochs
        return max(epochs, math.ceil(min_steps / math.ceil(n_rows / self.batch_size)))

    def _learning_rate_callbacks(self, total):
        """The per-epoch callback of the 'cosine' schedule over ``total`` epochs, if that is the one."""
        if self.learning_rate_schedule != "cosine":
            return []
        initial = self._initial_learning_rate

        def cosine(epoch, lr):
            # From the initial rate towards 0 over ``epochs``; epochs beyond
            # (partial_fit, warm starts) keep the last rate.
            return initial * 0.5 * (1 + math.cos(math.pi * min(epoch, total - 1) / total))

        return [keras.callbacks.LearningRateScheduler(cosine)]

    # -- fitting -------------------------------------------------------------

    def _fit_keras_model(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        fit_args = dict(batch_size=self.batch_size, verbose=self.verbose, shuffle=True)
        fit_args.update(route_params(self.get_params(), "fit", pass_filter=set()))
        fit_args.update(kwargs)
        callbacks = list(self._fit_callbacks)
        training = TrainingRows(X, y, sample_weight, fit_args.pop("batch_size"), fit_args.pop("shuffle"), self._seed())
        with contextlib.closing(training) as data:  # TensorFlow keeps its batches' function for good, not the rows
            if self.learning_rate_schedule == "plateau" and not warm_start:
                self._fit_plateau_then_anneal(data, fit_args, callbacks, epochs)
            else:
                self._fit_rows(data, fit_args, callbacks, warm_start, epochs, initial_epoch)

    def _fit_rows(self, data, fit_args, callbacks, warm_start, epochs, initial_epoch):
        """Keras' fit of ``data``: ``epochs`` from ``initial_epoch``, early stopping and schedule as parameters say."""
        stops_early = self._stops_early(data.count())
        rows = None
        if "validation_data" in fit_args:
            fit_args["validation_data"] = self._encoded_validation_data(fit_args["validation_data"])
        elif stops_early:
            rows, fit_args["validation_data"] = self._hold_out(data)
        if stops_early:
            callbacks.append(
                keras.callbacks.EarlyStopping(
                    monitor="val_loss", patience=self.n_iter_no_change, restore_best_weights=True
                )
            )
        if not warm_start:
            self.epochs_ = epochs = self._planned_epochs(epochs, data.count(rows))
        callbacks += self._learning_rate_callbacks(getattr(self, "epochs_", self.epochs))
        history = self.model_.fit(
            data.batches(rows),
            epochs=initial_epoch + epochs,
            initial_epoch=initial_epoch,
            callbacks=callbacks,
            shuffle=False,  # the batches are shuffled already
            **fit_args,
        )
        if not warm_start or not hasattr(self, "history_") or initial_epoch == 0:
            self.history_ = {}
        for key, values in history.history.items():
            self.history_.setdefault(key, []).extend(float(v) for v in values)
        stopped = [c for c in callbacks if isinstance(c, keras.callbacks.EarlyStopping) and c.restore_best_weights]
        trained = len(history.history.get("loss", []))
        self.n_iter_ = initial_epoch + (stopped[0].best_epoch + 1 if stopped and stopped[0].best_weights is not None
                                        else trained)

    def _fit_plateau_then_anneal(self, data, fit_args, callbacks, epochs):
        """The 'plateau' schedule: the constant rate until the held-out loss stalls, then an anneal on every row.

        The first phase trains on all but the held-out ``validation_fraction``
        (or on all rows, given ``validation_data``) and stops as
        :class:`PlateauStop` says; the second goes on from its last weights,
        on every row, along :func:`anneal_rate` for :func:`anneal_epochs`
        epochs. Both within ``epochs_``; every epoch is kept. Both phases
        gather their batches from the same copy of the rows.
        """
        rows = None
        if "validation_data" in fit_args:
            fit_args["validation_data"] = self._encoded_validation_data(fit_args["validation_data"])
        else:
            rows, fit_args["validation_data"] = self._hold_out(data)
        self.epochs_ = budget = self._planned_epochs(epochs, data.count(rows))
        plateau = PlateauStop(self.n_iter_no_change, budget, self.anneal_fraction)
        stable = self.model_.fit(data.batches(rows), epochs=budget, callbacks=callbacks + [plateau], shuffle=False,
                                 **fit_args)
        self.history_ = {key: [float(v) for v in values] for key, values in stable.history.items()}
        start = len(stable.history["loss"])
        fit_args.pop("validation_data")
        length = anneal_epochs(start, budget, self.anneal_fraction)
        if length:
            initial = self._initial_learning_rate
            anneal = keras.callbacks.LearningRateScheduler(lambda epoch, lr: anneal_rate(initial, epoch, start, length))
            annealed = self.model_.fit(data.batches(), epochs=start + length, initial_epoch=start,
                                       callbacks=callbacks + [anneal], shuffle=False, **fit_args)
            for key, values in annealed.history.items():
                self.history_.setdefault(key, []).extend(float(v) for v in values)
        self.n_iter_ = start + length

    def _encoded_validation_data(self, data):
        """``validation_data`` given to fit, ``(X_val, y_val[, sample_weight])``, checked and encoded as X, y are."""
        if not isinstance(data, (tuple, list)) or len(data) not in (2, 3):
            raise ValueError(
                "validation_data must be a tuple (X_val, y_val) or (X_val, y_val, sample_weight), got "
                f"{_shape_of(data)}; or use early_stopping=True, validation_fraction=... to hold out rows"
            )
        X_val = validate_data(self, data[0], reset=False, dtype=np.float32, allow_nd=self._allow_nd)
        y_val = np.asarray(data[1])
        unseen = set(np.unique(y_val).tolist()) - set(self.classes_.tolist())
        if unseen:
            raise ValueError(f"validation_data has labels that fit's y has not: {sorted(map(str, unseen))}")
        encoded = (self.feature_encoder_.transform(X_val), self.target_encoder_.transform(y_val))
        return encoded + tuple(np.asarray(w, dtype=np.float32) for w in data[2:])

    def _hold_out(self, data):
        """Split off the validation set of early stopping, stratified if possible: (training rows, (X, y))."""
        y_flat = np.asarray(data.y).ravel()
        n_valid = max(int(round(self.validation_fraction * len(y_flat))), 1)
        _, counts = np.unique(y_flat, return_counts=True)
        stratify = y_flat if counts.min() >= 2 and n_valid >= counts.size else None
        train, valid = train_test_split(
            np.arange(len(y_flat)), test_size=n_valid, stratify=stratify, random_state=self._seed()
        )
        return train, (data.X[valid], data.y[valid])

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Train a new network on ``(X, y)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training images, one row each: an ndarray or DataFrame of uint8
            0-255 or float 0-1 pixels (the network standardises its input).
        y : array-like of shape (n_samples,)
            Labels, as ints or strings (OpenML's are ``'0'``..``'9'``).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the loss.
        **kwargs : dict
            Passed to ``keras.Model.fit``; prefer routed ``fit__`` parameters.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        if "validation_split" in kwargs:
            _refuse_validation_split("validation_split")
        return super().fit(X, y, sample_weight=sample_weight, **kwargs)

    def _predict_raw(self, X, **kwargs):
        check_is_fitted(self, "model_")
        X, _ = self._validate_data(X)
        predict_args = dict(batch_size=max(self.batch_size, 1024), verbose=0)
        predict_args.update(route_params(self.get_params(), "predict", pass_filter=set()))
        predict_args.update(kwargs)
        return self.model_.predict(x=X, callbacks=self._predict_callbacks, **predict_args)

    def predict_proba(self, X, **kwargs):
        """Probability of each class for each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The images, as in ``fit``.
        **kwargs : dict
            Passed to ``keras.Model.predict``; prefer routed ``predict__``
            parameters.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; rows sum to 1.
        """
        return np.asarray(self._predict_raw(X, **kwargs), dtype=np.float64)

    def predict(self, X, **kwargs):
        """Predict the label of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The images, as in ``fit``.
        **kwargs : dict
            Passed to ``keras.Model.predict``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels, of the type and values seen in ``fit``.
        """
        proba = self._predict_raw(X, **kwargs)
        return self.classes_[np.argmax(proba, axis=1)]
