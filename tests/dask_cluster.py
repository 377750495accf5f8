"""A real Dask cluster for the tests: a ``dask scheduler`` and ``dask worker`` processes on loopback."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

DASK = Path(sys.executable).with_name("dask")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def dask_cluster(n_workers=2, env=None):
    """A scheduler and single-threaded workers, as separate processes; their address and worker pids."""
    distributed = pytest.importorskip("dask.distributed")
    if not DASK.exists():
        pytest.skip(f"no dask command next to {sys.executable}")
    address = f"tcp://127.0.0.1:{_free_port()}"
    scheduler = subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                  "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                                 start_new_session=True)
    workers = subprocess.Popen([str(DASK), "worker", address, "--nworkers", str(n_workers), "--nthreads", "1",
                                "--host", "127.0.0.1", "--no-dashboard"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                               start_new_session=True)
    try:
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(n_workers, timeout=120)
            pids = set(client.run(os.getpid).values())
        yield address, pids
    finally:
        for process in (workers, scheduler):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            with contextlib.suppress(ProcessLookupError):  # what the workers started (fits' processes)
                os.killpg(process.pid, signal.SIGKILL)
