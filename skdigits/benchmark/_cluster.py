"""Running families on a Dask cluster: every fit on the workers, families at once.

Each family is driven from a thread of this process: its search sends its
cross-validation fits to the cluster through joblib's Dask backend, and its
refit goes to the cluster as one more task. The families' threads run at
the same time, so the cluster's workers are kept busy with the fits of all
families and adding workers shortens the run.
"""

import contextlib
import threading
import warnings
from concurrent.futures import Future, ThreadPoolExecutor

from joblib import parallel_config

from ._family import one_blas_thread

#: Seconds to wait for a scheduler before giving up.
CONNECT_TIMEOUT = 5


class SchedulerError(ValueError):
    """The Dask scheduler cannot be reached."""


@contextlib.contextmanager
def connected(address, timeout=CONNECT_TIMEOUT):
    """A Dask client of the scheduler at ``address`` (None: no client), closed on exit.

    Raises
    ------
    SchedulerError
        Within ``timeout`` seconds, with the fix in one line, when no
        scheduler answers at ``address``.
    """
    if address is None:
        yield None
        return
    try:
        from dask.distributed import Client
    except ImportError:
        raise SchedulerError("--scheduler needs Dask: pip install 'skdigits[dask]'") from None
    try:
        _handshake(address, timeout)  # Client's own would wait forever for a silent server
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SchedulerError(
            f"cannot reach the Dask scheduler at {address} ({reason}); start one with "
            "'dask scheduler' and workers with 'dask worker ADDRESS', or leave out --scheduler"
        ) from None
    try:
        yield client
    finally:
        client.close()


def _handshake(address, timeout):
    """Ask the scheduler at ``address`` who it is; TimeoutError if it has not answered in ``timeout`` s."""
    import asyncio

    from distributed.comm import connect
    from distributed.core import send_recv

    async def identity():
        comm = await connect(address, timeout=timeout)
        try:
            return await send_recv(comm, op="identity")
        finally:
            comm.abort()

    async def bounded():
        try:
            return await asyncio.wait_for(identity(), timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(f"no answer in {timeout:g} s") from None

    # In a thread of its own: the caller may be running an event loop (Jupyter).
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, bounded()).result()


class ClusterRunner:
    """Runs each family's search and refit on a cluster, families concurrently."""

    def __init__(self, client):
        self.client = client
        self._scattered = {}
        self.interrupted = False  # by Ctrl-C: what then fails in a family is not the family's failure

    def search(self, search, X, y):
        """Fit ``search`` with its fits on the cluster's workers."""
        with parallel_config(backend="dask", client=self.client):
            return search.fit(X, y)

    def call(self, function, *args):
        """Run ``function(*args)`` as a task on a worker; its result."""
        return self.submit(function, *args).result()

    def submit(self, function, *args):
        """Start ``function(*args)`` as a task on a worker; its future (``result()`` waits)."""
        args = [self._scattered.get(id(a), a) for a in args]
        return self.client.submit(function, *args, pure=False)

    @contextlib.contextmanager
    def batch(self, n_jobs, fit_timeout):
        """The tasks submitted within run at once on the cluster's workers."""
        yield

    def turn(self):
        """A context within which a family's search runs: at once with the others' on a cluster."""
        return contextlib.nullcontext()

    def fit_jobs(self, n_jobs):
        """Threads each fit of a batch may use: ``n_jobs``."""
        return n_jobs

    def share(self, *arrays):
        """Send large arrays to the cluster once; later calls pass references."""
        for array, future in zip(arrays, self.client.scatter(list(arrays), hash=False), strict=True):
            self._scattered[id(array)] = future

    def map(self, function, items):
        """``function`` over ``items``, all at once, results in order.

        Interrupted (Ctrl-C), it closes the client, so that the cluster drops
        the run's tasks, and returns at once: the families' threads end as
        their waits fail.
        """
        items = list(items)
        pool = ThreadPoolExecutor(max_workers=max(1, len(items)))
        try:
            results = list(pool.map(function, items))
        except BaseException:
            self.interrupted = True
            pool.shutdown(wait=False, cancel_futures=True)
            self.client.close()
            raise
        pool.shutdown()
        return results


class LocalRunner:
    """Runs families here: each search's fits in joblib workers, a family's refits at once.

    Every fit uses one BLAS thread, in this process and in joblib's workers,
    as on a Dask worker (which Dask starts with one): a PCA's or a linear
    model's last bits, hence a near-tie among a digit's neighbours, then do
    not depend on ``n_jobs``, the cores or the cluster (see ``one_blas_thread``).

    With two cores or more and no ``fit_timeout``, the families overlap
    (issue 16): their searches run one at a time, in the order given to
    :meth:`map`, and a family's batch (its refit, its fit for the ensemble,
    its refits with more seeds) runs in the same pool of joblib workers as
    the searches, one process per core, while the next family's search
    fills the cores the batch leaves free. No more fits run at once than
    cores, each in a process of its own with one thread, so that each fit's
    time is its own. Otherwise (one core, or a time limit) the families run
    one after another and a batch's fits in threads of this process.

    Parameters
    ----------
    n_jobs : int, default=1
        The run's ``n_jobs`` (-1: one per core).
    fit_timeout : float, default=None
        The run's limit per fit; with one, families run one after another.
    """

    def __init__(self, n_jobs=1, fit_timeout=None):
        self._pool = None
        self._cores = _cores(n_jobs)
        self.overlaps = fit_timeout is None and self._cores > 1
        self._turns = _Turns()

    def search(self, search, X, y):
        with one_blas_thread(), parallel_config(backend="loky", inner_max_num_threads=1):
            return search.fit(X, y)

    @property
    def interrupted(self):
        """Whether Ctrl-C stopped the run: what then fails in a family is not the family's failure."""
        return self._turns.stopped

    def turn(self):
        """A context within which this family's search runs: after the searches of the families before it."""
        return self._turns.turn() if self.overlaps else contextlib.nullcontext()

    def fit_jobs(self, n_jobs):
        """Threads each fit of a batch may use: one when fits overlap (one core each), else ``n_jobs``."""
        return 1 if self.overlaps else n_jobs

    def call(self, function, *args):
        _release_search_workers()
        return function(*args)

    def submit(self, function, *args):
        """Start ``function(*args)``: in the current batch, else now; its future."""
        if self._pool is not None and self.overlaps:
            return self._pool.submit(_in_worker, self._cores, self._turns, function, *args)
        if self._pool is not None:
            return self._pool.submit(function, *args)
        future = Future()
        try:
            future.set_result(self.call(function, *args))
        except Exception as exc:
            future.set_exception(exc)
        return future

    @contextlib.contextmanager
    def batch(self, n_jobs, fit_timeout):
        """Within, what is submitted runs at once: in the search's worker processes, or else in threads.

        When families overlap, each task waits in a thread of its own for a
        joblib worker (one per core, shared with the next family's search).
        Otherwise the tasks run in threads here, ``n_jobs`` at once (the
        cores for -1): for a family's refits, most of them single-threaded
        by design, on two cores two run at once. Their threads share this
        process's BLAS setting, so one BLAS thread is set here, for all of
        them (each fit's own setting, entered and left in its thread, would
        otherwise undo another's). One at a time with ``fit_timeout``: a fit
        over its limit kills the one worker process that such fits share.
        """
        if self.overlaps:
            with ThreadPoolExecutor(max_workers=_BATCH_THREADS) as pool:
                self._pool = pool
                yield
            return
        from joblib import effective_n_jobs

        _release_search_workers()
        workers = 1 if fit_timeout is not None else max(1, effective_n_jobs(n_jobs))
        with one_blas_thread(), ThreadPoolExecutor(max_workers=workers) as pool:
            self._pool = pool
            try:
                yield
            finally:
                self._pool = None

    def share(self, *arrays):
        pass

    def map(self, function, items):
        """``function`` over ``items``, results in order: one after another, or overlapping (see the class)."""
        items = list(items)
        if not self.overlaps:
            return [function(item) for item in items]
        pool = ThreadPoolExecutor(max_workers=max(1, len(items)))
        try:
            with warnings.catch_warnings():  # loky replacing a worker that a large refit left big: as planned
                warnings.filterwarnings("ignore", "A worker stopped while some jobs", UserWarning)
                results = list(pool.map(self._turns.taking_turns(function), range(len(items)), items))
        except BaseException:  # Ctrl-C: the families waiting for their turn give up, the fits stop
            self._turns.stop()
            _release_search_workers(kill=True)
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        _release_search_workers()
        return results


#: Threads that wait for a batch's fits (the fits run in the joblib workers, one per core).
_BATCH_THREADS = 16


def _cores(n_jobs):
    """The joblib workers of a search with ``n_jobs``: the run's cores."""
    from joblib import effective_n_jobs

    with parallel_config(backend="loky"):
        return max(1, effective_n_jobs(n_jobs))


class _Stopped(BaseException):
    """The run was interrupted: a family still waiting for its turn gives up (not a failure of the family)."""


class _Turns:
    """Families' searches one at a time, in the families' order: the i-th once those before it are done."""

    def __init__(self):
        self._changed = threading.Condition()
        self._next = 0  # every family before it is done (its search ended, or it failed before one)
        self._done = set()
        self.stopped = False
        self._local = threading.local()

    def taking_turns(self, function):
        """``function(item)`` as ``call(index, item)``: its turn is the index-th, passed on when it ends."""

        def call(index, item):
            self._local.index = index
            try:
                return function(item)
            finally:
                self._pass(index)

        return call

    @contextlib.contextmanager
    def turn(self):
        index = self._local.index
        with self._changed:
            self._changed.wait_for(lambda: self._next >= index or self.stopped)
            if self.stopped:
                raise _Stopped
        try:
            yield
        finally:
            self._pass(index)

    def _pass(self, index):
        with self._changed:
            self._done.add(index)
            while self._next in self._done:
                self._next += 1
            self._changed.notify_all()

    def stop(self):
        with self._changed:
            self.stopped = True
            self._changed.notify_all()


class _RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker process, as text."""

    def __str__(self):
        return self.args[0]


def _in_worker(n_jobs, turns, function, *args):
    """``function(*args)`` in one of the search's joblib workers (``n_jobs`` of them); its result.

    An exception of the task is caught in the worker and raised here: one
    raised through joblib would kill the workers, and with them the fits of
    the other families that share them. A task whose worker died (or was
    killed: another family's search failing) is run again, unless ``turns`` was
    stopped (the run was interrupted).
    """
    from joblib import Parallel, delayed

    for attempt in range(_ATTEMPTS):
        try:
            with parallel_config(backend="loky", inner_max_num_threads=1):
                [(ok, value)] = Parallel(n_jobs=n_jobs)([delayed(_captured)(function, *args)])
            break
        except Exception:  # not the task's (caught in the worker): its worker died, or joblib's were shut down
            if attempt == _ATTEMPTS - 1 or turns.stopped:
                raise
    if not ok:
        exc, text = value
        raise exc from _RemoteTraceback(text)
    return value


#: Tries of a batch's task whose worker process was killed under it.
_ATTEMPTS = 3


def _captured(function, *args):
    """``(True, function(*args))``, or ``(False, (exception, traceback text))`` if it raised.

    The worker's memory is given back before the task as well as after it:
    a batch's fits (a refit, the fit for the ensemble) transform their rows
    without the feature caches, so what a search left there (up to
    :data:`~skdigits.preprocessing._cache.WORKER_MAX_BYTES`) would only
    add to the fit's peak, and it is emptied after the task anyway.
    """
    import pickle
    import traceback

    _give_back_memory()
    try:
        return True, function(*args)
    except Exception as exc:
        text = traceback.format_exc()
        try:
            pickle.dumps(exc)
        except Exception:
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        return False, (exc, text)
    finally:
        _give_back_memory()


def _give_back_memory():
    """Free what a batch's fit left in its worker, which the next family's search shares.

    A refit on every training row leaves its features (the HOG of 60,000
    digits: 389 MB) in the worker's feature caches and its arrays in the C
    heap; the caches are emptied (recomputing an evicted transform costs
    about a second) and glibc gives freed heap back to the system.
    """
    import ctypes
    import gc

    from ..preprocessing._cache import clear_feature_caches

    clear_feature_caches()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to give back this way
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _release_search_workers(kill=False):
    """Stop the search's idle joblib workers, which would hold their memory during the refits.

    New ones start on demand. ``kill``: stop the busy ones too.
    """
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor(kill_workers=kill).shutdown(wait=not kill, kill_workers=kill)


def _is_daemon():
    import multiprocessing

    return multiprocessing.current_process().daemon


def check_workers_can_start_processes(client):
    """Refuse a cluster whose workers cannot run fits in processes of their own.

    ``fit_timeout`` runs each fit in a child process (to stop it, the process
    is killed); Dask starts its workers as daemonic processes, which may not
    have children, unless ``distributed.worker.daemon`` is False.

    Raises
    ------
    SchedulerError
        Naming the setting that lets the workers start processes.
    """
    if client is not None and any(client.run(_is_daemon).values()):
        raise SchedulerError(
            "--fit-timeout on a Dask cluster needs workers that can start processes (each fit runs in "
            "one of its own, killed at the limit): start them with DASK_DISTRIBUTED__WORKER__DAEMON=False "
            "dask worker ..., or leave out --fit-timeout"
        )


def runner(client, n_jobs=1, fit_timeout=None):
    """The runner for a client (None: this machine, ``n_jobs`` and ``fit_timeout`` the run's)."""
    return LocalRunner(n_jobs, fit_timeout) if client is None else ClusterRunner(client)
