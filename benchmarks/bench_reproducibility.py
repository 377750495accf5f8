"""The same benchmark command run twice, once beside CPU-heavy processes: are the tables identical?

Runs ``python -m skdigits.benchmark ARGS`` into two fresh folders, the first
on an idle machine and the second with ``--hogs`` busy-looping processes
beside it, then compares the two ``results.csv`` files byte for byte once
their timing columns are dropped, and the saved test predictions of every
family::

    python benchmarks/bench_reproducibility.py -- --profile quick
    python benchmarks/bench_reproducibility.py --hogs 2 -- --profile standard

Arguments after ``--`` go to ``python -m skdigits.benchmark``. Prints each
run's wall time and table, and exits 1 when the tables differ.
"""

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

TIMING_COLUMNS = ("fit_time_s", "predict_time_s")


def _timed_run(benchmark_args, output, n_hogs):
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n_hogs)]
    try:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "skdigits.benchmark", *benchmark_args, "--output", str(output),
                        "--quiet"], check=True)
        return time.perf_counter() - start
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def comparable_table(folder):
    """``results.csv`` without its timing columns, as CSV text."""
    table = pd.read_csv(Path(folder) / "results.csv", dtype=str, keep_default_na=False)
    timing = [c for c in table.columns if c in TIMING_COLUMNS or c.endswith("_time_s")]
    buffer = io.StringIO()
    table.drop(columns=timing).to_csv(buffer, index=False)
    return buffer.getvalue()


def predictions(folder):
    """Each family's saved test predictions and ensemble weights (``report_data.json``)."""
    families = json.loads((Path(folder) / "report_data.json").read_text())["families"]
    return {name: (record["y_pred"], record.get("weights")) for name, record in families.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hogs", type=int, default=2, help="busy processes beside the second run (default 2)")
    args, rest = parser.parse_known_args()
    rest = [a for a in rest if a != "--"]
    root = Path(tempfile.mkdtemp(prefix="skdigits-repro-"))
    walls, folders = {}, {"idle": root / "idle", "busy": root / "busy"}
    for label, folder in folders.items():
        walls[label] = _timed_run(rest, folder, args.hogs if label == "busy" else 0)
        print(f"{label} run: {walls[label]:.0f} s wall ({folder})")
        print(comparable_table(folder))
    same_table = comparable_table(folders["idle"]) == comparable_table(folders["busy"])
    same_predictions = predictions(folders["idle"]) == predictions(folders["busy"])
    print(json.dumps({"identical_table": same_table, "identical_predictions": same_predictions,
                      "wall_s": {k: round(v, 1) for k, v in walls.items()}, "hogs": args.hogs}))
    sys.exit(0 if same_table and same_predictions else 1)


if __name__ == "__main__":
    main()
