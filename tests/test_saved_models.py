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


def test_the_zoos_forest_and_booster_load_without_being_named_trusted(tmp_path):
    # Their fitted state (scikit-learn's trees, XGBoost's booster) is among the types skdigits trusts, in one
    # place for run folders and the resumable search: a standard run's models load with load_run(folder).
    run(["rf", "xgboost"], **TINY, ensemble=False, output_dir=tmp_path)
    loaded = load_run(tmp_path)
    assert set(loaded.models) == {"rf", "xgboost"}
    _, X_test, _, _ = load_train_test(None, as_frame=True)
    reported = json.loads((tmp_path / "report_data.json").read_text())["families"]
    for family, model in loaded.models.items():
        assert (np.asarray(model.predict(X_test)).astype(str) == np.asarray(reported[family]["y_pred"])).all()


def test_a_rerun_refits_nothing_and_keeps_the_models(kept_run, tmp_path):
    import shutil

    shutil.copytree(kept_run, tmp_path / "again")
    before = (tmp_path / "again" / "models" / "logreg.skops").stat().st_mtime_ns
    with pytest.warns(RuntimeWarning, match="saved models or search results of knn, nb, net from an earlier run"):
        table = run(["logreg"], **TINY, ensemble=False, output_dir=tmp_path / "again")
    assert table.attrs["meta"]["fits_resumed"] == 2 * 2 + 1  # the quick grid's two candidates
    assert (tmp_path / "again" / "models" / "logreg.skops").stat().st_mtime_ns == before
    assert _run_folder.saved_key(tmp_path / "again", "logreg") is not None


def _fresh_shell_environment():
    """This process's environment without what skdigits set in it: TensorFlow's log level and oneDNN choice."""
    return {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS")}


def test_a_zoo_network_loads_in_a_fresh_process_quietly_and_predicts_its_probabilities_to_the_bit(tmp_path):
    # The zoo's shape: a Pipeline whose last step is the network. Its optimizer's learning-rate schedule is
    # skdigits' own class, which the loading process has not imported; the model predicts without its optimizer.
    # TensorFlow is imported there by skdigits: quietly, and with the kernels the network was trained with.
    import subprocess
    import sys

    from sklearn.pipeline import Pipeline

    from skdigits.neural_network import KerasCNNClassifier
    from skdigits.preprocessing import Deskewer

    X = np.random.RandomState(0).randint(0, 256, (40, 784)).astype(np.uint8)
    y = np.tile(["a", "b"], 20)
    network = KerasCNNClassifier(filters=(4,), dense_layer_sizes=(8,), epochs=1, batch_size=20,
                                 learning_rate_schedule="one-cycle", random_state=0)
    pipe = Pipeline([("features", Deskewer()), ("clf", network)]).fit(X, y)
    _run_folder.save_model(pipe, tmp_path, "cnn", key="k")
    np.save(tmp_path / "X.npy", X)
    code = ("import sys, numpy as np; from skdigits.benchmark._run_folder import load_model; "
            "assert 'tensorflow' not in sys.modules; "
            f"m = load_model({str(tmp_path)!r}, 'cnn'); X = np.load({str(tmp_path / 'X.npy')!r}); "
            f"print(','.join(m.predict(X))); np.save({str(tmp_path / 'proba.npy')!r}, m.predict_proba(X))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env=_fresh_shell_environment())
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().split(",") == list(pipe.predict(X))
    assert np.array_equal(np.load(tmp_path / "proba.npy"), pipe.predict_proba(X))
    assert "oneDNN" not in done.stderr and "cuda" not in done.stderr, done.stderr[-2000:]
