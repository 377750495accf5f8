"""What a fixed thread count (and an ISA cap) costs our default networks, and whether it changes them.

Fresh processes, one per setting, alternate in rounds: each fits the default
KerasMLPClassifier for 3 epochs and the default KerasCNNClassifier for 1
epoch on 10,000 MNIST training images (``random_state=0``), and saves
``predict_proba`` on 2,000 test images. The script prints each fit's time,
the median per setting, and whether each setting's probabilities equal the
first setting's::

    python benchmarks/bench_keras_threads_cost.py --rounds 2
    python benchmarks/bench_keras_threads_cost.py --settings "1,2,1:AVX2" --rounds 3

A setting is ``THREADS`` or ``THREADS:ISA``: ``SKDIGITS_TF_THREADS`` (0 is
TensorFlow's default, one thread per core, what a fit outside joblib had
before skdigits fixed the count) and ``ONEDNN_MAX_CPU_ISA``.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = str(Path(__file__).resolve().parents[1])  # the children import this checkout's skdigits


def child(out):
    from skdigits import KerasCNNClassifier, KerasMLPClassifier
    from skdigits.datasets import load_train_test
    from skdigits.neural_network import reproducibility_facts

    X, X_test, y, _ = load_train_test()
    X, y, X_test = X[:10_000], y[:10_000], X_test[:2000]
    times = {}
    for name, model in {"mlp": KerasMLPClassifier(epochs=3, random_state=0),
                        "cnn": KerasCNNClassifier(epochs=1, random_state=0)}.items():
        start = time.perf_counter()
        model.fit(X, y)
        times[name] = time.perf_counter() - start
        np.save(Path(out) / f"{name}.npy", model.predict_proba(X_test))
    facts = reproducibility_facts()
    (Path(out) / "times.json").write_text(json.dumps({"fit_s": times, "intra": facts["tf_intra_op_threads"]}))


def run(setting, out):
    threads, _, isa = setting.partition(":")
    env = {k: v for k, v in os.environ.items() if k not in ("ONEDNN_MAX_CPU_ISA", "TF_NUM_INTRAOP_THREADS")}
    env.update(SKDIGITS_TF_THREADS=threads, PYTHONPATH=REPO)
    if isa:
        env["ONEDNN_MAX_CPU_ISA"] = isa
    out.mkdir()
    subprocess.run([sys.executable, __file__, "--child", str(out)], env=env, check=True)
    result = json.loads((out / "times.json").read_text())
    return result, {m: np.load(out / f"{m}.npy") for m in ("mlp", "cnn")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--settings", default="1,0,1:AVX2")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    settings = args.settings.split(",")
    times = {s: {"mlp": [], "cnn": []} for s in settings}
    reference = None
    with tempfile.TemporaryDirectory() as root:
        for r in range(args.rounds):
            for s in settings:
                result, proba = run(s, Path(root) / f"{r}-{s.replace(':', '_')}")
                reference = reference or proba
                cells = []
                for m in ("mlp", "cnn"):
                    times[s][m].append(result["fit_s"][m])
                    diff = float(np.max(np.abs(proba[m] - reference[m])))
                    cells.append(f"{m} {result['fit_s'][m]:6.1f} s "
                                 + ("identical" if diff == 0 else f"max diff {diff:.1e}"))
                print(f"round {r} setting {s:8s} intra={result['intra']}  {'; '.join(cells)}  "
                      f"load {os.getloadavg()[0]:.2f}", flush=True)
    for s in settings:
        print(f"median {s:8s} mlp {statistics.median(times[s]['mlp']):6.1f} s  "
              f"cnn {statistics.median(times[s]['cnn']):6.1f} s")


if __name__ == "__main__":
    main()
