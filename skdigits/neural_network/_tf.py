"""TensorFlow, imported quietly, and the process-wide state our estimators touch.

Everything that reads or changes TensorFlow's global state lives here: the
logging set-up at import, the thread pools, and the seeding of a fit, which
restores every random state it changes.
"""

import contextlib
import os
import random
import sys

import numpy as np

_LOG_LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL"
_ONEDNN_VARIABLE = "TF_ENABLE_ONEDNN_OPTS"


def _enable_onednn():
    """Use oneDNN's CPU kernels unless the user chose otherwise.

    TensorFlow turns them on by default only on some Intel processors; on
    others (AMD EPYC, for one) its own kernels train our CNN 2.3x slower
    (measured on 2 cores: one epoch of a 16-32 filter network, 22 s without,
    9.6 s with). ``TF_ENABLE_ONEDNN_OPTS=0`` keeps TensorFlow's choice. The
    variable is read when the first operation runs, not at import, so it
    stays set (and joblib workers, which import skdigits, set it too).
    """
    os.environ.setdefault(_ONEDNN_VARIABLE, "1")


@contextlib.contextmanager
def _silenced_stderr():
    """Send what C libraries write to file descriptor 2 to /dev/null."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # no real stderr (notebooks)
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


@contextlib.contextmanager
def _quiet_import():
    """Import TensorFlow without its start-up messages, unless the user set
    ``TF_CPP_MIN_LOG_LEVEL`` to choose them.

    TensorFlow reads the variable once, at import, so it is set only for the
    import and the environment (inherited by subprocesses) is left as it was.
    Since TensorFlow 2.18 the oneDNN and CUDA-driver notices are written to
    stderr before logging is set up, whatever the level: stderr is silenced
    for the import too.
    """
    if _LOG_LEVEL_VARIABLE in os.environ:
        yield
        return
    os.environ[_LOG_LEVEL_VARIABLE] = "3"
    try:
        with _silenced_stderr():
            yield
    finally:
        del os.environ[_LOG_LEVEL_VARIABLE]


def _import_tensorflow():
    _enable_onednn()
    with _quiet_import():
        import tensorflow as tf
        import keras  # noqa: F401
    tf.get_logger().setLevel("ERROR")  # retracing and deprecation warnings
    try:
        from absl import logging as absl_logging

        absl_logging.set_verbosity(absl_logging.ERROR)
    except ImportError:  # pragma: no cover - absl ships with TensorFlow
        pass
    return tf


tf = _import_tensorflow()


def tf_thread_count():
    """Threads TensorFlow should use per pool, or None for its default.

    ``TF_NUM_INTRAOP_THREADS`` wins; otherwise ``OMP_NUM_THREADS``, which
    joblib sets in its worker processes to ``cpu_count() // n_jobs`` so that
    workers share the cores instead of each taking all of them.
    """
    for name in ("TF_NUM_INTRAOP_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "")
        if value.isdigit() and int(value) > 0:
            return int(value)
    return None


def limit_tf_threads():
    """Bound TensorFlow's thread pools to :func:`tf_thread_count`.

    TensorFlow fixes its pools when its runtime starts, so this only has an
    effect before the first TensorFlow operation of the process; later calls
    leave the pools as they are.
    """
    n_threads = tf_thread_count()
    if n_threads is None:
        return
    threading = tf.config.threading
    if threading.get_intra_op_parallelism_threads() == n_threads:
        return
    try:
        threading.set_intra_op_parallelism_threads(n_threads)
        threading.set_inter_op_parallelism_threads(n_threads)
    except RuntimeError:  # the runtime has started: pools are fixed
        pass


def _keras_global_seed_state():
    from keras.src.backend.common import global_state
    from keras.src.random import seed_generator
    from keras.src.utils import rng_utils

    names = (rng_utils.GLOBAL_RANDOM_SEED, seed_generator.GLOBAL_SEED_GENERATOR)
    return global_state, names


@contextlib.contextmanager
def seeded(seed):
    """Make TensorFlow and Keras deterministic within, then restore everything.

    Inside, Python's, NumPy's, TensorFlow's and Keras's global random
    generators are seeded with ``seed`` and TensorFlow's op determinism is
    on. On exit, whether by return or exception, each of them is put back as
    it was, so that nothing leaks into the caller's process.

    Parameters
    ----------
    seed : int or None
        The seed; None leaves every random state alone.
    """
    if seed is None:
        yield
        return
    from tensorflow.python.eager import context
    from tensorflow.python.framework import config as tf_config

    global_state, keras_names = _keras_global_seed_state()
    saved_python = random.getstate()
    saved_numpy = np.random.get_state()
    saved_tf_seed = context.global_seed()
    saved_keras = [global_state.get_global_attribute(n) for n in keras_names]
    saved_determinism = tf_config.is_op_determinism_enabled()
    try:
        import keras

        keras.utils.set_random_seed(int(seed))
        tf_config.enable_op_determinism()
        yield
    finally:
        if not saved_determinism:
            tf_config.disable_op_determinism()
        for name, value in zip(keras_names, saved_keras):
            global_state.set_global_attribute(name, value)
        tf.random.set_seed(saved_tf_seed)
        np.random.set_state(saved_numpy)
        random.setstate(saved_python)
