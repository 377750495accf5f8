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
