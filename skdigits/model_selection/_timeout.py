"""Fits with a time limit: each runs in a worker process, killed when over its limit.

The limit counts from the moment the fit starts in the worker (after its
arguments are unpickled there), so a slow start of a fresh process is not
held against the fit. A fit over its limit raises :class:`FitTimeout`
here; its worker is killed and a new one starts for the next fit.
"""

import atexit
import math
import os
import tempfile
import time
from concurrent.futures import TimeoutError as FuturesTimeout

_EXECUTOR = None


class FitTimeout(RuntimeError):
    """A fit ran past its time limit and was stopped.

    Attributes
    ----------
    limit : float
        The limit, in seconds.
    """

    _message = "fit stopped: it ran past its limit of {:g} s (FitTimeout)"

    def __init__(self, limit):
        super().__init__(self._message.format(limit))
        self.limit = limit

    def __reduce__(self):
        return type(self), (self.limit,)


class SearchTimeout(FitTimeout):
    """Every fit of a search ran past its time limit: there is no candidate to choose.

    Attributes
    ----------
    limit : float
        The limit, in seconds.
    """

    _message = "every fit of the search ran past its limit of {:g} s (SearchTimeout)"


def check_fit_timeout(limit):
    """``limit`` as a float: a finite number of seconds > 0; None for no limit.

    Raises
    ------
    ValueError
        For anything else (0, a negative number, NaN, infinity, a string),
        naming the fix.

    Examples
    --------
    >>> from skdigits.model_selection._timeout import check_fit_timeout
    >>> check_fit_timeout(600)
    600.0
    >>> check_fit_timeout(float("inf"))
    Traceback (most recent call last):
    ...
    ValueError: fit_timeout must be a finite number of seconds > 0, or None for no limit; got inf
    """
    if limit is None:
        return None
    try:
        seconds = float(limit)
    except (TypeError, ValueError):
        seconds = math.nan
    if isinstance(limit, (bool, str)) or not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"fit_timeout must be a finite number of seconds > 0, or None for no limit; got {limit!r}")
    return seconds


def _executor():
    global _EXECUTOR
    if _EXECUTOR is None:
        from joblib.externals.loky import ProcessPoolExecutor

        # An idle worker exits after 5 minutes (a new one starts on demand), so
        # that none outlives a process killed without running atexit (a Dask
        # worker's, say).
        _EXECUTOR = ProcessPoolExecutor(max_workers=1, timeout=300)
        atexit.register(_kill_worker)
    return _EXECUTOR


def _kill_worker():
    global _EXECUTOR
    if _EXECUTOR is not None:
        _EXECUTOR.shutdown(wait=True, kill_workers=True)
        _EXECUTOR = None


def _started(marker, function, args):
    with open(marker, "w"):
        pass
    return function(*args)


def call_with_timeout(limit, function, *args):
    """``function(*args)`` in a worker process; :class:`FitTimeout` after ``limit`` seconds.

    ``limit=None`` calls it here, with no limit.
    """
    if check_fit_timeout(limit) is None:
        return function(*args)
    with tempfile.TemporaryDirectory(prefix="skdigits-fit-") as folder:
        marker = os.path.join(folder, "started")
        future = _executor().submit(_started, marker, function, args)
        while not os.path.exists(marker) and not future.done():
            time.sleep(0.02)
        try:
            return future.result(timeout=limit)
        except FuturesTimeout:
            _kill_worker()
            raise FitTimeout(limit) from None
