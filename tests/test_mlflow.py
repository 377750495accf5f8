"""Runs logged to MLflow: the embedded SQLite store, a real ``mlflow server``, bad targets refused fast."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pandas as pd
import pytest

from skdigits.benchmark import run
from skdigits.benchmark._cli import main
from skdigits.benchmark._mlflow import INSTALL, check_tracking_uri, log_run_folder

pytestmark = pytest.mark.slow  # real benchmark runs logged to MLflow (deselect with -m 'not slow')

mlflow = pytest.importorskip("mlflow")

TINY = dict(profile="quick", train_size=600, cv=2, n_jobs=1, ensemble=False, quiet=True)
COMPARED = ("test_error", "error_ci_low", "error_ci_high", "cv_mean", "cv_std", "fit_time_s", "predict_time_s")


@pytest.fixture(scope="module")
def logged_run(tmp_path_factory):
    """A real two-family run, logged by ``run(mlflow=True)`` to its folder's own SQLite store."""
    folder = tmp_path_factory.mktemp("mlflow") / "run"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MLFLOW_TRACKING_URI", raising=False)
        table = run(["logreg", "knn"], output_dir=folder, mlflow=True, **TINY)
    return folder, table


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _runs(uri):
    """Every run of the 'skdigits' experiment, as ``mlflow.search_runs`` gives them."""
    mlflow.set_tracking_uri(uri)
    try:
        return mlflow.search_runs(experiment_names=["skdigits"])
    finally:
        mlflow.set_tracking_uri(None)


def _assert_metrics_equal_results_csv(runs, folder):
    results = pd.read_csv(folder / "results.csv")
    families = runs[runs["tags.skdigits.kind"] == "family"].set_index("tags.skdigits.family")
    assert sorted(families.index) == sorted(results["family"])
    for row in results.itertuples():
        logged = families.loc[row.family]
        for name in COMPARED:
            assert logged[f"metrics.{name}"] == pytest.approx(getattr(row, name), rel=1e-12), (row.family, name)
        assert logged["params.best_params"] == row.best_params
        assert logged["params.preprocessing"] == row.preprocessing


def test_run_logs_parent_and_family_runs_to_embedded_sqlite(logged_run):
    folder, table = logged_run
    runs = _runs(f"sqlite:///{folder.resolve()}/mlflow.db")
    assert len(runs) == 3  # the parent and two families
    parent = runs[runs["tags.skdigits.kind"] == "benchmark"].iloc[0]
    assert parent["run_id"] == table.attrs["mlflow_run_id"]
    assert parent["tags.skdigits.run_folder"] == str(folder.resolve())
    meta = json.loads((folder / "results.json").read_text())["meta"]
    assert parent["params.seed"] == "0" and parent["params.train_rows"] == "600"
    assert parent["params.test_set.digest"] == meta["test_set"]["digest"]
    assert parent["tags.version.skdigits"] == meta["versions"]["skdigits"]
    for name in ("total_time_s", "peak_memory_mb", "peak_memory_at_s"):  # the run's facts as metrics
        assert parent[f"metrics.{name}"] == pytest.approx(meta[name])
    assert (runs.loc[runs["tags.skdigits.kind"] == "family", "tags.mlflow.parentRunId"] == parent["run_id"]).all()
    _assert_metrics_equal_results_csv(runs, folder)


def test_artifacts_are_reports_tables_and_safe_model_files(logged_run):
    folder, table = logged_run
    client = mlflow.MlflowClient(f"sqlite:///{folder.resolve()}/mlflow.db")
    record = json.loads((folder / "mlflow_run.json").read_text())
    parent = [a.path for a in client.list_artifacts(record["run_id"])]
    assert {"report.html", "results.csv", "results.json"} <= set(parent)
    knn = record["families"]["knn"]
    assert [a.path for a in client.list_artifacts(knn, "cv_results")] == ["cv_results/knn.csv"]
    assert [a.path for a in client.list_artifacts(knn, "per_class")] == ["per_class/knn.csv"]
    assert [a.path for a in client.list_artifacts(knn, "model")] == ["model/knn.json", "model/knn.skops"]
    assert (folder / "mlartifacts").is_dir()  # beside the database, not in the working folder


def test_resumed_run_updates_the_same_runs(logged_run):
    folder, table = logged_run
    uri = f"sqlite:///{folder.resolve()}/mlflow.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MLFLOW_TRACKING_URI", raising=False)
        again = run(["logreg", "knn"], output_dir=folder, mlflow="", **TINY)  # every fit resumed
    (folder / "mlflow_run.json").unlink()  # found again by the folder's tag alone
    assert log_run_folder(folder, uri) == again.attrs["mlflow_run_id"] == table.attrs["mlflow_run_id"]
    runs = _runs(uri)
    assert len(runs) == 3
    client = mlflow.MlflowClient(uri)
    family = runs[runs["tags.skdigits.kind"] == "family"]["run_id"].iloc[0]
    assert len(client.get_metric_history(family, "test_error")) == 1  # unchanged values are not logged again
    _assert_metrics_equal_results_csv(runs, folder)


def test_a_familys_grid_edges_are_a_param_and_none_is_logged_where_it_has_none(logged_run, tmp_path):
    folder, _ = logged_run
    copy = tmp_path / "run"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("mlflow.db", "mlartifacts", "mlflow_run.json"))
    table = pd.read_csv(copy / "results.csv", dtype={"family": str})  # the rows MLflow is given
    table["grid_edges"] = table["grid_edges"].astype(object)  # all empty in this quick run: read back as NaN
    table.loc[table["family"] == "knn", "grid_edges"] = "n_neighbors=4 (lowest of 4, 6)"  # as a standard run's
    table.to_csv(copy / "results.csv", index=False)
    uri = f"sqlite:///{tmp_path / 'edges.db'}"
    log_run_folder(copy, uri)
    families = _runs(uri).set_index("tags.skdigits.family")
    assert families.loc["knn", "params.grid_edges"] == "n_neighbors=4 (lowest of 4, 6)"
    assert pd.isna(families.loc["logreg", "params.grid_edges"])  # the quick grid's single C: no edge


@pytest.fixture
def mlflow_server(tmp_path):
    """The URI of a real ``mlflow server`` on 127.0.0.1 with a SQLite backend; skipped if it cannot start."""
    port = _free_port()
    log = open(tmp_path / "server.log", "wb")
    command = [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
               "--workers", "1", "--backend-store-uri", f"sqlite:///{tmp_path / 'server.db'}",
               "--artifacts-destination", str(tmp_path / "server-artifacts")]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    uri = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{uri}/health", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    tail = (tmp_path / "server.log").read_text(errors="replace")[-500:]
                    pytest.skip(f"mlflow server could not start (exit {server.poll()}): {tail}")
                time.sleep(0.5)
        yield uri
    finally:
        os.killpg(server.pid, 15)  # the server's own process group: it and its workers
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()
        log.close()


@pytest.mark.slow
def test_real_server_receives_the_runs_and_their_artifacts(logged_run, mlflow_server, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(logged_run[0], folder, ignore=shutil.ignore_patterns("fits", "cache", "mlflow*", "mlartifacts"))
    run_id = log_run_folder(folder, mlflow_server)
    assert log_run_folder(folder, mlflow_server) == run_id  # logged again: the same runs
    runs = _runs(mlflow_server)
    assert len(runs) == 3
    _assert_metrics_equal_results_csv(runs, folder)
    client = mlflow.MlflowClient(mlflow_server)
    knn = json.loads((folder / "mlflow_run.json").read_text())["families"]["knn"]
    assert "model/knn.skops" in [a.path for a in client.list_artifacts(knn, "model")]


@pytest.mark.parametrize("uri", ["ftp://example.org/runs", "s3://bucket/runs", "sqlite://", "sqlite:///no/such/folder/mlflow.db"])
def test_bad_uri_is_refused_in_one_line(uri):
    with pytest.raises(ValueError, match="MLflow tracking URI") as info:
        check_tracking_uri(uri)
    assert "\n" not in str(info.value)


def test_a_path_is_a_file_store_as_mlflow_takes_it(tmp_path):
    assert check_tracking_uri(str(tmp_path / "mlruns")) == str(tmp_path / "mlruns")


def test_unreachable_server_fails_fast_before_any_fit(tmp_path):
    uri = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    start = time.monotonic()
    with pytest.raises(ValueError, match="unreachable"):
        run(["logreg"], output_dir=tmp_path, mlflow=uri, **TINY)
    assert time.monotonic() - start < 10
    assert not (tmp_path / "fits").exists()


def test_cli_without_mlflow_exits_2_with_the_install_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "mlflow", None)  # import mlflow raises ImportError
    with pytest.raises(SystemExit) as info:
        main(["--families", "logreg", "--profile", "quick", "--output", str(tmp_path), "--mlflow"])
    assert info.value.code == 2
    assert INSTALL in capsys.readouterr().err
    assert not (tmp_path / "fits").exists()
