"""Wall time of a benchmark run on a local Dask cluster of 1, 2... single-threaded workers.

Starts a real ``dask scheduler`` and ``dask worker --nworkers N --nthreads 1``
on 127.0.0.1 for each N, runs ``python -m skdigits.benchmark --scheduler ...``
into a fresh folder, and prints the wall time and the table's test errors
(the same for every N)::

    python benchmarks/bench_dask_workers.py --workers 1 2 -- --profile quick --seed 0

Arguments after ``--`` go to ``python -m skdigits.benchmark``.
"""

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DASK = Path(sys.executable).with_name("dask")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_workers(address, n):
    from dask.distributed import Client

    with Client(address, timeout=60) as client:
        client.wait_for_workers(n, timeout=120)


def time_run(n_workers, benchmark_args):
    address = f"tcp://127.0.0.1:{_free_port()}"
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    scheduler = subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port",
                                  address.rsplit(":", 1)[1], "--no-dashboard"], **quiet)
    workers = subprocess.Popen([str(DASK), "worker", address, "--nworkers", str(n_workers), "--nthreads", "1",
                                "--host", "127.0.0.1", "--no-dashboard"], **quiet)
    try:
        _wait_for_workers(address, n_workers)
        output = Path(tempfile.mkdtemp(prefix=f"skdigits-dask-{n_workers}w-"))
        command = [sys.executable, "-m", "skdigits.benchmark", *benchmark_args, "--scheduler", address,
                   "--output", str(output), "--quiet"]
        start = time.perf_counter()
        subprocess.run(command, check=True)
        wall = time.perf_counter() - start
    finally:
        for process in (workers, scheduler):
            process.terminate()
            process.wait(timeout=60)
    results = json.loads((output / "results.json").read_text())["results"]
    return wall, {r["family"]: r["test_error"] for r in results}, output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args, rest = parser.parse_known_args()
    rest = [a for a in rest if a != "--"]
    for n in args.workers:
        wall, errors, output = time_run(n, rest)
        print(f"{n} single-threaded worker(s): {wall:.0f} s wall  ({output})")
        print("   ", ", ".join(f"{f} {100 * e:.2f}%" for f, e in errors.items()))


if __name__ == "__main__":
    main()
