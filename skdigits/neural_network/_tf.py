"""TensorFlow, imported quietly, and the process-wide state our estimators touch.

Everything that reads or changes TensorFlow's global state lives here: the
logging set-up at import, the thread pools (fixed at import, so that results
do not depend on the cores or on how a search spreads its fits), the seeding
of a fit, which restores every random state it changes, and the facts that
decide whether two runs can agree to the bit.
"""

import contextlib
import os
import platform
import random
import sys
import threading

import numpy as np

_LOG_LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL"
_ONEDNN_VARIABLE = "TF_ENABLE_ONEDNN_OPTS"


def _enable_onednn():
    """Use oneDNN's CPU kernels unless the user chose otherwise.

    TensorFlow turns them on by default only on some Intel processors; on
    others (AMD EPYC, for one) its own kernels train our CNN 2.3x slower
    (measured on 2 cores: one epoch of a 16-32 filter network, 22 s without,
    9.6 s with). ``TF_ENABLE_ONEDNN_OPTS=0`` keeps TensorFlow's choice.

    TensorFlow reads the variable when it is imported. Where it was imported
    before skdigits, its choice is made: the variable is then set to that
    choice, so that the processes this one starts (joblib's workers, which
    inherit it) compute with the same kernels and give the same bits.
    """
    if "tensorflow" in sys.modules:
        os.environ[_ONEDNN_VARIABLE] = "1" if _onednn_is_on() else "0"
    else:
        os.environ.setdefault(_ONEDNN_VARIABLE, "1")


def _onednn_is_on():
    """Whether this process's TensorFlow computes with oneDNN's kernels (the variable, where it cannot tell)."""
    try:
        from tensorflow.python.util._pywrap_util_port import IsMklEnabled
    except ImportError:  # a TensorFlow without the probe
        return os.environ.get(_ONEDNN_VARIABLE, "0").strip().lower() in ("1", "true")
    return bool(IsMklEnabled())


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
    for the import too, and also when the user's level is 3 (errors off).
    """
    if _LOG_LEVEL_VARIABLE in os.environ:
        level = os.environ[_LOG_LEVEL_VARIABLE].strip()
        with _silenced_stderr() if level.isdigit() and int(level) >= 3 else contextlib.nullcontext():
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
        import keras  # noqa: F401
        import tensorflow as tf
    tf.get_logger().setLevel("ERROR")  # retracing and deprecation warnings
    try:
        from absl import logging as absl_logging

        absl_logging.set_verbosity(absl_logging.ERROR)
    except ImportError:  # pragma: no cover - absl ships with TensorFlow
        pass
    return tf


tf = _import_tensorflow()


THREADS_VARIABLE = "SKDIGITS_TF_THREADS"
DEFAULT_THREADS = 1
# Seeded fits run with TensorFlow's op determinism: without it, results are
# still the same from run to run on a CPU, but not the same as with it.
OP_DETERMINISM = True


def tf_thread_count():
    """Threads per TensorFlow pool that skdigits sets, or None to leave TensorFlow's choice.

    The number of intra-op threads changes what a seeded network learns
    (oneDNN splits a convolution's work, and so its floating-point sums, by
    thread), so it must not follow the layout of a run: the cores, joblib's
    ``n_jobs`` or a Dask worker's. It is ``SKDIGITS_TF_THREADS`` if set, 1
    otherwise, whatever the machine. ``SKDIGITS_TF_THREADS=0`` leaves the pools
    to TensorFlow (one thread per core, or ``TF_NUM_INTRAOP_THREADS``), and so
    does setting ``TF_NUM_INTRAOP_THREADS`` without ``SKDIGITS_TF_THREADS``.

    Raises
    ------
    ValueError
        If ``SKDIGITS_TF_THREADS`` is not a non-negative integer.
    """
    value = os.environ.get(THREADS_VARIABLE)
    if value is None:
        return None if "TF_NUM_INTRAOP_THREADS" in os.environ else DEFAULT_THREADS
    if not value.strip().isdigit():
        raise ValueError(
            f"{THREADS_VARIABLE}={value!r}: expected the number of threads TensorFlow trains with, "
            "a non-negative integer (0 leaves TensorFlow's default of one per core)"
        )
    return int(value) or None


def _fix_tf_threads():
    """Set both of TensorFlow's thread pools to :func:`tf_thread_count` threads.

    TensorFlow fixes its pools when its runtime starts, so this only has an
    effect before the first TensorFlow operation of the process, and is done
    when this module is imported; :func:`reproducibility_facts` tells the
    pools a process really has.
    """
    n_threads = tf_thread_count()
    if n_threads is None:
        return
    threading = tf.config.threading
    try:
        threading.set_intra_op_parallelism_threads(n_threads)
        threading.set_inter_op_parallelism_threads(n_threads)
    except RuntimeError:  # the runtime has started: pools are fixed
        pass


_fix_tf_threads()


def _effective_threads(configured, variable):
    """The threads of a pool: its setting, else TensorFlow's variable, else one per core."""
    value = os.environ.get(variable, "")
    return configured or (int(value) if value.isdigit() and int(value) > 0 else os.cpu_count())


def _cpu_description():
    """The CPU's model name and the instruction-set flags that pick oneDNN's kernels."""
    model, flags = platform.processor() or platform.machine(), []
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            lines = cpuinfo.read().splitlines()
    except OSError:  # not Linux
        return model, flags
    for line in lines:
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            model = value.strip()
        elif key.strip() == "flags":
            flags = sorted(f for f in value.split() if f.startswith(_ISA_FLAG_PREFIXES))
            break
    return model, flags


_ISA_FLAG_PREFIXES = ("sse4", "fma", "avx", "amx", "f16c")


def reproducibility_facts():
    """What decides, beyond the data and the seed, the numbers our networks learn.

    Two runs of a seeded network give bit-identical probabilities when these
    facts are equal (measured with ``benchmarks/bench_keras_determinism.py``):
    the number of intra-op threads and the kernels oneDNN picks (oneDNN on or
    off, the instruction sets it may use) change the results; the load of the
    machine, the inter-op threads and the number of joblib or Dask workers do
    not. Record them beside a run's scores to tell whether two runs can be
    compared to the digit.

    Returns
    -------
    facts : dict
        JSON-able: ``tf_intra_op_threads`` and ``tf_inter_op_threads`` (the
        pools of this process), ``skdigits_tf_threads`` (the variable, or
        None), ``op_determinism`` (whether seeded fits turn on TensorFlow's
        op determinism; they do), ``onednn`` (``"1"`` where TensorFlow computes with oneDNN's kernels, else ``"0"``),
        ``onednn_max_cpu_isa`` (``ONEDNN_MAX_CPU_ISA``, or None),
        ``cpu_model``, ``cpu_isa_flags``, ``tensorflow_version`` and
        ``keras_version``.

    Examples
    --------
    >>> from skdigits.neural_network import reproducibility_facts
    >>> facts = reproducibility_facts()
    >>> facts["op_determinism"]
    True
    """
    import keras

    threading = tf.config.threading
    cpu_model, cpu_flags = _cpu_description()
    return {
        "tf_intra_op_threads": _effective_threads(
            threading.get_intra_op_parallelism_threads(), "TF_NUM_INTRAOP_THREADS"),
        "tf_inter_op_threads": _effective_threads(
            threading.get_inter_op_parallelism_threads(), "TF_NUM_INTEROP_THREADS"),
        "skdigits_tf_threads": os.environ.get(THREADS_VARIABLE),
        "op_determinism": OP_DETERMINISM,
        "onednn": "1" if _onednn_is_on() else "0",
        "onednn_max_cpu_isa": os.environ.get("ONEDNN_MAX_CPU_ISA"),
        "cpu_model": cpu_model,
        "cpu_isa_flags": cpu_flags,
        "tensorflow_version": tf.__version__,
        "keras_version": keras.__version__,
    }


class _ThreadSeeds(threading.local):
    """The random generator of the seeded fit running in this thread, if any."""

    rng = None


_THREAD_SEEDS = _ThreadSeeds()


class _KerasSeedSource:
    """What Keras takes for the ``random`` module when it draws default seeds.

    Keras gives every layer, initializer and dropout without a seed of its
    own a seed drawn from Python's global ``random`` module, which all the
    threads of a process share. Another thread drawing from it during a fit
    changes those seeds, hence the weights a seeded network learns: a Dask
    worker's event loop does (tornado's jittered timers, comm back-off),
    and so any other library's thread may. Within :func:`seeded`, the draws
    of this thread come from a generator of its own, seeded alike; outside
    a seeded fit, and for every other use, this is the ``random`` module.
    """

    def __getattr__(self, name):
        rng = _THREAD_SEEDS.rng
        return getattr(random if rng is None else rng, name)


def _isolate_keras_seeds():
    """Give Keras' default seeds the thread's own generator (see :class:`_KerasSeedSource`).

    Returns
    -------
    bool
        Whether Keras draws its default seeds through us; False if a Keras
        release no longer draws them from ``random`` where we look.
    """
    from keras.src.random import seed_generator

    source = getattr(seed_generator, "python_random", None)
    if isinstance(source, _KerasSeedSource):
        return True
    if source is not random:
        return False
    seed_generator.python_random = _KerasSeedSource()
    return True


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
    on. The seeds Keras draws for layers without one of their own come from
    a generator of this thread, so that other threads of the process (a
    Dask worker's event loop, for one) cannot change them. On exit, whether
    by return or exception, each of them is put back as it was, so that
    nothing leaks into the caller's process. Seeded fits in several threads
    of a process run one after another, since TensorFlow's seed and op
    determinism are the process's.

    Parameters
    ----------
    seed : int or None
        The seed; None leaves every random state alone.
    """
    if seed is None:
        yield
        return
    with _SEEDED_FITS:
        with _seeded(seed):
            yield


#: Seeded fits of one process run one at a time: TensorFlow's global seed and
#: op determinism are process-wide, so a fit ending in one thread (restoring
#: them) would change the seeds of the ops another thread's fit is creating.
_SEEDED_FITS = threading.RLock()


@contextlib.contextmanager
def _seeded(seed):
    from tensorflow.python.eager import context
    from tensorflow.python.framework import config as tf_config

    global_state, keras_names = _keras_global_seed_state()
    saved_python = random.getstate()
    saved_numpy = np.random.get_state()  # noqa: NPY002 - the global state a fit changes, restored after it
    saved_tf_seed = context.global_seed()
    saved_keras = [global_state.get_global_attribute(n) for n in keras_names]
    saved_determinism = tf_config.is_op_determinism_enabled()
    saved_thread_rng = _THREAD_SEEDS.rng
    try:
        import keras

        _isolate_keras_seeds()
        keras.utils.set_random_seed(int(seed))
        _THREAD_SEEDS.rng = random.Random(int(seed))
        if OP_DETERMINISM:
            tf_config.enable_op_determinism()
        yield
    finally:
        _THREAD_SEEDS.rng = saved_thread_rng
        if not saved_determinism:
            tf_config.disable_op_determinism()
        for name, value in zip(keras_names, saved_keras, strict=True):
            global_state.set_global_attribute(name, value)
        tf.random.set_seed(saved_tf_seed)
        np.random.set_state(saved_numpy)  # noqa: NPY002 - restoring the caller's global state
        random.setstate(saved_python)
