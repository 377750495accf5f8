"""Running families on a Dask cluster: every fit on the workers, families at once.

Each family is driven from a thread of this process: its search sends its
cross-validation fits to the cluster through joblib's Dask backend, and its
refit goes to the cluster as one more task. The families' threads run at
the same time, so the cluster's workers are kept busy with the fits of all
families and adding workers shortens the run.
"""

import contextlib
from concurrent.futures import ThreadPoolExecutor

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
        args = [self._scattered.get(id(a), a) for a in args]
        return self.client.submit(function, *args, pure=False).result()

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
    """Runs families one after another here; each search's fits in joblib workers.

    Every fit uses one BLAS thread, in this process and in joblib's workers,
    as on a Dask worker (which Dask starts with one): a PCA's or a linear
    model's last bits, hence a near-tie among a digit's neighbours, then do
    not depend on ``n_jobs``, the cores or the cluster (see ``one_blas_thread``).
    """

    def search(self, search, X, y):
        with one_blas_thread(), parallel_config(backend="loky", inner_max_num_threads=1):
            return search.fit(X, y)

    def call(self, function, *args):
        # The search's idle worker processes would hold their memory during the
        # refit, the run's largest allocation: let them go (new ones start on demand).
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)
        return function(*args)

    def share(self, *arrays):
        pass

    def map(self, function, items):
        return [function(item) for item in items]


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
