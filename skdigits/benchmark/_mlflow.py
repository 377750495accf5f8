"""A finished run folder logged to MLflow: one parent run, a nested run per family.

The run is read back through its files only (``results.json``,
``cv_results/``, ``per_class/``, ``models/``), so any finished run folder can
be logged, and logging it again updates the same MLflow runs: the parent is
found by the id recorded in ``mlflow_run.json`` (JSON) or by its tag
``skdigits.run_folder``, each family's run by its tag ``skdigits.family``.

MLflow is an optional dependency (``pip install "skdigits[mlflow]"``),
imported only when something is logged.
"""

import json
import numbers
import os
import re
import time
import urllib.error
import urllib.request
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from ..model_selection import write_atomic
from ._run_folder import RunFolderError
from ._run_folder import _read_results as read_results

__all__ = ["MlflowLoggingError", "check_tracking_uri", "log_run_folder", "resolve_tracking_uri"]

INSTALL = 'pip install "skdigits[mlflow]"'
EXPERIMENT = "skdigits"
RUN_FILE = "mlflow_run.json"
FOLDER_TAG = "skdigits.run_folder"
FAMILY_TAG = "skdigits.family"
KIND_TAG = "skdigits.kind"
HEALTH_TIMEOUT_S = 5
DATABASE_SCHEMES = ("sqlite", "postgresql", "mysql", "mssql")
SERVER_SCHEMES = ("http", "https")
SCHEMES = SERVER_SCHEMES + DATABASE_SCHEMES + ("file", "databricks")
# A server that stops answering while a run is logged: a few quick retries, not MLflow's minutes of back-off.
HTTP_LIMITS = {"MLFLOW_HTTP_REQUEST_MAX_RETRIES": "2", "MLFLOW_HTTP_REQUEST_TIMEOUT": "30"}
METRICS = ("test_error", "error_ci_low", "error_ci_high", "cv_mean", "cv_std", "fit_time_s", "predict_time_s",
           "n_candidates", "search_rows")
RUN_METRICS = ("total_time_s", "peak_memory_mb", "peak_memory_at_s", "fits_resumed")
RUN_ARTIFACTS = ("report.html", "results.csv", "results.json")
MODEL_SUFFIXES = (".skops", ".keras", ".json")  # never a pickle


class MlflowLoggingError(RuntimeError):
    """A run folder could not be logged; its results are intact and logging it again resumes."""


def _import_mlflow():
    try:
        import mlflow
    except ImportError:
        raise ValueError(f"logging to MLflow needs the mlflow package; install it with: {INSTALL}") from None
    return mlflow


def resolve_tracking_uri(tracking_uri, output_dir):
    """The tracking URI to log ``output_dir``'s run to.

    ``None`` or ``''`` stands for MLflow's default: ``MLFLOW_TRACKING_URI``
    when set, else a SQLite database in the output folder.

    Examples
    --------
    >>> from skdigits.benchmark._mlflow import resolve_tracking_uri
    >>> resolve_tracking_uri("http://127.0.0.1:5000", "/tmp/run")
    'http://127.0.0.1:5000'
    """
    if tracking_uri:
        return str(tracking_uri)
    if os.environ.get("MLFLOW_TRACKING_URI"):
        return os.environ["MLFLOW_TRACKING_URI"]
    return f"sqlite:///{Path(output_dir).resolve() / 'mlflow.db'}"


def check_tracking_uri(uri):
    """Refuse a tracking URI that cannot be logged to, in a few seconds at most.

    mlflow must be importable; the scheme must be one MLflow tracks to; a
    server (http, https) must answer ``/health`` within 5 seconds; the
    folder of a SQLite database or of a file store (a path) must exist.

    Parameters
    ----------
    uri : str
        The tracking URI (see :func:`resolve_tracking_uri`).

    Returns
    -------
    uri : str
        ``uri``, unchanged.

    Raises
    ------
    ValueError
        One line naming the problem and its fix.

    Examples
    --------
    >>> from skdigits.benchmark._mlflow import check_tracking_uri
    >>> check_tracking_uri("ftp://example.org/runs")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: MLflow tracking URI 'ftp://example.org/runs' has scheme 'ftp'; ...
    """
    scheme = urlparse(str(uri)).scheme.split("+")[0].lower()
    if scheme in ("", "file"):  # MLflow's file store: a folder, e.g. MLFLOW_TRACKING_URI=./mlruns
        folder = Path(urlparse(str(uri)).path if scheme else str(uri)).absolute().parent
        if not folder.is_dir():
            raise ValueError(f"MLflow tracking URI {uri!r}: folder {folder} does not exist; create it first")
    elif scheme not in SCHEMES:
        raise ValueError(
            f"MLflow tracking URI {uri!r} has scheme {scheme!r}; use a server (http://host:5000), "
            f"a database (sqlite:///path/mlflow.db) or one of {', '.join(s + '://' for s in SCHEMES)}"
        )
    _import_mlflow()
    if scheme in SERVER_SCHEMES:
        _check_server(uri)
    elif scheme == "sqlite":
        folder = _sqlite_path(uri).parent
        if not folder.is_dir():
            raise ValueError(f"MLflow tracking URI {uri!r}: folder {folder} does not exist; create it first")
    return uri


def _sqlite_path(uri):
    """The database file of a ``sqlite:///path`` URI (4 slashes before an absolute path)."""
    match = re.fullmatch(r"sqlite(\+\w+)?:///([^?]+)(\?.*)?", uri)
    if match is None:
        raise ValueError(f"MLflow tracking URI {uri!r} names no database file; use sqlite:///path/mlflow.db")
    return Path(match.group(2))


def _check_server(uri):
    """Refuse a server that does not answer ``<uri>/health`` in time."""
    health = uri.rstrip("/") + "/health"
    try:
        with urllib.request.urlopen(health, timeout=HEALTH_TIMEOUT_S) as answer:
            answer.read(64)
    except urllib.error.HTTPError as exc:
        if exc.code not in (401, 403):  # a server asking for credentials is there; MLflow takes them from env
            raise ValueError(
                f"MLflow server {uri} answered HTTP {exc.code} at /health; is it an MLflow tracking server?"
            ) from None
    except (OSError, ValueError) as exc:  # refused, timed out, unknown host, malformed URL
        reason = getattr(exc, "reason", None) or exc
        raise ValueError(
            f"MLflow server {uri} unreachable ({reason}); start it (mlflow server --port ...) or fix --mlflow"
        ) from None


def check_tracking(mlflow, output_dir):
    """The run's checked tracking URI: None when ``mlflow`` is None (no logging)."""
    if mlflow is None or mlflow is False:
        return None
    return check_tracking_uri(resolve_tracking_uri(None if mlflow is True else mlflow, output_dir))


@contextmanager
def _http_limits():
    """MLflow's HTTP retries and timeout kept short while logging, unless the user set them."""
    added = {key: value for key, value in HTTP_LIMITS.items() if key not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for key in added:
            os.environ.pop(key, None)


def log_run_folder(output_dir, tracking_uri=None, *, experiment_name=EXPERIMENT):
    """Log a finished benchmark run folder to MLflow; log it again to update the same runs.

    One parent run holds the run's settings, versions, machine, data digest
    and seed (params and tags) and ``report.html``, ``results.csv`` and
    ``results.json``; a nested run per family holds its best parameters
    (and those at an end of their grid, ``grid_edges``), preprocessing, CV
    mean and std, test error and interval, fit and
    predict times, its ``cv_results`` and per-digit report, and its saved
    model (``.skops`` or ``.keras``, never a pickle). The run ids are kept
    in ``mlflow_run.json`` in the folder.

    Parameters
    ----------
    output_dir : str or path-like
        A finished run's folder (with ``results.json``).
    tracking_uri : str, default=None
        Where to log; None for ``MLFLOW_TRACKING_URI`` if set, else
        ``sqlite:///<output_dir>/mlflow.db``.
    experiment_name : str, default='skdigits'
        The MLflow experiment, created if missing.

    Returns
    -------
    run_id : str
        The parent run's id.

    Raises
    ------
    ValueError
        Before anything is logged: mlflow not installed, a bad or
        unreachable tracking URI, a folder with no ``results.json``.
    MlflowLoggingError
        The tracking store failed while logging.

    Examples
    --------
    >>> from skdigits.benchmark import log_run_folder
    >>> log_run_folder("benchmark-results")  # doctest: +SKIP
    'dd3c174a4ac5460e9998966df0395e01'
    """
    folder = Path(output_dir).resolve()
    meta, rows = _read_results(folder)
    uri = check_tracking_uri(resolve_tracking_uri(tracking_uri, folder))
    mlflow = _import_mlflow()
    try:
        with _http_limits():
            client = mlflow.MlflowClient(tracking_uri=uri)
            experiment_id = _experiment(client, experiment_name, uri)
            record = _logged(folder, uri, experiment_id)
            parent = _parent_run(client, experiment_id, folder, record.get("run_id"))
            _log_parent(client, parent, folder, meta)
            families = {}
            for row in rows:
                run_id = _family_run(client, experiment_id, parent, row["family"], record.get("families", {}))
                _log_family(client, run_id, folder, row)
                families[row["family"]] = run_id
            client.set_terminated(parent, "FINISHED")
    except Exception as exc:
        raise MlflowLoggingError(
            f"could not log {folder} to MLflow at {uri} ({type(exc).__name__}: {exc}); the results are "
            "intact in the folder: log it again (same command) to resume"
        ) from exc
    record = {"tracking_uri": uri, "experiment_id": experiment_id, "run_id": parent, "families": families}
    write_atomic(folder / RUN_FILE, json.dumps(record, indent=2) + "\n")
    return parent


def _read_results(folder):
    """The run's meta (``results.json``) and its table's rows (``results.csv``, full precision).

    ``results.json`` is checked as every reader of a run folder checks it
    (its schema, names, numbers); ``results.csv`` must list the same
    families, in the same order. Else a :class:`RunFolderError` (a
    ValueError) names the file and the fix.
    """
    folder, results = read_results(folder)
    rows = results["results"]
    if (folder / "results.csv").is_file():
        import pandas as pd

        try:
            table = pd.read_csv(folder / "results.csv", dtype={"family": str})
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise RunFolderError(f"{folder}/results.csv is not a readable CSV table ({exc})") from None
        if table.get("family", pd.Series()).tolist() != [row["family"] for row in rows]:
            raise RunFolderError(f"{folder}/results.csv does not list the families of results.json; run the "
                                 "benchmark again (same command, every fit resumed) to rewrite both")
        rows = table.to_dict("records")
    return results["meta"], [{key: _plain(value) for key, value in row.items()} for row in rows]


def _plain(value):
    """A CSV cell as a Python value: NaN as None, NumPy scalars as Python's."""
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and value != value else value


def _logged(folder, uri, experiment_id):
    """What ``mlflow_run.json`` recorded of an earlier logging to the same store, else {}."""
    try:
        record = json.loads((folder / RUN_FILE).read_text())
    except (OSError, ValueError):
        return {}
    same = isinstance(record, dict) and record.get("tracking_uri") == uri
    return record if same and record.get("experiment_id") == experiment_id else {}


def _experiment(client, name, uri):
    """The experiment's id; a new one's artifacts beside a SQLite database, not in the working folder."""
    experiment = client.get_experiment_by_name(name)
    if experiment is not None:
        if experiment.lifecycle_stage == "deleted":
            client.restore_experiment(experiment.experiment_id)
        return experiment.experiment_id
    location = None
    if uri.startswith("sqlite:"):
        location = (_sqlite_path(uri).resolve().parent / "mlartifacts").as_uri()
    # MLflow's UI then opens it on its runs (model training), not on GenAI traces
    return client.create_experiment(name, artifact_location=location,
                                    tags={"mlflow.experimentKind": "custom_model_development"})


def _active(client, run_id):
    """``run_id`` if that run exists and is not deleted, else None."""
    if not run_id:
        return None
    try:
        run = client.get_run(run_id)
    except Exception:  # MlflowException: no such run in this store
        return None
    return run_id if run.info.lifecycle_stage == "active" else None


def _find(client, experiment_id, tags):
    """The oldest active run with these tags, or None."""
    query = " and ".join(f"tags.\"{key}\" = '{_quoted(value)}'" for key, value in tags.items())
    runs = client.search_runs([experiment_id], query, max_results=1, order_by=["attributes.start_time ASC"])
    return runs[0].info.run_id if runs else None


def _quoted(value):
    return str(value).replace("\\", "\\\\").replace("'", "\\'")


def _parent_run(client, experiment_id, folder, recorded):
    """The run folder's parent run: the recorded one, the one tagged with the folder, or a new one."""
    tags = {KIND_TAG: "benchmark", FOLDER_TAG: str(folder)}
    run_id = _active(client, recorded) or _find(client, experiment_id, tags)
    if run_id is None:
        run_id = client.create_run(experiment_id, tags=tags, run_name=folder.name).info.run_id
    return run_id


def _family_run(client, experiment_id, parent, family, recorded):
    """The family's nested run under ``parent``: found again, or new."""
    tags = {"mlflow.parentRunId": parent, FAMILY_TAG: family}
    run_id = _active(client, recorded.get(family)) or _find(client, experiment_id, tags)
    if run_id is None:
        run_id = client.create_run(experiment_id, tags={**tags, KIND_TAG: "family"}, run_name=family).info.run_id
    return run_id


def _log_parent(client, run_id, folder, meta):
    """The run's settings, seed and data digest as params; versions and machine as tags; its reports."""
    settings = dict(meta.get("settings", {}))
    params = {**settings, "seed": meta.get("seed"), "fit_timeout": meta.get("fit_timeout")}
    test_set = meta.get("test_set") or {}
    for key in ("digest", "labels_digest"):
        if key in test_set:
            params[f"test_set.{key}"] = test_set[key]
    tags = {f"version.{name}": value for name, value in meta.get("versions", {}).items()}
    machine = meta.get("machine", {})
    tags.update({f"machine.{name}": value for name, value in machine.items()})
    tags.update({"seed": meta.get("seed"), "data": settings.get("data"), "profile": settings.get("profile")})
    if test_set.get("digest"):
        tags["test_set.digest"] = test_set["digest"]
    _log_values(client, run_id, params, {key: meta.get(key) for key in RUN_METRICS}, tags)
    for name in RUN_ARTIFACTS:
        if (folder / name).is_file():
            client.log_artifact(run_id, str(folder / name))


def _best_params(text):
    """``'C=0.3, hidden=(64, 32)'`` as ``{'best.C': '0.3', 'best.hidden': '(64, 32)'}``."""
    pairs = re.split(r",\s*(?=[A-Za-z_][\w.]*=)", text or "")
    best = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if sep:
            best[f"best.{name.strip()}"] = value.strip()
    return best


def _log_family(client, run_id, folder, row):
    """A family's results as params and metrics; its cv_results, per-digit report and model as artifacts."""
    family = row["family"]
    params = {"family": family, "preprocessing": row.get("preprocessing"), "best_params": row.get("best_params"),
              "iterations": row.get("iterations") or None, "grid_edges": row.get("grid_edges") or None,
              **_best_params(row.get("best_params"))}
    tags = {"status": row.get("status"), "error": row.get("error") or None}
    _log_values(client, run_id, params, {key: row.get(key) for key in METRICS}, tags)
    for subfolder in ("cv_results", "per_class"):
        path = folder / subfolder / f"{family}.csv"
        if path.is_file():
            client.log_artifact(run_id, str(path), subfolder)
    for path in sorted((folder / "models").glob(f"{family}.*")):
        if path.suffix in MODEL_SUFFIXES and path.stem == family:
            client.log_artifact(run_id, str(path), "model")
    confusion = folder / "figures" / f"confusion_{family}.png"
    if confusion.is_file():
        client.log_artifact(run_id, str(confusion), "figures")
    client.set_terminated(run_id, "FINISHED" if row.get("status") == "ok" else "FAILED")


def _log_values(client, run_id, params, metrics, tags):
    """Log what is new or changed: params are immutable in MLflow, a changed one is kept as a tag."""
    from mlflow.entities import Metric, Param, RunTag

    data = client.get_run(run_id).data
    params = {_key(k): _text(v) for k, v in params.items() if v is not None}
    changed = {k: v for k, v in params.items() if k in data.params and data.params[k] != v}
    if changed:
        warnings.warn(f"MLflow run {run_id}: params {', '.join(changed)} changed since last logged; "
                      "their new values are tags", stacklevel=3)
    new_params = [Param(k, v) for k, v in params.items() if k not in data.params]
    tags = {**{_key(k): _text(v) for k, v in tags.items() if v is not None}, **changed}
    new_tags = [RunTag(k, v) for k, v in tags.items() if data.tags.get(k) != v]
    new_metrics = [Metric(k, float(v), _now_ms(), 0) for k, v in metrics.items()
                   if _number(v) and data.metrics.get(k) != float(v)]  # unchanged: no new history entry
    client.log_batch(run_id, metrics=new_metrics, params=new_params, tags=new_tags)


def _key(name):
    return re.sub(r"[^\w\-. /]", "_", str(name))[:250]


def _text(value):
    return str(value)[:6000]


def _number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value


def _now_ms():
    return int(time.time() * 1000)
