"""A run's output folder, its one format: the layout, the writer and the reader.

A run writes, each file whole or absent (``write_atomic``):

- ``results.json`` (the table, with the settings, versions, a digest of the
  test set and the folder's :data:`SCHEMA_VERSION`) and ``results.csv``;
- ``cv_results/<family>.csv``: each family's search results;
- ``report_data.json``: each family's test predictions, training curves,
  pipeline and the pictures of the digits it got wrong;
- ``models/<family>.skops`` (and ``.keras`` for skdigits' Keras networks,
  see :class:`~skdigits.benchmark.SavedKerasClassifier`), with
  ``models/<family>.json`` naming the refit they are of and their format;
- ``fits/<family>/``: the resumable searches' records (the searches' own
  store, see :class:`~skdigits.model_selection.FitStore`).

Everything else in the folder, ``report.html``, ``results.md``, the figures,
the per-class scores and the McNemar tests, is computed from these files, so
it can be rebuilt (:func:`build_report`) and compared (:func:`compare_runs`)
without refitting anything. Nothing read back runs code: JSON, CSV, skops
(with its trusted types) and Keras' ``safe_mode``.

Readers: :func:`read_run` (what the reports are made from) and
:func:`load_run` (the public reader: table, search results, models); both
start from :func:`_read_results`, the one check of a folder.
"""

import base64
import json
import math
import re
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.base import clone

from .._trusted_types import TRUSTED_TYPES
from ..model_selection import write_atomic
from ._cache import without_cache
from ._names import check_family_name, family_path
from ._pipelines import final_step
from ._saved_keras import SavedKerasClassifier, is_keras

#: The version of the folder's format, written into ``results.json`` (and,
#: as ``report_format``, into ``report_data.json``); a reader refuses others.
SCHEMA_VERSION = 1
REPORT_FORMAT = SCHEMA_VERSION  # the name report_data.json and results.json's meta use
N_MISCLASSIFIED = 24  # digits pictured per family
MODELS = "models"


class RunFolderError(ValueError):
    """A folder is not a finished benchmark run that reports can be made from.

    Raised by :func:`skdigits.benchmark.build_report` and
    :func:`skdigits.benchmark.compare_runs`; the message names the folder,
    what is missing and how to get it.
    """


class UntrustedModelError(ValueError):
    """A saved model holds types that skops does not trust by default."""


_ENSEMBLE_TEXT = (
    "A soft vote: the refitted members' test probabilities averaged with weights chosen on "
    "held-out training rows, from the members fitted on other training rows (the same rows for "
    "every member; the SVM's decision values calibrated on the held-out rows), never on the test "
    "set. When the vote errs more on the held-out rows than its best member, that member alone."
)



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



# The writer.

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
    without_cache(pipeline)  # a cache folder is no part of the model
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
    write_atomic(folder / "results.json",
                 json.dumps({"schema_version": SCHEMA_VERSION, "meta": meta, "results": records}, indent=2))
    for family, cv_table in cv_tables.items():
        write_atomic(family_path(folder, "cv_results", family, ".csv"), cv_table.to_csv(index=False))
    for family in set(table["family"]) - set(cv_tables) - set(refits):  # failed, no search table of this run
        family_path(folder, "cv_results", family, ".csv").unlink(missing_ok=True)  # none of another run's
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
            # A result kept from the previous run brings its own texts (see previous_run).
            "pipeline": record["pipeline"] if "pipeline" in record else _pipeline_text(spec, cv_tables.get(family)),
            "description": record["description"] if "description" in record
            else getattr(spec, "description", "") or _ENSEMBLE_TEXT * bool(record.get("weights")),
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


def _keras_bytes(network):
    """The ``.keras`` file of ``network`` (``network.save``), as bytes."""
    with tempfile.TemporaryDirectory(prefix="skdigits-keras-") as folder:
        path = Path(folder) / "network.keras"
        network.save(path)
        return path.read_bytes()


@dataclass(frozen=True)
class ModelFiles:
    """A refitted model as the files ``models/`` keeps it in, made where it was fitted.

    Attributes
    ----------
    files : dict of str to bytes
        Each file's content by its suffix (``.skops``, and ``.keras`` for a
        Keras network).
    format : str
        'skops', or 'skops+keras'.
    """

    files: dict
    format: str


def model_files(estimator):
    """The :class:`ModelFiles` of a refitted model: skops, and Keras' own format for a network.

    Made in the process that fitted the model (a search worker, a Dask
    worker): only bytes travel back, never the model as a Python object
    (the random forest's is some 300 MB in memory, 175 MB saved).
    """
    import skops.io as sio

    estimator = without_cache(estimator)  # a cache folder is no part of the model
    network = final_step(estimator)
    if not is_keras(network):
        return ModelFiles({".skops": sio.dumps(estimator)}, "skops")
    pipeline = _copy_with_passthrough(estimator) if estimator is not network else None
    classes = np.asarray(network.classes_)
    content = {"pipeline": pipeline, "classes": classes.tolist(), "classes_dtype": classes.dtype.str}
    return ModelFiles({".keras": _keras_bytes(network.model_), ".skops": sio.dumps(content)}, "skops+keras")


def write_model(saved, folder, family, key):
    """Write a :class:`ModelFiles` under ``folder/models`` as ``family``'s; return its ``.skops`` path.

    Each file is whole or absent; ``models/<family>.json`` (the refit's
    ``key`` and the format) is removed first and written last, so a model
    is complete once it names the refit, and never names another's files.
    """
    info = family_path(folder, MODELS, family, ".json")
    info.parent.mkdir(parents=True, exist_ok=True)
    info.unlink(missing_ok=True)
    for suffix, content in saved.files.items():
        write_atomic(family_path(folder, MODELS, family, suffix), content)
    write_atomic(info, json.dumps({"refit_key": key, "format": saved.format}))
    return info.with_suffix(".skops")


def save_model(estimator, folder, family, key):
    """Save a refitted model under ``folder/models``; return its ``.skops`` path."""
    return write_model(model_files(estimator), folder, family, key)


def _copy_with_passthrough(pipeline):
    """The fitted Pipeline with its last step replaced by 'passthrough' (not copied deeply)."""
    from sklearn.pipeline import Pipeline

    steps = list(pipeline.steps[:-1]) + [(pipeline.steps[-1][0], "passthrough")]
    return without_cache(Pipeline(steps, verbose=pipeline.verbose))



# The reader.

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


def _read_results(folder):
    """The folder as a Path and its ``results.json``: the one check that a folder is a finished run."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RunFolderError(f"{folder} is not a folder; give the --output folder of a finished benchmark run")
    results = _check_results(_read_json(folder / "results.json", folder), folder / "results.json")
    version = results.get("schema_version", SCHEMA_VERSION)  # folders written before it was recorded
    if version != SCHEMA_VERSION:
        raise RunFolderError(
            f"{folder}/results.json has schema version {version!r}, this skdigits reads version "
            f"{SCHEMA_VERSION}; run the benchmark again with this version to rewrite it"
        )
    return folder, results


def succeeded_before(folder):
    """The families that succeeded in the folder's previous ``results.json`` (none if unreadable)."""
    try:
        _, results = _read_results(folder)
    except RunFolderError:
        return set()
    return {r.get("family") for r in results.get("results", []) if r.get("status") == "ok"}


#: Settings that do not change a family's result: a rerun may differ in them and keep previous results.
_NOT_IN_RESULTS = ("families", "n_jobs")


def _same_settings(recorded, settings):
    def kept(d):
        return {k: v for k, v in d.items() if k not in _NOT_IN_RESULTS}

    return isinstance(recorded, dict) and kept(recorded) == kept(settings)


def previous_run(folder, settings, data_key):
    """The folder's previous run when it was run with the same settings on the same data, else None.

    ``settings`` is what ``results.json`` records (``RunSettings.recorded``),
    ``data_key`` the digest of the training and test sets. Only such a run's
    results may stand in for a family that fails on a rerun; a run of other
    settings (or an unreadable folder) gives None.
    """
    try:
        previous = read_run(folder)
    except RunFolderError:
        return None
    meta = previous.meta
    if meta.get("data_key") != data_key or not _same_settings(meta.get("settings"), settings):
        return None
    return previous


def previous_result(previous, family):
    """``family``'s row and report record in a previous run (:func:`previous_run`), or None if it had none.

    The record holds what :func:`save_run_data` writes for it again as it was:
    test predictions, training curves, the ensemble's weights, the pipeline's
    and description's texts.
    """
    rows = previous.table.set_index("family") if previous is not None and len(previous.table) else None
    if rows is None or family not in rows.index or rows.loc[family, "status"] != "ok" \
            or family not in previous.families:
        return None
    row = {"family": family, **rows.loc[family].to_dict()}
    kept = previous.families[family]
    record = {"history": kept.get("history"), "weights": kept.get("weights"),
              "pipeline": kept.get("pipeline") or "", "description": kept.get("description") or ""}
    phases = (previous.meta.get("phases_s") or {}).get(family)
    if phases:
        record["phases"] = phases
    if kept.get("weights"):  # the ensemble: how its members were chosen
        record["validation"] = previous.meta.get("ensemble")
    return row, {**record, "y_pred": kept["y_pred"]}


def _name(name, where):
    """A family name read from ``where``, checked: a bad one is a RunFolderError naming the file."""
    return check_family_name(name, where, RunFolderError)


def _number(value, where, low=-math.inf, high=math.inf):
    """A finite number in [low, high] read from ``where``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        raise RunFolderError(f"{where}: {value!r} is not a finite number in [{low:g}, {high:g}]")
    return value


def _check(condition, where, problem):
    if not condition:
        raise RunFolderError(f"{where}: {problem}; run the benchmark again to rewrite it")


def _check_results(results, path):
    """``results.json`` as the readers need it: a meta dict, rows with checked names and error rates."""
    _check(isinstance(results, dict), path, "is not a JSON object")
    _check(isinstance(results.get("meta"), dict), path, "has no 'meta' object")
    for section in ("settings", "versions", "machine", "test_set"):
        _check(isinstance(results["meta"].get(section, {}), dict), path, f"meta's {section!r} is not an object")
    _check_meta(results["meta"], path)
    rows = results.get("results")
    _check(isinstance(rows, list) and all(isinstance(r, dict) for r in rows), path, "'results' is not a list of rows")
    for i, row in enumerate(rows):
        where = f"{path} row {i}"
        _name(row.get("family"), where)
        _check(row.get("status") in ("ok", "failed", "timed out"), where, f"status {row.get('status')!r} is unknown")
        if row["status"] == "ok":
            _number(row.get("test_error"), f"{where} test_error", 0, 1)
    _check(len({r["family"] for r in rows}) == len(rows), path, "a family is listed twice")
    return results


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_meta(meta, path):
    """The numbers and names of ``results.json``'s meta that the reports format: of the right types."""
    settings = meta.get("settings", {})
    for key in ("train_rows", "test_rows"):
        if key in settings:
            _number(settings[key], f"{path} meta.settings.{key}", 0)
    for key in ("total_time_s", "peak_memory_mb", "peak_memory_at_s"):
        if meta.get(key) is not None:
            _number(meta[key], f"{path} meta.{key}", 0)
    phases = meta.get("phases_s") or {}
    _check(isinstance(phases, dict), path, "meta's 'phases_s' is not an object")
    for family, times in phases.items():
        _name(family, f"{path} meta.phases_s")
        _check(isinstance(times, dict) and all(map(_is_number, times.values())), path,
               f"meta.phases_s of {family} is not an object of seconds")
    _check_schedule(meta.get("schedule") or [], path)
    kept = meta.get("kept_from_previous_run") or {}
    _check(isinstance(kept, dict) and set(kept.values()) <= {"failed", "timed out"}, path,
           "meta's 'kept_from_previous_run' is not an object of families and 'failed' or 'timed out'")
    for family in kept:
        _name(family, f"{path} meta.kept_from_previous_run")


#: The phases of ``meta.schedule``'s fits (see ``skdigits.benchmark._family.fit_schedule``).
SCHEDULE_PHASES = ("cv", "refit", "ensemble_fit", "repeats")

#: A machine's name as ``socket.gethostname()`` gives it (RFC 1123's letters, digits, '-' and '.'; '_' too).
_HOST = re.compile(r"[A-Za-z0-9._-]{1,255}")


def _check_schedule(schedule, path):
    """``meta.schedule``: a list of fits, each a family, a phase, a machine, a process id and two times in seconds.

    The machine (``host``) is absent from the schedules of runs made before it was recorded.
    """
    _check(isinstance(schedule, list) and all(isinstance(e, dict) for e in schedule), path,
           "meta's 'schedule' is not a list of objects")
    for i, entry in enumerate(schedule):
        where = f"{path} meta.schedule[{i}]"
        _name(entry.get("family"), where)
        _check(entry.get("phase") in SCHEDULE_PHASES and _is_count(entry.get("pid"), 0), where,
               f"its phase is not one of {', '.join(SCHEDULE_PHASES)}, or its pid not a whole number")
        host = entry.get("host")
        _check(host is None or isinstance(host, str) and _HOST.fullmatch(host), where,
               "its host is not a machine's name (letters, digits, '.', '-' or '_')")
        _number(entry.get("start_s"), f"{where}.start_s")
        _number(entry.get("seconds"), f"{where}.seconds", 0)


def _is_count(value, low):
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


def _check_family_record(record, pictured, where):
    """A family's entry of ``report_data.json``: pictured rows, curves, weights and texts of the right types."""
    wrong = record.get("misclassified", [])
    _check(isinstance(wrong, list) and all(_is_count(i, 0) and i in pictured for i in wrong), where,
           "'misclassified' is not a list of the pictured rows")
    history = record.get("history")
    _check(history is None or isinstance(history, dict) and all(
        isinstance(v, list) and all(map(_is_number, v)) for v in history.values()), where,
        "'history' is not an object of lists of numbers")
    weights = record.get("weights")
    _check(weights is None or isinstance(weights, dict) and all(map(_is_number, weights.values())), where,
           "'weights' is not an object of numbers")
    for key in ("pipeline", "description"):
        _check(isinstance(record.get(key, ""), str), where, f"{key!r} is not text")


def _check_report_data(data, path):
    """``report_data.json``: y_true a list, each family's y_pred a list of its length, names checked."""
    _check(isinstance(data, dict), path, "is not a JSON object")
    _check(isinstance(data.get("y_true"), list), path, "'y_true' is not a list of labels")
    _check(isinstance(data.get("families"), dict), path, "'families' is not an object")
    for family, record in data["families"].items():
        _name(family, f"{path} families")
        _check(isinstance(record, dict) and isinstance(record.get("y_pred"), list)
               and len(record["y_pred"]) == len(data["y_true"]), path,
               f"{family}'s y_pred is not a list of {len(data['y_true'])} labels")
    shape, rows = data.get("image_shape"), data.get("image_rows")
    _check(isinstance(shape, list) and len(shape) == 2 and all(_is_count(v, 1) for v in shape), path,
           "'image_shape' is not [height, width] of positive ints")
    _check(isinstance(rows, list) and all(_is_count(v, 0) for v in rows), path,
           "'image_rows' is not a list of row numbers")
    for family, record in data["families"].items():
        _check_family_record(record, set(rows), f"{path} families.{family}")
    images = data.get("images")
    _check(isinstance(images, dict) and images.get("dtype") in ("u1", "<f4"), path,
           "'images' is not an object of uint8 or float32 pixels")
    return data


def _read_cv_results(folder):
    tables = {}
    for path in sorted((folder / "cv_results").glob("*.csv")):
        try:
            tables[_name(path.stem, path)] = pd.read_csv(path)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            if isinstance(exc, RunFolderError):
                raise
            raise RunFolderError(f"{path} is not a readable CSV table ({exc})") from None
    return tables


def read_run(folder):
    """Read a finished run's folder, as the reports need it.

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
    folder, results = _read_results(folder)
    if not (folder / "report_data.json").exists():
        raise RunFolderError(
            f"{folder} was written by an older skdigits that did not save report_data.json; "
            "run the same benchmark command again to write it (every fit is resumed, nothing is refitted)"
        )
    data = _read_json(folder / "report_data.json", folder)
    if not isinstance(data, dict) or data.get("report_format") != REPORT_FORMAT:
        raise RunFolderError(
            f"{folder}/report_data.json has format {data.get('report_format')!r}, this skdigits reads "
            f"format {REPORT_FORMAT}; run the benchmark again with this version to rewrite it"
        )
    _check_report_data(data, folder / "report_data.json")
    table = pd.DataFrame(results["results"])
    cv_tables = _read_cv_results(folder)
    try:
        images = _decode_images(data["images"])
    except (TypeError, ValueError, KeyError) as exc:
        raise RunFolderError(f"{folder}/report_data.json: 'images' cannot be decoded ({exc})") from None
    _check(images.shape == (len(data["image_rows"]), math.prod(data["image_shape"])), folder / "report_data.json",
           "'images' are not one image of 'image_shape' per row of 'image_rows'")
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
        images=dict(zip(data["image_rows"], images, strict=False)),
        image_shape=tuple(data["image_shape"]),
    )


def saved_key(folder, family):
    """The refit key of the model saved for ``family``, or None."""
    path = family_path(folder, MODELS, family, ".json")
    if not (path.exists() and (path.with_suffix(".skops")).exists()):
        return None
    try:
        info = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return info.get("refit_key") if isinstance(info, dict) else None


#: What a family's error files are for: its run (''), its model's saving ('-model'), its fit for the ensemble
#: ('-holdout'); each is ``errors/<family><suffix>.txt``.
ERROR_SUFFIXES = ("", "-model", "-holdout")


def error_path(folder, family, suffix=""):
    """The path of ``errors/<family><suffix>.txt``, the one place that names it (``suffix`` in ERROR_SUFFIXES)."""
    return family_path(folder, "errors", family, f"{suffix}.txt")


def write_error(folder, family, text, suffix=""):
    """Write ``errors/<family><suffix>.txt``; a file that cannot be written is a warning, not fatal."""
    try:
        write_atomic(error_path(folder, family, suffix), text)
    except (OSError, ValueError) as exc:
        warnings.warn(f"the traceback of {family} could not be written under {folder}/errors ({exc})",
                      RuntimeWarning, stacklevel=2)


def remove_if_empty(folder):
    """Remove ``folder`` if it is an empty folder (a refused run's output folder); None is ignored."""
    if folder is None:
        return
    try:
        Path(folder).rmdir()  # refuses a folder that holds anything
    except (OSError, TypeError):
        pass


def families_of_earlier_runs(folder, families):
    """Families whose saved model or search results lie in ``folder`` but are not among ``families``.

    An earlier run in the same folder, of other families or other settings,
    leaves ``models/<family>.*`` and ``cv_results/<family>.csv`` behind: they
    are kept (a fitted model is not remade from the fit records), and the
    readers ignore them (a run is what its ``results.json`` lists). Only
    names that pass :func:`check_family_name` count.
    """
    found = set()
    for subdir, pattern in ((MODELS, "*.json"), ("cv_results", "*.csv")):
        for path in Path(folder, subdir).glob(pattern):
            try:
                found.add(check_family_name(path.stem, str(path)))
            except ValueError:
                continue
    return sorted(found - set(families))


def clear_errors(folder, family):
    """Remove a family's error files (its run's, its model's, its fit's for the ensemble): it runs again."""
    for suffix in ERROR_SUFFIXES:
        try:
            error_path(folder, family, suffix).unlink(missing_ok=True)
        except (OSError, ValueError):
            pass




def _trusted(trusted):
    return sorted(TRUSTED_TYPES | set(trusted or ()))


def _untrusted(path, trusted):
    import skops.io as sio

    untrusted = sorted(set(sio.get_untrusted_types(file=path)) - set(_trusted(trusted)))
    if untrusted:
        raise UntrustedModelError(
            f"{path} holds types that skops does not trust by default: {', '.join(untrusted)}; "
            f"if you trust this run folder, pass them: load_run(folder, trusted={untrusted!r})"
        )


def load_model(folder, family, trusted=None):
    """The fitted model saved for ``family`` in a run folder.

    Raises
    ------
    UntrustedModelError
        When the file holds types neither skops nor ``trusted`` trusts.
    """
    import skops.io as sio

    path = family_path(folder, MODELS, family, ".skops")
    try:
        info = json.loads(path.with_suffix(".json").read_text())
    except (OSError, ValueError) as exc:
        raise RunFolderError(f"{path.with_suffix('.json')} is not readable JSON ({exc})") from None
    kind = info.get("format", "skops") if isinstance(info, dict) else None
    if kind not in ("skops", "skops+keras"):
        raise RunFolderError(f"{path.with_suffix('.json')} is not a JSON object with a 'format' of 'skops' or "
                             "'skops+keras'; run the benchmark again to rewrite it")
    _untrusted(path, trusted)
    content = sio.load(path, trusted=_trusted(trusted))
    if kind != "skops+keras":
        return content
    return _saved_keras(content, path)


def _saved_keras(content, path):
    """A Keras network's classifier (in its Pipeline, if any) from its ``.skops`` part and its ``.keras`` file."""
    from sklearn.pipeline import Pipeline

    problem = RunFolderError(f"{path} does not hold a Keras network's pipeline and classes; run the benchmark "
                             "again to rewrite it")
    try:
        classes = np.asarray(content["classes"], dtype=np.dtype(content["classes_dtype"]))
        pipeline = content["pipeline"]
    except (TypeError, KeyError, ValueError):
        raise problem from None
    if pipeline is not None and not isinstance(pipeline, Pipeline):
        raise problem
    # TensorFlow as skdigits imports it: quietly, with the kernels and threads the network was trained with.
    from ..neural_network._base import keras

    try:
        # compile=False: the network predicts; its optimizer (whose learning-rate schedule is one of
        # skdigits' classes, which a process that has not imported them cannot locate) is not needed.
        network = keras.saving.load_model(path.with_suffix(".keras"), compile=False, safe_mode=True)
    except (OSError, ValueError, TypeError) as exc:
        raise RunFolderError(f"{path.with_suffix('.keras')} is not a readable Keras model ({exc})") from None
    classifier = SavedKerasClassifier(network, classes)
    if pipeline is None:
        return classifier
    pipeline.steps[-1] = (pipeline.steps[-1][0], classifier)
    return pipeline


@dataclass
class LoadedRun:
    """A finished run, as :func:`load_run` reads it.

    Attributes
    ----------
    table : DataFrame
        One row per family, sorted by test error (``results.json``).
    cv_results : dict of str to DataFrame
        Each family's cross-validation results (its search's ``cv_results_``).
    models : dict of str to estimator
        Each family's refitted best model, fitted on the run's training
        rows; families that failed, timed out, or the ensemble, are absent.
    meta : dict
        Settings, versions, machine and timings of the run.
    """

    table: pd.DataFrame
    cv_results: dict = field(default_factory=dict)
    models: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)


def load_run(folder, trusted=None):
    """Read a finished run: its table, cross-validation results and fitted models.

    The models are those the run refitted and scored on the test set; they
    predict exactly the test predictions the run reported. Files are loaded
    with skops (and Keras' ``safe_mode``), which run no arbitrary code.

    Parameters
    ----------
    folder : str or path-like
        The run's output folder (``--output``).
    trusted : list of str, default=None
        Types to trust beyond skops' defaults (for a model of yours with
        types of its own, as the error message of an untrusted file lists
        them). Trust only run folders you made or trust.

    Returns
    -------
    run : LoadedRun
        ``table``, ``cv_results``, ``models`` and ``meta``.

    Raises
    ------
    RunFolderError
        When the folder is not a finished run.
    UntrustedModelError
        When a model file holds types that are not trusted; the message
        names them and the ``trusted=`` that loads them.

    Examples
    --------
    >>> from skdigits.benchmark import load_run
    >>> run = load_run("benchmark-results")  # doctest: +SKIP
    >>> run.models["logreg"].predict(X_test)  # doctest: +SKIP
    """
    folder, results = _read_results(folder)
    cv_results = _read_cv_results(folder)
    table = pd.DataFrame(results["results"])
    ok = table.loc[table["status"] == "ok", "family"]
    models = {f: load_model(folder, f, trusted) for f in ok if (folder / MODELS / f"{f}.skops").exists()}
    return LoadedRun(table, {f: t for f, t in cv_results.items() if f in set(table["family"])}, models,
                     results["meta"])
