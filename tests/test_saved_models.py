"""The winners kept: load_run's models predict what the run reported."""

import json
import os

import numpy as np
import pytest
import user_models

from skdigits.benchmark import UntrustedModelError, _run_folder, load_run, run
from skdigits.datasets import load_train_test

pytestmark = pytest.mark.slow  # a real benchmark run with a network (deselect with -m 'not slow')

TINY = dict(profile="quick", train_size=300, cv=2, n_jobs=1, quiet=True)


@pytest.fixture(scope="module")
def kept_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("kept")
    entries = ["logreg", "knn", ("net", user_models.tiny_network()), ("nb", user_models.naive_bayes())]
    run(entries, **TINY, output_dir=out)
    return out


def test_loaded_models_predict_what_the_run_reported(kept_run):
    loaded = load_run(kept_run)
    assert set(loaded.models) == {"logreg", "knn", "net", "nb"}  # not the ensemble
    assert set(loaded.cv_results) == {"logreg", "knn", "net", "nb"}
    assert "test_error" in loaded.table.columns
    _, X_test, _, _ = load_train_test(None, as_frame=True)
    reported = json.loads((kept_run / "report_data.json").read_text())["families"]
    for family, model in loaded.models.items():
        predicted = np.asarray(model.predict(X_test)).astype(str)
        assert (predicted == np.asarray(reported[family]["y_pred"])).all(), family


def test_models_are_saved_in_safe_formats_atomically(kept_run):
    models = kept_run / "models"
    assert {p.name for p in models.iterdir()} == {
        "logreg.skops", "logreg.json", "knn.skops", "knn.json", "nb.skops", "nb.json",
        "net.skops", "net.json", "net.keras"}
    assert json.loads((models / "net.json").read_text())["format"] == "skops+keras"


def test_a_model_that_cannot_be_saved_is_reported_and_its_result_stands(tmp_path):
    table = run([("locked", user_models.UnsaveableClassifier())], **TINY, ensemble=False, output_dir=tmp_path)
    assert list(table["status"]) == ["ok"]
    assert 0 < table["test_error"][0] < 1
    assert "cannot pickle 'generator'" in (tmp_path / "errors" / "locked-model.txt").read_text()
    assert not (tmp_path / "models").exists() or not list((tmp_path / "models").glob("locked.*"))


def test_saved_models_are_readable_as_the_umask_says(kept_run):
    umask = os.umask(0)
    os.umask(umask)
    for path in (kept_run / "models").iterdir():
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path


def test_untrusted_types_are_refused_with_the_fix(kept_run, monkeypatch):
    import skops.io as sio

    monkeypatch.setattr(sio, "get_untrusted_types", lambda file: ["mypackage.MyTransformer"])
    with pytest.raises(UntrustedModelError, match=r"trusted=\['mypackage.MyTransformer'\]"):
        load_run(kept_run)
    assert load_run(kept_run, trusted=["mypackage.MyTransformer"]).models


def test_a_rerun_refits_nothing_and_keeps_the_models(kept_run, tmp_path):
    import shutil

    shutil.copytree(kept_run, tmp_path / "again")
    before = (tmp_path / "again" / "models" / "logreg.skops").stat().st_mtime_ns
    table = run(["logreg"], **TINY, ensemble=False, output_dir=tmp_path / "again")
    assert table.attrs["meta"]["fits_resumed"] == 2 * 2 + 1  # the quick grid's two candidates
    assert (tmp_path / "again" / "models" / "logreg.skops").stat().st_mtime_ns == before
    assert _run_folder.saved_key(tmp_path / "again", "logreg") is not None


def test_a_network_trained_with_skdigits_schedule_loads_in_a_fresh_process(tmp_path):
    # Its optimizer's learning-rate schedule is skdigits' own class; a process loading the model has not
    # imported it, and the model predicts without its optimizer.
    import subprocess
    import sys

    from skdigits.neural_network import KerasCNNClassifier

    X, y = np.random.RandomState(0).rand(40, 784).astype(np.float32), np.tile(["a", "b"], 20)
    network = KerasCNNClassifier(filters=(4,), dense_layer_sizes=(8,), epochs=1, batch_size=20,
                                 learning_rate_schedule="one-cycle", random_state=0).fit(X, y)
    _run_folder.save_model(network, tmp_path, "cnn", key="k")
    np.save(tmp_path / "X.npy", X)
    code = ("import sys, numpy as np; from skdigits.benchmark._run_folder import load_model; "
            "assert 'skdigits.neural_network' not in sys.modules; "
            f"m = load_model({str(tmp_path)!r}, 'cnn'); "
            f"print(','.join(m.predict(np.load({str(tmp_path / 'X.npy')!r}))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().split(",") == list(network.predict(X))
