"""What a run records about where it ran: versions, machine, peak memory."""

import contextlib
import os
import platform
import sys
import threading
import time
from importlib import metadata

from .. import __version__

#: Distributions whose versions a run records, by the name the table shows.
_DISTRIBUTIONS = {"scikit-learn": ("scikit-learn",), "tensorflow": ("tensorflow", "tensorflow-cpu"),
                  "xgboost": ("xgboost", "xgboost-cpu")}


def versions():
    """Versions of Python, skdigits and the libraries that fit, without importing them.

    Read from the installed distributions' metadata, so that asking for
    TensorFlow's version does not start TensorFlow.

    Examples
    --------
    >>> from skdigits.benchmark._machine import versions
    >>> sorted(versions())
    ['python', 'scikit-learn', 'skdigits', 'tensorflow', 'xgboost']
    """
    found = {"python": platform.python_version(), "skdigits": __version__}
    for name, distributions in _DISTRIBUTIONS.items():
        found[name] = None
        for distribution in distributions:
            try:
                found[name] = metadata.version(distribution)
                break
            except metadata.PackageNotFoundError:
                continue
    return found


def machine():
    """The machine's platform, processor, CPU count and memory, with a one-line summary."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    info = {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "memory_gib": round(memory, 1),
    }
    info["summary"] = f"{info['cpu_count']} CPUs, {info['memory_gib']} GiB, {info['platform']}"
    return info


def reproducibility():
    """What, beyond the data, the seed and the versions, decides a run's numbers to the bit.

    The networks' facts (TensorFlow's threads, op determinism, oneDNN and the
    instruction sets its kernels may use, the CPU; see
    :func:`skdigits.neural_network.reproducibility_facts`) when a network ran
    (TensorFlow is not started for them otherwise), the BLAS threads of
    every fit and XGBoost's. Two runs whose facts differ cannot be expected to give the same
    table to the bit; ``compare`` says so.
    """
    from ..zoo._families import XGBOOST_THREADS
    from ._family import BLAS_THREADS

    facts = {"blas_threads_per_fit": BLAS_THREADS, "xgboost_threads_per_fit": XGBOOST_THREADS}
    if "tensorflow" in sys.modules:  # a network ran in this process
        from ..neural_network import reproducibility_facts

        facts.update(reproducibility_facts())
    else:
        facts.update({name: os.environ.get(name) for name in
                      ("SKDIGITS_TF_THREADS", "TF_ENABLE_ONEDNN_OPTS", "ONEDNN_MAX_CPU_ISA")})
    return facts


class PeakMemory:
    """Samples the memory of this process and its children (joblib workers).

    Uses the proportional set size where the system gives it (Linux), so that
    pages the processes share, such as memory-mapped training data, count
    once; elsewhere the resident set size, which counts them in each process.

    Parameters
    ----------
    interval : float, default=0.5
        Seconds between samples.
    origin : float, default=None
        A ``time.perf_counter()`` value that ``peak_at`` counts from (the
        run's start); None for the start of the sampling.

    Attributes
    ----------
    peak : int
        The largest total sampled, in bytes.
    peak_at : float
        When it was sampled: seconds since ``origin``. With the families'
        phases, it tells which fits met at the peak.
    """

    def __init__(self, interval=0.5, origin=None):
        self.interval = interval
        self.origin = origin
        self.peak = 0
        self.peak_at = 0.0
        self._stop = threading.Event()

    def _sample(self):
        import psutil

        me = psutil.Process()
        start = time.perf_counter() if self.origin is None else self.origin
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    info = proc.memory_full_info()
                    total += getattr(info, "pss", info.rss)
            if total > self.peak:
                self.peak, self.peak_at = total, time.perf_counter() - start
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
