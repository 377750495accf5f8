"""Learning-rate schedules of our Keras classifiers, stepped per batch."""

import math

from ._tf import tf

# isort: split
import keras  # noqa: E402  (after _tf, which imports TensorFlow quietly)


@keras.saving.register_keras_serializable(package="skdigits")
class OneCycleSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """The one-cycle policy (Smith and Topin, 2019), as PyTorch's ``OneCycleLR``.

    The rate rises linearly from ``peak / div_factor`` to ``peak`` over the
    first ``warmup_fraction`` of the steps, then falls along a half cosine
    to ``peak / final_div_factor``, where it stays for any later step
    (``partial_fit``, warm starts).

    Parameters
    ----------
    peak : float
        The largest learning rate.
    total_steps : int
        Gradient steps of the whole cycle (epochs x batches per epoch).
    warmup_fraction : float, default=0.25
        Share of the steps spent rising.
    div_factor : float, default=25
        ``peak / div_factor`` is the first rate.
    final_div_factor : float, default=1e4
        ``peak / final_div_factor`` is the last rate.

    Examples
    --------
    >>> from skdigits.neural_network import OneCycleSchedule
    >>> schedule = OneCycleSchedule(0.01, total_steps=100)
    >>> [round(float(schedule(step)), 5) for step in (0, 25, 100, 500)]
    [0.0004, 0.01, 0.0, 0.0]
    """

    def __init__(self, peak, total_steps, warmup_fraction=0.25, div_factor=25.0, final_div_factor=1e4):
        self.peak = float(peak)
        self.total_steps = max(int(total_steps), 1)
        self.warmup_fraction = float(warmup_fraction)
        self.div_factor = float(div_factor)
        self.final_div_factor = float(final_div_factor)

    def __call__(self, step):
        step = tf.cast(step, tf.float32)
        warmup = max(self.warmup_fraction * self.total_steps, 1.0)
        start, peak = self.peak / self.div_factor, self.peak
        end = self.peak / self.final_div_factor
        rising = start + (peak - start) * step / warmup
        progress = tf.clip_by_value((step - warmup) / max(self.total_steps - warmup, 1.0), 0.0, 1.0)
        falling = end + (peak - end) * 0.5 * (1.0 + tf.cos(math.pi * progress))
        return tf.where(step < warmup, rising, falling)

    def get_config(self):
        return {
            "peak": self.peak,
            "total_steps": self.total_steps,
            "warmup_fraction": self.warmup_fraction,
            "div_factor": self.div_factor,
            "final_div_factor": self.final_div_factor,
        }


def anneal_epochs(stable_epochs, budget, fraction=0.5):
    """Epochs of the 'plateau' schedule's anneal after ``stable_epochs`` at a constant rate, within ``budget``.

    ``fraction`` of the epochs trained so far (at least 2), or what the
    budget leaves.

    Examples
    --------
    >>> from skdigits.neural_network._schedules import anneal_epochs
    >>> anneal_epochs(8, 30), anneal_epochs(1, 30), anneal_epochs(20, 30), anneal_epochs(30, 30)
    (4, 2, 10, 0)
    >>> anneal_epochs(8, 30, fraction=1.0)
    8
    """
    return max(min(max(2, math.ceil(fraction * stable_epochs)), budget - stable_epochs), 0)


def anneal_rate(initial, epoch, start, length):
    """The 'plateau' schedule's rate in ``epoch`` of an anneal of ``length`` epochs from ``start``: a half cosine.

    Falls from just under ``initial`` towards 0, never reaching it; epochs
    beyond the anneal keep its last rate.
    """
    step = min(max(epoch - start + 1, 0), length)
    return initial * 0.5 * (1 + math.cos(math.pi * step / (length + 1)))


class PlateauStop(keras.callbacks.Callback):
    """Stops training once ``val_loss`` has not improved for ``patience`` epochs, or the budget needs the rest.

    The first phase of the 'plateau' schedule: the constant rate trains until
    the held-out loss stalls, or until an anneal (:func:`anneal_epochs`)
    (``fraction`` of the epochs so far) would no longer fit in ``budget``
    epochs. ``stable_epochs`` is then the
    epochs trained. No weights are restored: the anneal goes on from the
    last ones.
    """

    def __init__(self, patience, budget, fraction=0.5):
        super().__init__()
        self.patience = patience
        self.budget = budget
        self.fraction = fraction

    def on_train_begin(self, logs=None):
        self.best, self.wait, self.stable_epochs = math.inf, 0, None

    def on_epoch_end(self, epoch, logs=None):
        done = epoch + 1
        loss = (logs or {}).get("val_loss", math.inf)
        self.best, self.wait = (loss, 0) if loss < self.best else (self.best, self.wait + 1)
        if self.wait >= self.patience or done + anneal_epochs(done, self.budget, self.fraction) >= self.budget:
            self.stable_epochs = done
            self.model.stop_training = True
