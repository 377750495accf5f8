"""Running the benchmark: search, refit and report every family."""

import contextlib
import os
import platform
import threading
import time
import traceback
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from joblib import Memory, parallel_config
from joblib.externals.loky import get_reusable_executor
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid

from .. import __version__
from ..zoo import FAMILIES, PROFILE_SETTINGS, check_family, check_profile, describe_features, get_model
from ..datasets import load_train_test, parse_source
from ._report import TABLE_COLUMNS, write_reports
from ._ensemble import ENSEMBLE, soft_vote_row
from ._search import decode_array, encode_array, grid_search, halving_search, predict_with_proba
from ._stats import error_interval
from ._store import FitStore, pipeline_digest, task_key, write_atomic

SEARCHES = {"grid": grid_search, "halving": halving_search}
KERAS_FAMILIES = ("mlp", "cnn")


def _check_arguments(families, profile, search, cv, n_jobs, train_size, output_dir):
    """Refuse bad arguments before any work starts."""
    for family in families:
        check_family(family)
    check_profile(profile)
    if search not in SEARCHES:
        raise ValueError(f"unknown search {search!r}; choose from {', '.join(SEARCHES)}")
    if cv is not None and (not isinstance(cv, (int, np.integer)) or cv < 2):
        raise ValueError(f"cv must be an integer >= 2 (folds), got {cv!r}")
    if not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0:
        raise ValueError(f"n_jobs must be a non-zero integer (-1 for all cores), got {n_jobs!r}")
    if train_size is not None and (not isinstance(train_size, (int, np.integer)) or train_size < 2):
        raise ValueError(f"train_size must be an integer >= 2, got {train_size!r}")
    output_dir = Path(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        probe = output_dir / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ValueError(
            f"cannot write to output folder {output_dir} ({exc.strerror or exc}); "
            "choose another with --output"
        ) from exc


def nested_stratified_rows(y, size, seed):
    """Positions of a stratified subset of ``size`` rows, nested across sizes.

    Each class is shuffled, and rows are taken in the order of their rank
    within their class (relative to the class's size), so every prefix keeps
    the class proportions and a smaller subset is part of a larger one: the
    families that search 10,000 rows search rows that the 20,000-row
    families search too, and their out-of-fold predictions can be compared
    row by row (the ensemble is chosen on them).
    """
    y = np.asarray(y)
    if size is None or size >= len(y):
        return np.arange(len(y))
    rng = np.random.RandomState(seed)
    rank = np.empty(len(y))
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        rank[rng.permutation(members)] = (np.arange(len(members)) + 0.5) / len(members)
    order = np.lexsort((rng.permutation(len(y)), rank))
    return np.sort(order[:size])


def _take_rows(X, rows):
    return X.iloc[rows] if hasattr(X, "iloc") else X[rows]


def _fingerprint(*arrays):
    """A digest of the data, so that fits on other data are never reused."""
    return joblib.hash([np.asarray(a) for a in arrays])


class _PeakMemory:
    """Samples the memory of this process and its children (joblib workers).

    Uses the proportional set size where the system gives it (Linux), so that
    pages the processes share, such as memory-mapped training data, count
    once; elsewhere the resident set size, which counts them in each process.
    """

    def __init__(self, interval=0.5):
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()

    def _sample(self):
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    info = proc.memory_full_info()
                    total += getattr(info, "pss", info.rss)
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _versions():
    import sklearn
    import xgboost

    versions = {"python": platform.python_version(), "skdigits": __version__, "scikit-learn": sklearn.__version__}
    try:
        import tensorflow as tf

        versions["tensorflow"] = tf.__version__
    except ImportError:  # pragma: no cover - a dependency
        versions["tensorflow"] = None
    versions["xgboost"] = xgboost.__version__
    return versions


def _machine():
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    info = {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "memory_gib": round(memory, 1),
    }
    info["summary"] = f"{info['cpu_count']} CPUs, {info['memory_gib']} GiB, {info['platform']}"
    return info


class _Progress:
    """A progress bar with ETA over all fits of the run, or nothing when quiet."""

    def __init__(self, total, quiet):
        self.quiet = quiet
        if quiet:
            return
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self._bar = Progress(
            TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), transient=False,
        )
        self._task = self._bar.add_task("starting", total=total)

    def __enter__(self):
        if not self.quiet:
            self._bar.start()
        return self

    def __exit__(self, *exc):
        if not self.quiet:
            self._bar.stop()

    def family(self, name):
        if not self.quiet:
            self._bar.update(self._task, description=name)

    def advance(self, n=1):
        if not self.quiet and n:
            self._bar.advance(self._task, n)

    def log(self, message):
        if not self.quiet:
            self._bar.console.print(message)


def _refit(spec, params, data, *, n_jobs, store, context, seed):
    """Fit the best candidate on all training rows, score it on the test set."""
    X_train, X_test, y_train, y_test = data
    key = task_key(kind="refit", family=spec.family, params=params, seed=seed, **context)
    record = store.get(spec.family, key)
    if record is not None:
        return record, True
    # The search's idle worker processes would hold their memory during the
    # refit, the run's largest allocation: let them go (new ones start on demand).
    get_reusable_executor().shutdown(wait=True)
    estimator = clone(spec.pipeline).set_params(**params)
    # The final fit runs alone: estimators whose n_jobs is None (forests,
    # neighbours) take their parallelism from joblib's context.
    with parallel_config(n_jobs=n_jobs):
        start = time.perf_counter()
        estimator.fit(X_train, y_train)
        fit_time = time.perf_counter() - start
        start = time.perf_counter()
        y_pred, proba = predict_with_proba(estimator, X_test)
        predict_time = time.perf_counter() - start
    final = estimator[-1]
    record = {
        "params": {k: repr(v) for k, v in params.items()},
        "fit_time": fit_time,
        "predict_time": predict_time,
        "y_pred": [str(v) for v in np.asarray(y_pred)],
        "history": getattr(final, "history_", None),
    }
    if proba is not None:
        record["proba"] = encode_array(proba)
        record["classes"] = [str(c) for c in estimator.classes_]
    store.put(spec.family, key, record)
    return record, False


def _best_candidate(cv_table):
    """Position in ``cv_table`` and candidate number of the best-ranked candidate."""
    position = int(np.argmin(cv_table["rank_test_score"].to_numpy()))
    number = int(cv_table["candidate"].iloc[position]) if "candidate" in cv_table else position
    return position, number


def _run_family(spec, data, *, cv, search, seed, n_jobs, store, memory, context, progress):
    X_train, X_test, y_train, y_test = data
    rows = nested_stratified_rows(y_train, spec.search_size, seed)
    X_search, y_search = _take_rows(X_train, rows), _take_rows(y_train, rows)
    context = {**context, "search_rows": joblib.hash(rows)}
    if "features" in spec.pipeline.named_steps or "pca" in spec.pipeline.named_steps:
        # Features and PCA are computed once per fold, not once per candidate,
        # and HOG features once per fold for all families that search them.
        spec.pipeline.set_params(memory=memory)
    cv_table, resumed, oof_proba = SEARCHES[search](
        spec, X_search, y_search, cv=cv, seed=seed, n_jobs=n_jobs, store=store,
        context=context, on_task_done=progress.advance,
    )
    position, candidate = _best_candidate(cv_table)
    best = cv_table.iloc[position]
    record, refit_resumed = _refit(spec, best["params"], data, n_jobs=n_jobs, store=store, context=context, seed=seed)
    progress.advance(1)
    proba, classes = oof_proba(candidate)
    if proba is not None:
        record = {**record, "oof_rows": rows, "oof_proba": proba, "oof_classes": classes}
    y_pred = np.asarray(record["y_pred"], dtype=object)
    truth = np.asarray(y_test).astype(str)
    n_errors = int(np.sum(y_pred != truth))
    low, high = error_interval(n_errors, len(truth))
    params = dict(best["params"])
    features = params.pop("features", spec.pipeline.named_steps.get("features"))
    row = {
        "family": spec.family,
        "status": "ok",
        "test_error": n_errors / len(truth),
        "error_ci_low": low,
        "error_ci_high": high,
        "cv_mean": float(best["mean_test_score"]),
        "cv_std": float(best["std_test_score"]),
        "preprocessing": describe_features(features) if "features" in spec.pipeline.named_steps else "",
        "best_params": ", ".join(f"{k.split('__')[-1]}={v!r}" for k, v in params.items()),
        "fit_time_s": record["fit_time"],
        "predict_time_s": record["predict_time"],
        "n_candidates": len(cv_table),
        "search_rows": len(y_search),
        "error": "",
    }
    return row, cv_table, record, resumed + refit_resumed


def run(
    families=None,
    *,
    profile="standard",
    train_size=None,
    cv=None,
    search="grid",
    n_jobs=-1,
    seed=0,
    data=None,
    output_dir="benchmark-results",
    quiet=False,
    scheduler=None,
    ensemble=True,
):
    """Search, refit and compare model families on MNIST; write the report.

    Each family's grid (see :func:`skdigits.get_model`) is cross-validated
    with stratified folds, the best candidate is refitted on the training set
    and scored on the test set. Every fit is recorded in ``output_dir`` as it
    completes, so running the same call again after an interruption does
    only the unfinished work.

    Parameters
    ----------
    families : list of str, default=None
        Families to run, from ``skdigits.FAMILIES``; None for all seven.
    profile : {'quick', 'standard', 'full'}, default='standard'
        Grids and data sizes, see :mod:`skdigits` (``get_model``).
    train_size : int, default=None
        Training rows to use (a stratified subset); None for the profile's
        (all rows, or 5,000 for 'quick').
    cv : int, default=None
        Cross-validation folds; None for the profile's (2, 3 or 5).
    search : {'grid', 'halving'}, default='grid'
        Exhaustive grid search, or successive halving
        (``HalvingGridSearchCV``, recorded per family rather than per fit).
    n_jobs : int, default=-1
        Fits run in parallel (-1: one per core).
    seed : int, default=0
        Seed of subsets, folds and every estimator: the same seed gives the
        same table on CPU.
    data : str or path-like, default=None
        Data source (see :func:`skdigits.datasets.load_source`); None for
        the MNIST shipped with skdigits.
    output_dir : str or path-like, default='benchmark-results'
        Where results and reports go.
    quiet : bool, default=False
        No progress bar, no messages.
    scheduler : str, default=None
        Address of a Dask scheduler (``tcp://host:8786``): the fits then run
        on that cluster through joblib's Dask backend.
    ensemble : bool, default=True
        Add an 'ensemble' entry: a soft vote of the families whose members
        and weights are chosen on their out-of-fold probabilities (see
        :func:`skdigits.benchmark._ensemble.greedy_soft_vote`), needing two
        or more families with ``predict_proba`` and the grid search.

    Returns
    -------
    table : DataFrame
        One row per family, sorted by test error: ``test_error`` and its 95%
        interval, ``cv_mean`` and ``cv_std`` (accuracy), ``best_params``,
        ``fit_time_s``, ``predict_time_s``; failed families come last with
        ``status='failed'`` and their ``error``.
    """
    families = list(FAMILIES if families is None else families)
    _check_arguments(families, profile, search, cv, n_jobs, train_size, output_dir)
    parse_source(data)
    settings_profile = PROFILE_SETTINGS[profile]
    cv = cv or settings_profile.cv
    output_dir = Path(output_dir)

    X_train, X_test, y_train, y_test = load_train_test(data, as_frame=True)
    if train_size is not None and train_size > len(y_train):
        raise ValueError(
            f"train_size={train_size} is larger than the {len(y_train)} training rows of the data"
        )
    train_size = train_size or settings_profile.train_size  # a profile's size is an upper bound
    kept = nested_stratified_rows(y_train, train_size, seed)
    X_train, y_train = _take_rows(X_train, kept), _take_rows(y_train, kept)
    data_arrays = (X_train, X_test, y_train, y_test)
    context = {
        "profile": profile,
        "data": _fingerprint(X_train, y_train, X_test, y_test),
        "search_strategy": search,
    }
    specs = {f: get_model(f, profile, random_state=seed) for f in families}
    pipeline_digests = {f: pipeline_digest(spec.pipeline) for f, spec in specs.items()}
    total = sum(
        (len(ParameterGrid(spec.param_grid)) * cv if search == "grid" else 1) + 1
        for spec in specs.values()
    )
    store = FitStore(output_dir)
    memory = Memory(output_dir / "cache", verbose=0)
    rows, cv_tables, refits = [], {}, {}
    counts = {"fits_resumed": 0}
    start = time.perf_counter()

    backend = contextlib.nullcontext()
    if scheduler is not None:
        from dask.distributed import Client

        client = Client(scheduler)
        backend = parallel_config(backend="dask")
    with _PeakMemory() as peak, _Progress(total, quiet) as progress, backend:
        for family, spec in specs.items():
            progress.family(family)
            try:
                row, cv_table, record, resumed = _run_family(
                    spec, data_arrays, cv=cv, search=search, seed=seed, n_jobs=n_jobs, store=store,
                    memory=memory, context={**context, "pipeline": pipeline_digests[family]},
                    progress=progress,
                )
            except Exception as exc:  # one family's failure must not stop the others
                message = f"{type(exc).__name__}: {exc}"
                write_atomic(output_dir / "errors" / f"{family}.txt", traceback.format_exc())
                rows.append({"family": family, "status": "failed", "error": message})
                progress.log(f"[red]{family} failed[/red]: {message}")
                continue
            counts["fits_resumed"] += resumed
            rows.append(row)
            cv_tables[family] = cv_table
            refits[family] = record
            progress.log(
                f"{family}: test error {100 * row['test_error']:.2f}% "
                f"(fit {row['fit_time_s']:.0f} s{', resumed' if resumed else ''})"
            )
    if scheduler is not None:
        client.close()
    if ensemble:
        row, record = soft_vote_row(refits, y_train, y_test, decode_array)
        if row is not None:
            rows.append(row)
            refits[ENSEMBLE] = record
            progress.log(f"{ENSEMBLE}: test error {100 * row['test_error']:.2f}% ({row['best_params']})")

    table = pd.DataFrame(rows).reindex(columns=TABLE_COLUMNS)
    table["_failed"] = table["status"] != "ok"
    table = table.sort_values(["_failed", "test_error"], kind="stable").drop(columns="_failed")
    table = table.reset_index(drop=True)

    meta = {
        "versions": _versions(),
        "machine": _machine(),
        "seed": seed,
        "settings": {
            "profile": profile, "families": ",".join(families), "train_rows": len(y_train),
            "test_rows": len(y_test), "cv": cv, "search": search, "n_jobs": n_jobs,
            "seed": seed, "data": str(data or "mnist"), "ensemble": ensemble,
        },
        "total_time_s": round(time.perf_counter() - start, 1),
        "peak_memory_mb": round(peak.peak / 2**20),
        "fits_resumed": counts["fits_resumed"],
    }
    write_reports(output_dir, table, meta, cv_tables, refits, specs, X_test, y_test)
    table.attrs["meta"] = meta
    return table

