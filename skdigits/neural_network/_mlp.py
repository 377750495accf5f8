"""A multilayer perceptron classifier in Keras, as a scikit-learn estimator."""

from ._base import BaseKerasDigitsClassifier, keras
from ._params import layer_sizes


class KerasMLPClassifier(BaseKerasDigitsClassifier):
    """Multilayer perceptron classifier built on Keras and SciKeras.

    Fully connected hidden layers with dropout and a softmax output, trained
    with a cross-entropy loss. A first layer standardises the input with the
    training set's mean and standard deviation, so raw 0-255 pixels train as
    well as pixels scaled to 0-1. Every hyperparameter is an ``__init__``
    parameter, so ``GridSearchCV`` tunes it without knowing Keras; SciKeras's
    routed parameters (``optimizer__beta_1``, ``fit__shuffle``,
    ``callbacks``...) work too.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int or int, default=(512, 512)
        The width of each hidden layer; an int for one layer, as in
        scikit-learn's ``MLPClassifier``.
    activation : str, default='relu'
        Activation of the hidden layers (any Keras activation name).
    dropout : float, default=0.2
        Dropout rate after each hidden layer; 0 disables it.
    optimizer : str or keras.optimizers.Optimizer, default='adam'
        The optimizer, by name, class or instance. ``learning_rate`` applies
        to a name or class; an instance keeps its own.
    learning_rate : float, default=1e-3
        The initial learning rate.
    learning_rate_schedule : {'cosine', 'constant', 'plateau', 'one-cycle'}, default='cosine'
        'cosine' anneals the learning rate towards 0 over ``epochs``;
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
    epochs : int, default=30
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
    n_iter_no_change : int, default=5
        Patience of early stopping, and of the 'plateau' schedule, in epochs.
    anneal_fraction : float, default=0.5
        The 'plateau' schedule's anneal, as a fraction of the epochs trained
        at the constant rate (at least 2, within ``epochs``): 0.5 anneals
        for half as many epochs again, 1.0 for as many. Ignored by the other
        schedules.
    callbacks : list of keras.callbacks.Callback, default=None
        Extra Keras callbacks for ``fit`` and ``predict``.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and shuffling. With an int,
        fitting twice gives identical predictions on CPU; Python's, NumPy's
        and TensorFlow's global random states are restored after fit.
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
        ``val_accuracy`` with early stopping (with the 'plateau' schedule:
        of the epochs before its anneal): training curves.

    See Also
    --------
    KerasCNNClassifier : A convolutional network for images.
    sklearn.neural_network.MLPClassifier : scikit-learn's own MLP.

    Examples
    --------
    >>> from skdigits import KerasMLPClassifier
    >>> from skdigits.datasets import load_mnist
    >>> X, y = load_mnist(split="test", return_X_y=True)
    >>> clf = KerasMLPClassifier(hidden_layer_sizes=(64,), epochs=5, batch_size=32, random_state=0)
    >>> clf.fit(X[:2000], y[:2000]).score(X[2000:3000], y[2000:3000]) > 0.85
    True
    """

    def __init__(
        self,
        hidden_layer_sizes=(512, 512),
        *,
        activation="relu",
        dropout=0.2,
        optimizer="adam",
        learning_rate=1e-3,
        learning_rate_schedule="cosine",
        batch_size=128,
        epochs=30,
        min_steps=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
        anneal_fraction=0.5,
        callbacks=None,
        random_state=None,
        verbose=0,
        **kwargs,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
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
        layer_sizes(type(self).__name__, "hidden_layer_sizes", self.hidden_layer_sizes)
        try:
            keras.activations.get(self.activation)
        except ValueError:
            raise ValueError(
                f"{type(self).__name__}: activation must name a Keras activation, such as 'relu', 'gelu' or "
                f"'tanh', got {self.activation!r}"
            ) from None

    def _build_network(self, inputs, n_classes):
        x = inputs
        for i, width in enumerate(layer_sizes(type(self).__name__, "hidden_layer_sizes", self.hidden_layer_sizes)):
            x = keras.layers.Dense(width, activation=self.activation, name=f"hidden{i + 1}")(x)
            if self.dropout:
                x = keras.layers.Dropout(self.dropout)(x)
        return keras.layers.Dense(n_classes, activation="softmax", name="probabilities")(x)
