"""Running families on a Dask cluster: every fit on the workers, families at once.

Each family is driven from a thread of this process: its search sends its
cross-validation fits to the cluster through joblib's Dask backend, and its
refit goes to the cluster as one more task. The families' threads run at
the same time, so the cluster's workers are kept busy with the fits of all
families and adding workers shortens the run.
"""

import contextlib
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

    def share(self, *arrays):
        """Send large arrays to the cluster once; later calls pass references."""
        for array, future in zip(arrays, self.client.scatter(list(arrays), hash=False), strict=True):
            self._scattered[id(array)] = future

    def map(self, function, items):
        """``function`` over ``items``, all at once, results in order."""
        items = list(items)
        with ThreadPoolExecutor(max_workers=max(1, len(items))) as pool:
            return list(pool.map(function, items))


class LocalRunner:
    """Runs families one after another here; each search's fits in joblib workers, a family's refits at once.

    Every fit uses one BLAS thread, in this process and in joblib's workers,
    as on a Dask worker (which Dask starts with one): a PCA's or a linear
    model's last bits, hence a near-tie among a digit's neighbours, then do
    not depend on ``n_jobs``, the cores or the cluster (see ``one_blas_thread``).
    """

    def search(self, search, X, y):
        with one_blas_thread(), parallel_config(backend="loky", inner_max_num_threads=1):
            return search.fit(X, y)

    def __init__(self):
        self._pool = None

    def call(self, function, *args):
        _release_search_workers()
        return function(*args)

    def submit(self, function, *args):
        """Start ``function(*args)``: in a thread of the current batch, else now; its future."""
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
        """Within, what is submitted runs in threads, ``n_jobs`` at once (the cores for -1).

        For a family's refits (the first, the ensemble's, the seeds'), most
        of them single-threaded by design: on two cores, two run at once.
        Their threads share this process's BLAS setting, so one BLAS thread
        is set here, for all of them (each fit's own setting, entered and
        left in its thread, would otherwise undo another's). One at a time
        with ``fit_timeout``: a fit over its limit kills the one worker
        process that such fits share.
        """
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
        return [function(item) for item in items]


def _release_search_workers():
    """Stop the search's idle joblib workers, which would hold their memory during the refits.

    New ones start on demand.
    """
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)


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


def runner(client):
    """The runner for a client (None: this machine)."""
    return LocalRunner() if client is None else ClusterRunner(client)
