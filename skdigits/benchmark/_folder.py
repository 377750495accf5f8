"""A finished run's output folder: what the reports are made from.

A run writes ``results.json`` (the table, with the settings, versions and a
digest of the test set), ``cv_results/<family>.csv`` and
``report_data.json`` (each family's test predictions, training curves,
pipeline and the pictures of the digits it got wrong). Everything else in
the folder, ``report.html``, ``results.md``, the figures, the per-class
scores and the McNemar tests, is computed from these files, so it can be
rebuilt (:func:`build_report`) and compared (:func:`compare_runs`) without
refitting anything.
"""

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.base import clone

from ..model_selection import write_atomic

REPORT_FORMAT = 1
N_MISCLASSIFIED = 24  # digits pictured per family

FAMILY_TITLES = {
    "logreg": "Logistic regression",
    "rf": "Random forest",
    "svm": "RBF support vector machine",
    "knn": "k-nearest neighbours",
    "xgboost": "XGBoost",
    "mlp": "Keras multilayer perceptron",
    "cnn": "Keras convolutional network",
    "ensemble": "Soft-vote ensemble",
}


_ENSEMBLE_TEXT = (
    "A soft vote: the refitted members' test probabilities averaged with weights chosen on "
    "held-out training rows, from the members fitted on other training rows (the same rows for "
    "every member; the SVM's decision values calibrated on the held-out rows), never on the test "
    "set. When the vote errs more on the held-out rows than its best member, that member alone."
)


class RunFolderError(ValueError):
    """A folder is not a finished benchmark run that reports can be made from.

    Raised by :func:`skdigits.benchmark.build_report` and
    :func:`skdigits.benchmark.compare_runs`; the message names the folder,
    what is missing and how to get it.
    """


def family_title(family):
    """The family's name in words: 'Logistic regression (logreg)'."""
    title = FAMILY_TITLES.get(family)
    return f"{title} ({family})" if title else family


@dataclass
class RunData:
    """Everything a report is made from, as read from a run's folder.

    Attributes
    ----------
    folder : Path
        The run's output folder.
    meta : dict
        Settings, versions, machine, timings and the test set's digests.
    table : DataFrame
        One row per family, sorted by test error (``results.json``).
    cv_tables : dict of str to DataFrame
        Each family's cross-validation results; families without one (the
        ensemble) are absent.
    y_true : ndarray of str
        The test labels.
    families : dict of str to dict
        Per family: ``y_pred`` (ndarray of str), ``history`` (dict or None),
        ``pipeline`` (text), ``description``, ``weights`` (the ensemble's)
        and ``misclassified`` (test rows pictured).
    images : dict of int to ndarray
        Pixels of the pictured test rows.
    image_shape : tuple of int
        Height and width of one image.
    """

    folder: Path
    meta: dict
    table: pd.DataFrame
    cv_tables: dict = field(default_factory=dict)
    y_true: np.ndarray = None
    families: dict = field(default_factory=dict)
    images: dict = field(default_factory=dict)
    image_shape: tuple = (28, 28)


def test_set_digests(X_test, y_test):
    """Digests of the test set's pixels and labels, to tell whether two runs share it."""
    labels = np.asarray(y_test).astype(str)
    return {
        "digest": joblib.hash([np.ascontiguousarray(np.asarray(X_test)), labels]),
        "labels_digest": joblib.hash(labels),
        "n_rows": int(len(labels)),
    }


def _image_shape(n_features):
    side = int(np.sqrt(n_features))
    return (side, side) if side * side == n_features else (1, n_features)


def _encode_images(pixels):
    """Pixels as JSON-safe text: uint8 when they are 0-255 integers, else float32."""
    dtype = "<f4"
    if np.all((pixels >= 0) & (pixels <= 255) & (pixels == np.round(pixels))):
        dtype = "u1"
    array = np.ascontiguousarray(pixels, dtype=dtype)
    return {"dtype": dtype, "shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode()}


def _decode_images(record):
    values = np.frombuffer(base64.b64decode(record["data"]), dtype=record["dtype"])
    return values.reshape(record["shape"])


def _pipeline_text(spec, cv_table):
    """The family's pipeline with its best parameters set, as scikit-learn prints it."""
    if spec is None:
        return ""
    pipeline = clone(spec.pipeline)
    if cv_table is not None and len(cv_table):
        best = cv_table.iloc[int(np.argmin(cv_table["rank_test_score"].to_numpy()))]
        pipeline.set_params(**best["params"])
    if "memory" in pipeline.get_params(deep=False):
        pipeline.set_params(memory=None)  # a cache folder is no part of the model
    return pipeline.__repr__(N_CHAR_MAX=10_000)


def save_run_data(folder, table, meta, cv_tables, refits, specs, X_test, y_test):
    """Write the files a run's reports are made from.

    Parameters
    ----------
    folder : Path
        The run's output folder.
    table : DataFrame
        One row per family, sorted by test error.
    meta : dict
        Settings, versions, machine and run statistics; the test set's
        digests are added to it (``meta['test_set']``).
    cv_tables : dict of str to DataFrame
        Each family's cross-validation results.
    refits : dict of str to dict
        Each family's final fit: ``y_pred`` on the test set, ``history``,
        and for the ensemble its ``weights``.
    specs : dict of str to ModelSpec
        The families' pipelines.
    X_test, y_test : array-like
        The test set.
    """
    folder = Path(folder)
    meta["test_set"] = test_set_digests(X_test, y_test)
    meta["report_format"] = REPORT_FORMAT
    records = json.loads(table.to_json(orient="records"))
    write_atomic(folder / "results.csv", table.to_csv(index=False))
    write_atomic(folder / "results.json", json.dumps({"meta": meta, "results": records}, indent=2))
    for family, cv_table in cv_tables.items():
        write_atomic(folder / "cv_results" / f"{family}.csv", cv_table.to_csv(index=False))
    y_true = np.asarray(y_test).astype(str)
    pixels = np.asarray(X_test)
    families, pictured = {}, set()
    for family, record in refits.items():
        y_pred = np.asarray(record["y_pred"]).astype(str)
        wrong = np.flatnonzero(y_pred != y_true)[:N_MISCLASSIFIED]
        pictured.update(int(i) for i in wrong)
        spec = specs.get(family)
        families[family] = {
            "y_pred": y_pred.tolist(),
            "history": record.get("history"),
            "weights": record.get("weights"),
            "pipeline": _pipeline_text(spec, cv_tables.get(family)),
            "description": getattr(spec, "description", "") or _ENSEMBLE_TEXT * bool(record.get("weights")),
            "misclassified": [int(i) for i in wrong],
        }
    rows = sorted(pictured)
    data = {
        "report_format": REPORT_FORMAT,
        "y_true": y_true.tolist(),
        "image_shape": list(_image_shape(pixels.shape[1])),
        "image_rows": rows,
        "images": _encode_images(pixels[rows].reshape(len(rows), pixels[0].size)),
        "families": families,
    }
    write_atomic(folder / "report_data.json", json.dumps(data))


def _read_json(path, folder):
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise RunFolderError(
            f"{folder} has no {path.name}: it is not a finished benchmark run (run "
            f"python -m skdigits.benchmark --output {folder} to make one)"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RunFolderError(f"{path} is not valid JSON ({exc}); run the benchmark again to rewrite it") from None


def load_run(folder):
    """Read a finished run's folder.

    Parameters
    ----------
    folder : str or path-like
        The run's output folder (``--output``).

    Returns
    -------
    run : RunData
        The table, settings, cross-validation tables, predictions and pictures.

    Raises
    ------
    RunFolderError
        When the folder is missing, is not a finished run, or was written
        by a version of skdigits that did not save what reports need.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise RunFolderError(f"{folder} is not a folder; give the --output folder of a finished benchmark run")
    results = _read_json(folder / "results.json", folder)
    if not (folder / "report_data.json").exists():
        raise RunFolderError(
            f"{folder} was written by an older skdigits that did not save report_data.json; "
            "run the same benchmark command again to write it (every fit is resumed, nothing is refitted)"
        )
    data = _read_json(folder / "report_data.json", folder)
    if data.get("report_format") != REPORT_FORMAT:
        raise RunFolderError(
            f"{folder}/report_data.json has format {data.get('report_format')!r}, this skdigits reads "
            f"format {REPORT_FORMAT}; run the benchmark again with this version to rewrite it"
        )
    table = pd.DataFrame(results["results"])
    cv_tables = {}
    for path in sorted((folder / "cv_results").glob("*.csv")):
        cv_tables[path.stem] = pd.read_csv(path)
    images = _decode_images(data["images"])
    families = {}
    for family, record in data["families"].items():
        families[family] = {**record, "y_pred": np.asarray(record["y_pred"], dtype=object)}
    return RunData(
        folder=folder,
        meta=results["meta"],
        table=table,
        cv_tables=cv_tables,
        y_true=np.asarray(data["y_true"], dtype=object),
        families=families,
        images=dict(zip(data["image_rows"], images)),
        image_shape=tuple(data["image_shape"]),
    )

