"""Which settings change what our networks predict: threads, op determinism, oneDNN, the CPU's ISA.

Each setting fits a small KerasMLPClassifier and a small KerasCNNClassifier
(2,000 real MNIST training images, ``random_state=0``) in a fresh Python
process, and saves ``predict_proba`` on 1,000 test images. Every setting is
then compared bitwise with the reference (1 intra-op and 1 inter-op thread,
op determinism on, oneDNN on, no ISA cap), and the reference is run again
next to two busy-looping processes to see whether load changes anything::

    python benchmarks/bench_keras_determinism.py
    python benchmarks/bench_keras_determinism.py --only ref,intra2,isa_avx2
    python benchmarks/bench_keras_determinism.py --reference intra2 --only intra2_loaded,intra3

A setting is a set of environment variables plus two switches read by the
child: ``threads`` (intra,inter; 0 leaves TensorFlow's default, one per
core) and ``determinism`` (whether TensorFlow's op determinism is on during
the fit; skdigits turns it on in every seeded fit).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = str(Path(__file__).resolve().parents[1])  # the children import this checkout's skdigits

REFERENCE = {"threads": [1, 1], "determinism": True, "env": {}}
SETTINGS = {
    "ref": REFERENCE,
    "ref_again": REFERENCE,
    "ref_loaded": dict(REFERENCE, load=2),
    "intra2": {"threads": [2, 1], "determinism": True, "env": {}},
    "intra2_inter2": {"threads": [2, 2], "determinism": True, "env": {}},
    "tf_default_threads": {"threads": [0, 0], "determinism": True, "env": {}},
    "inter2": {"threads": [1, 2], "determinism": True, "env": {}},
    "no_determinism": {"threads": [1, 1], "determinism": False, "env": {}},
    "no_determinism_intra2": {"threads": [2, 2], "determinism": False, "env": {}},
    "onednn_off": {"threads": [1, 1], "determinism": True, "env": {"TF_ENABLE_ONEDNN_OPTS": "0"}},
    "isa_avx2": {"threads": [1, 1], "determinism": True, "env": {"ONEDNN_MAX_CPU_ISA": "AVX2"}},
    "isa_avx512": {"threads": [1, 1], "determinism": True, "env": {"ONEDNN_MAX_CPU_ISA": "AVX512_CORE"}},
    "isa_avx2_intra2": {"threads": [2, 2], "determinism": True, "env": {"ONEDNN_MAX_CPU_ISA": "AVX2"}},
    "intra3": {"threads": [3, 3], "determinism": True, "env": {}},
    "intra4": {"threads": [4, 4], "determinism": True, "env": {}},
    "intra2_loaded": {"threads": [2, 2], "determinism": True, "env": {}, "load": 2},
    "no_determinism_loaded": {"threads": [1, 1], "determinism": False, "env": {}, "load": 2},
    "no_determinism_intra2_loaded": {"threads": [2, 2], "determinism": False, "env": {}, "load": 2},
}


def child(setting, out):
    """Fit both networks under ``setting`` (this process is fresh) and save their probabilities."""
    threads = setting["threads"]
    import tensorflow as tf

    if threads[0]:
        tf.config.threading.set_intra_op_parallelism_threads(threads[0])
    if threads[1]:
        tf.config.threading.set_inter_op_parallelism_threads(threads[1])
    if not setting["determinism"]:
        from tensorflow.python.framework import config as tf_config

        tf_config.enable_op_determinism = lambda: None  # skdigits' seeded() calls it
    from skdigits import KerasCNNClassifier, KerasMLPClassifier
    from skdigits.datasets import load_train_test

    X, X_test, y, _ = load_train_test()
    X, y, X_test = X[:2000], y[:2000], X_test[:1000]
    models = {
        "mlp": KerasMLPClassifier((256, 256), epochs=2, random_state=0),
        "cnn": KerasCNNClassifier((8, 16), dense_layer_sizes=(32,), epochs=1, random_state=0),
    }
    times = {}
    for name, model in models.items():
        start = time.perf_counter()
        model.fit(X, y)
        times[name] = time.perf_counter() - start
        np.save(Path(out) / f"{name}.npy", model.predict_proba(X_test))
    threading = tf.config.threading
    facts = {"intra": threading.get_intra_op_parallelism_threads(),
             "inter": threading.get_inter_op_parallelism_threads(), "fit_s": times}
    (Path(out) / "facts.json").write_text(json.dumps(facts))


def run(name, setting, root):
    out = Path(root) / name
    out.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("TF_NUM_INTRAOP_THREADS", "OMP_NUM_THREADS", "SKDIGITS_TF_THREADS")}
    # skdigits leaves the pools alone (SKDIGITS_TF_THREADS=0): the child sets them.
    env.update(setting["env"], PYTHONPATH=REPO, SKDIGITS_TF_THREADS="0")
    load = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(setting.get("load", 0))]
    try:
        subprocess.run([sys.executable, __file__, "--child", json.dumps(setting), str(out)],
                       env=env, check=True)
    finally:
        for p in load:
            p.kill()
            p.wait()
    facts = json.loads((out / "facts.json").read_text())
    return {m: np.load(out / f"{m}.npy") for m in ("mlp", "cnn")}, facts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--only", help="comma-separated settings (the reference always runs first)")
    parser.add_argument("--reference", default="ref", choices=list(SETTINGS),
                        help="the setting the others are compared with (default: ref)")
    args = parser.parse_args()
    if args.child:
        return child(json.loads(args.child[0]), args.child[1])
    names = list(SETTINGS) if not args.only else args.only.split(",")
    names = [args.reference] + [n for n in names if n != args.reference]
    print(f"load before: {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory() as root:
        reference = None
        for name in names:
            proba, facts = run(name, SETTINGS[name], root)
            reference = reference or proba
            cells = []
            for model in ("mlp", "cnn"):
                diff = float(np.max(np.abs(proba[model] - reference[model])))
                same = np.array_equal(proba[model], reference[model])
                flips = int(np.sum(proba[model].argmax(1) != reference[model].argmax(1)))
                cells.append(f"{model}: {'identical' if same else f'max diff {diff:.2e}, {flips} argmax flips'}"
                             f" ({facts['fit_s'][model]:.1f} s)")
            print(f"{name:28s} intra={facts['intra']} inter={facts['inter']}  " + "; ".join(cells), flush=True)
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
