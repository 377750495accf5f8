"""A Dask scheduler that cannot be used is refused within seconds, with one line: never a hang."""

import socket
import subprocess
import sys
import threading
import time

import pytest

pytest.importorskip("dask.distributed")

from skdigits.benchmark._cluster import SchedulerError, connected  # noqa: E402


@pytest.fixture
def silent_server():
    """A TCP server that accepts every connection and never answers."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted, stop = [], threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


@pytest.mark.timeout(60)
def test_a_scheduler_that_accepts_and_never_answers_is_refused_within_seconds(silent_server):
    start = time.monotonic()
    with pytest.raises(SchedulerError, match="cannot reach the Dask scheduler .*no answer in 2 s"):
        with connected(silent_server, timeout=2):
            pass
    assert time.monotonic() - start < 15


@pytest.mark.slow  # a fresh Python process (or several): the full suite only
@pytest.mark.timeout(120)
def test_the_command_exits_2_with_one_line_for_a_silent_scheduler_or_no_url(silent_server, tmp_path):
    for address in (silent_server, "notaurl"):
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "skdigits.benchmark", "--profile", "quick", "--scheduler",
                               address, "--output", str(tmp_path / "out")], capture_output=True, text=True,
                              timeout=100)
        assert done.returncode == 2, done.stderr[-2000:]
        assert done.stderr.strip().count("\n") == 0 and "cannot reach the Dask scheduler" in done.stderr
        assert time.monotonic() - start < 60
