"""Running the benchmark: a loop over families, each a resumable search and a refit."""

import math
import os
import time
import traceback
import warnings
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from rich.markup import escape
from sklearn.model_selection import ParameterGrid

from ..datasets import load_train_test, parse_source
from ..model_selection._keys import data_digest, fit_key
from ..model_selection._timeout import FitTimeout, SearchTimeout
from ..zoo import FAMILIES, PROFILE_SETTINGS, check_profile
from ._cache import run_cache, use_cache
from ._cluster import check_workers_can_start_processes, connected, runner
from ._ensemble import ENSEMBLE, soft_vote_row
from ._entries import resolve_entries
from ._family import (
    SEARCHES,
    Outcome,
    cv_table,
    fit_schedule,
    make_search,
    one_blas_thread,
    phase_times,
    recorded_refit,
    refit_and_predict,
    refit_key,
    run_schedule,
    store_of,
    table_row,
)
from ._holdout import fit_on_holdout, holdout_split
from ._machine import PeakMemory, machine, reproducibility, versions
from ._mlflow import check_tracking, log_run_folder
from ._progress import Progress
from ._repeats import repeat_refits, spread
from ._results import TABLE_COLUMNS, failure_row
from ._rows import check_classes_suffice, check_rows_suffice, nested_stratified_rows, take_rows
from ._run_folder import (
    clear_errors,
    error_path,
    families_of_earlier_runs,
    previous_result,
    previous_run,
    remove_if_empty,
    succeeded_before,
    write_error,
    write_model,
)
from ._settings import RunSettings, TrainTest, check_fit_timeout
from .report import write_reports

__all__ = ["SEARCHES", "nested_stratified_rows", "run"]


class RunInputError(ValueError):
    """Bad arguments, data or models: refused before any fit starts."""


@contextmanager
def _before_work(new_folder=None):
    """Errors of the checks, the data and the scheduler as :class:`RunInputError`.

    Only these are the caller's to fix; an error once fits have started is
    a failure of the run and keeps its own type and traceback. A refused
    run leaves no empty ``new_folder`` (an output folder it created) behind.
    """
    try:
        yield
    except RunInputError:
        remove_if_empty(new_folder)
        raise
    except (ValueError, FileNotFoundError) as exc:
        remove_if_empty(new_folder)
        raise RunInputError(str(exc)) from exc


def _check_arguments(search, cv, n_jobs, train_size, fit_timeout, output_dir, seed=0, repeats=1):
    """Refuse bad arguments before any work starts."""
    check_fit_timeout(fit_timeout)
    if not isinstance(repeats, (int, np.integer)) or isinstance(repeats, bool) or repeats < 1:
        raise ValueError(f"repeats must be an integer >= 1 (seeds per family's refit), got {repeats!r}")
    top = 2**32 - 1  # NumPy's largest seed; the repeats' seeds run from seed to seed + repeats - 1
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or not 0 <= seed <= top:
        raise ValueError(f"seed must be an integer from 0 to 2**32 - 1 (--seed), got {seed!r}")
    if seed + repeats - 1 > top:
        raise ValueError(f"the repeats' seeds run from {seed} to {seed + repeats - 1}, past 2**32 - 1; "
                         f"use a seed of at most {top - repeats + 1} (--seed)")
    if search not in SEARCHES:
        raise ValueError(f"unknown search {search!r}; choose from {', '.join(SEARCHES)}")
    if cv is not None and (not isinstance(cv, (int, np.integer)) or cv < 2):
        raise ValueError(f"cv must be an integer >= 2 (folds), got {cv!r}")
    if not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0:
        raise ValueError(f"n_jobs must be a non-zero integer (-1 for all cores), got {n_jobs!r}")
    if train_size is not None and not _is_train_size(train_size):
        raise ValueError(f"train_size must be a number of rows (an integer >= 2) or a fraction of the training "
                         f"rows (a float between 0 and 1), got {train_size!r}")
    if not str(output_dir).strip():
        raise ValueError("the output folder is empty; give one with --output (default: benchmark-results)")
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


def _is_train_size(value):
    """A count of rows (>= 2) or, as scikit-learn's ``train_size``, a fraction in (0, 1)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, np.integer)):
        return value >= 2
    return isinstance(value, (float, np.floating)) and 0 < value < 1


def _train_rows(train_size, n_rows):
    """The rows ``train_size`` asks of ``n_rows`` training rows: a count, or a fraction rounded down."""
    if not isinstance(train_size, (float, np.floating)):
        return train_size
    rows = math.floor(train_size * n_rows)  # as train_test_split's train_size
    if rows < 2:
        raise ValueError(f"train_size={train_size} is {rows} of the {n_rows} training rows of the data; "
                         "give a larger fraction, or a number of rows >= 2")
    return rows


def _load_data(data, train_size, profile, seed):
    """Training and test sets, the training set cut to the run's size; and the data's training labels."""
    try:
        X_train, X_test, y_train, y_test = load_train_test(data, as_frame=True)
    except OSError as exc:
        if parse_source(data)[0] != "openml":
            raise
        reason = getattr(exc, "reason", None) or exc.strerror or exc
        raise ValueError(
            f"cannot download {data} from OpenML ({reason}); connect to the network, or use "
            "a local source (--data mnist, an IDX folder or a CSV file)"
        ) from None
    train_size = None if train_size is None else _train_rows(train_size, len(y_train))
    if train_size is not None and train_size > len(y_train):
        raise ValueError(
            f"train_size={train_size} is larger than the {len(y_train)} training rows of the data"
        )
    size = train_size or PROFILE_SETTINGS[profile].train_size  # a profile's size is an upper bound
    kept = nested_stratified_rows(y_train, size, seed)
    return TrainTest(take_rows(X_train, kept), X_test, take_rows(y_train, kept), y_test), y_train


def _n_fits(spec, cv, extra=0):
    """Fits of a family's grid search, its refit and ``extra`` ones (the progress bar's share)."""
    return len(ParameterGrid(spec.param_grid)) * cv + 1 + extra


def _run_family(spec, data, settings, work, progress, data_key, holdout=None):
    """Search a family's grid, refit the best candidate, evaluate it on the test set."""
    X_train, X_test, y_train, y_test = data.X_train, data.X_test, data.y_train, data.y_test
    rows = nested_stratified_rows(y_train, spec.search_size, settings.seed)
    use_cache(spec.pipeline, settings.cache_dir)
    search = make_search(spec, settings, progress=progress.advance)
    with work.turn():  # after the previous families' searches when families overlap
        start = time.perf_counter()
        progress.family(spec.family)
        work.search(search, take_rows(X_train, rows), take_rows(y_train, rows))
    table = cv_table(search, settings)
    settings = replace(settings, n_jobs=work.fit_jobs(settings.n_jobs))  # the batch's fits' threads
    store, key = store_of(settings, spec.family), refit_key(spec.pipeline, search.best_params_, data_key)
    record, resumed = recorded_refit(settings, spec.family, key), 1
    # The refit, the fit on the ensemble's shared split and the refits with
    # more seeds (issue 14) are independent: they run at once (a batch).
    model = model_error = None
    with work.batch(settings.n_jobs, settings.fit_timeout):
        refit = None if record is not None else work.submit(
            refit_and_predict, spec.pipeline, search.best_params_, X_train, y_train, X_test, settings.n_jobs,
            settings.fit_timeout, "files")
        finish_held = None if holdout is None else fit_on_holdout(
            spec, search.best_params_, holdout, settings, work, data_key, store)
        finish_repeats = repeat_refits(spec, search.best_params_, data, settings, work, data_key, store)
        if refit is not None:
            try:
                record, resumed = refit.result(), 0
            except FitTimeout as exc:  # the search's results are still reported
                raise _RefitTimeout(exc.limit, table) from exc
            model, model_error = record.pop("model"), record.pop("model_error", None)
            store.put(key, record)
        progress.advance(1)
        held, held_resumed = (None, 0) if finish_held is None else finish_held(progress)
        progress.advance(holdout is not None)
        repeats, repeats_resumed = finish_repeats()
        progress.advance(len(repeats))
    row = table_row(spec, search, table, record, y_test, len(rows))
    row.update(spread([record, *repeats], y_test))
    if search.n_fits_timed_out_:
        row["error"] = f"{search.n_fits_timed_out_} fits stopped at the {settings.fit_timeout:g} s limit"
    phases = phase_times(search, record, held, repeats)
    record = {**record, "holdout": held, "repeats": repeats}
    if refit is not None:  # saved once the family succeeded: a failed rerun keeps the previous run's model
        _keep(model, model_error, spec.family, key, settings, progress)
    phases["wall"] = round(time.perf_counter() - start, 1)
    return Outcome(row, table, record, search.n_fits_resumed_ + resumed + held_resumed + repeats_resumed, phases,
                   fit_schedule(spec.family, search, record, held, repeats))


def _keep(model, error, family, key, settings, progress):
    """Write the refitted model's files under ``models/``; a model that cannot be saved is reported, not fatal.

    ``model`` is its :class:`ModelFiles`, made where it was fitted, or None
    and ``error`` the traceback of why it could not be made.
    """
    try:
        if error is None:
            write_model(model, settings.output_dir, family, key)
    except Exception:
        error = traceback.format_exc()
    if error is not None:
        write_error(settings.output_dir, family, error, "-model")
        progress.warn(f"[yellow]{family}: model not saved[/yellow]: {escape(error.strip().splitlines()[-1])}")


class _RefitTimeout(FitTimeout):
    """A family's refit ran past the limit; ``cv_table`` holds its search's results."""

    def __init__(self, limit, cv_table):
        super().__init__(limit)
        self.cv_table = cv_table


@dataclass(frozen=True)
class Failure:
    """Why a family has no result: ``status`` 'failed' or 'timed out', the error, the search's results if any."""

    status: str
    error: str
    cv_table: pd.DataFrame | None = None


def _failure(exc, limit):
    """A family's exception as its Failure: timed out when its fits ran past the limit."""
    if isinstance(exc, SearchTimeout):
        return Failure("timed out", f"every fit of the search ran past the {limit:g} s limit")
    if isinstance(exc, FitTimeout):
        return Failure("timed out", f"the refit ran past the {limit:g} s limit", getattr(exc, "cv_table", None))
    return Failure("failed", f"{type(exc).__name__}: {exc}")


def _data_key(data):
    """The digest of a run's training and test sets: the fits' keys, and what a rerun must share."""
    return fit_key(X=data_digest(data.X_train), y=data_digest(data.y_train), X_test=data_digest(data.X_test))


def _run_families(specs, data, settings, work, progress, data_key, holdout=None):
    """Each family's Outcome, or the message of the exception that stopped it."""

    def one(family):
        clear_errors(settings.output_dir, family)  # a stale failure of a previous run no longer holds
        try:
            outcome = _run_family(specs[family], data, settings, work, progress, data_key, holdout)
        except Exception as exc:  # one family's failure must not stop the others
            if work.interrupted:  # Ctrl-C stopped its fits: no failure of the family to record
                raise
            write_error(settings.output_dir, family, traceback.format_exc())
            failure = _failure(exc, settings.fit_timeout)
            progress.warn(f"[red]{family} {failure.status}[/red]: {escape(failure.error)} "
                          f"({escape(str(error_path(settings.output_dir, family)))} says why)")
            return failure
        row = outcome.row
        progress.log(f"{family}: test error {100 * row['test_error']:.2f}% "
                     f"(fit {row['fit_time_s']:.0f} s{', resumed' if outcome.n_resumed else ''})")
        return outcome

    order = run_order(specs)
    outcomes = dict(zip(order, work.map(one, order), strict=True))
    return {family: outcomes[family] for family in specs}


#: The zoo's families by the time of their refit (and fit for the ensemble), longest first: when families
#: overlap (see ``LocalRunner``), the last family's refit is the one no search can overlap, so it is a short one.
#: Measured against the refits' own lengths (rf, cnn, svm, mlp, xgboost, logreg, knn) in the standard run,
#: 2026-12-07, idle 2-core EPYC: 881 s against 815 s in the run, the cores idle 226 s against 98 s (its
#: ``meta.schedule``), the same predictions; this order stays.
LONGEST_REFITS_FIRST = ("cnn", "rf", "mlp", "xgboost", "logreg", "svm", "knn")


def run_order(families):
    """The order in which families run: yours first (their cost is unknown), then the zoo's, longest refits first.

    It decides only when each fit runs, not what it gives: the table and
    ``results.json`` keep the families' order as given.

    Examples
    --------
    >>> from skdigits.benchmark._run import run_order
    >>> run_order(["knn", "mine", "logreg", "cnn"])
    ['mine', 'cnn', 'logreg', 'knn']
    """
    rank = {family: i for i, family in enumerate(LONGEST_REFITS_FIRST)}
    return sorted(families, key=lambda family: rank.get(family, -1))


def _table(rows):
    table = pd.DataFrame(rows).reindex(columns=TABLE_COLUMNS)
    table["_failed"] = table["status"] != "ok"
    table = table.sort_values(["_failed", "test_error"], kind="stable").drop(columns="_failed")
    return table.reset_index(drop=True)


def run(families=None, *, profile="standard", train_size=None, cv=None, search="grid", n_jobs=-1,
        seed=0, data=None, output_dir="benchmark-results", quiet=False, scheduler=None, ensemble=True,
        fit_timeout=None, mlflow=None, repeats=1):
    """Search, refit and compare model families on MNIST; write the report.

    Each family's grid (see :func:`skdigits.get_model`) is searched by a
    :class:`~skdigits.model_selection.ResumableGridSearchCV` with stratified
    folds, the best candidate is refitted on the training set and scored on
    the test set. Every fit is recorded in ``output_dir`` as it completes,
    so running the same call again after an interruption does only the
    unfinished work.

    Parameters
    ----------
    families : list, default=None
        What to run; None for the zoo's seven families. Each entry is a
        zoo family's name (``skdigits.FAMILIES``) or the name of a family an
        installed package registers in the ``skdigits.families`` entry-point
        group, or a model of yours beside them: a
        :class:`~skdigits.ModelSpec` (named by its ``family``), or a tuple
        ``(name, estimator)`` or ``(name, estimator, param_grid)`` with any
        scikit-learn classifier or Pipeline (a Pipeline need not have the
        zoo's ``features`` and ``clf`` steps). Your models are searched,
        refitted, reported and saved like the zoo's; a name the zoo uses
        (or 'ensemble') is refused, and so is anything that is not an
        estimator, before any work starts.
    profile : {'quick', 'standard', 'full'}, default='standard'
        Grids and data sizes, see :mod:`skdigits` (``get_model``).
    train_size : int or float, default=None
        Training rows to use (a stratified subset): a number of rows, or,
        as scikit-learn's ``train_size``, a float between 0 and 1 for that
        fraction of the data's training rows (rounded down); None for the
        profile's (all rows, or 5,000 for 'quick').
    cv : int, default=None
        Cross-validation folds; None for the profile's (2, 3 or 5).
    search : {'grid', 'halving'}, default='grid'
        Exhaustive grid search, or successive halving
        (:class:`~skdigits.model_selection.ResumableHalvingGridSearchCV`).
    n_jobs : int, default=-1
        Fits in parallel (-1: one per core, or every worker thread of the
        cluster).
    seed : int, default=0
        Seed of subsets, folds and every estimator: the same seed gives the
        same table on CPU.
    data : str or path-like, default=None
        Data source (see :func:`skdigits.datasets.load_source`); None for
        the MNIST shipped with skdigits.
    output_dir : str or path-like, default='benchmark-results'
        Where results and reports go.
    quiet : bool, default=False
        No progress bar and no news; what went wrong (a family that failed
        or timed out, a model not saved, a family without a vote in the
        ensemble) is still said, each as a ``RuntimeWarning`` (one line on
        the command line's stderr).
    scheduler : str, default=None
        Address of a Dask scheduler (``tcp://host:8786``): every fit, refits
        included, then runs on that cluster's workers, and the families run
        at the same time.
    ensemble : bool, default=True
        Add an 'ensemble' entry: a soft vote of the families, its members
        and weights chosen on a validation split of the training rows that
        every family shares (see :mod:`skdigits.benchmark._ensemble` and
        docs/fairness.md): each family's chosen candidate is fitted once
        more, on a fifth of the training rows, to predict a twelfth held
        out from them; members without ``predict_proba`` vote through
        calibrated decision values. Needs two or more such families.
    fit_timeout : float, default=None
        Seconds each fit (every candidate on every fold, and the refit) may
        run; a fit that runs longer is stopped (its worker process killed),
        its candidate ranked as failed (NaN scores) and never recorded, so
        a rerun with a larger limit does it. A family whose fits all ran
        past the limit, or whose refit did, is reported with
        ``status='timed out'``. None for no limit. With a limit, each fit
        runs in a worker process of its own and its data is sent to it.
    mlflow : str or bool, default=None
        Log the finished run to MLflow (``pip install "skdigits[mlflow]"``):
        a tracking URI (``http://host:5000``, ``sqlite:///path/mlflow.db``),
        or ``''`` or True for ``MLFLOW_TRACKING_URI`` if set, else
        ``sqlite:///<output_dir>/mlflow.db``. One parent run, a nested run
        per family; a resumed run updates the same runs (see
        :func:`log_run_folder`). None: no logging.
    repeats : int, default=1
        Refits of each family's chosen candidate, with seeds ``seed``,
        ``seed + 1``... (the first is the run's refit, the one reported in
        ``test_error``): the table's ``test_error_mean``,
        ``test_error_min`` and ``test_error_max`` give the spread over the
        seeds, and the report says which neighbours in the table are
        ordered beyond it.

    Returns
    -------
    table : DataFrame
        One row per family, sorted by test error: ``test_error`` and its 95%
        interval, ``cv_mean`` and ``cv_std`` (accuracy), ``best_params``,
        ``fit_time_s``, ``predict_time_s``, and over the ``n_seeds`` refits
        ``test_error_mean``, ``test_error_min``, ``test_error_max``; failed
        families come last with ``status='failed'`` (or ``'timed out'``)
        and their ``error``.

    Raises
    ------
    RunInputError
        A ``ValueError`` naming the problem and its fix, before any fit
        starts: a bad argument, an unknown family or a model that is not an
        estimator, data that cannot be read, an unreachable scheduler.
        (The command line prints it in one line and exits with status 2.)
    """
    new_folder = None if isinstance(output_dir, (str, os.PathLike)) and Path(output_dir).exists() else output_dir
    with _before_work(new_folder):
        families = list(FAMILIES if families is None else families)
        if not families:
            raise ValueError(f"no family to run; choose one or more from {', '.join(FAMILIES)}")
        check_profile(profile)
        _check_arguments(search, cv, n_jobs, train_size, fit_timeout, output_dir, seed, repeats)
        specs = resolve_entries(families, profile, seed)  # a bad user model is refused here
        parse_source(data)
        tracking_uri = check_tracking(mlflow, output_dir)  # mlflow installed, the store reachable
    settings = RunSettings(cv=cv or PROFILE_SETTINGS[profile].cv, search=search, seed=seed, n_jobs=n_jobs,
                           output_dir=Path(output_dir), fit_timeout=fit_timeout, profile=profile,
                           families=tuple(specs), data=str(data or "mnist"), ensemble=ensemble, repeats=repeats)
    # Fits run in this process too (on a cluster of one single-threaded worker, joblib's Dask backend
    # runs a search's fits here, one after another; the ensemble's calibration): one BLAS thread for
    # the whole run, so that they compute as on the workers, and no thread leaving a setting of its
    # own restores more.
    with one_blas_thread():
        with ExitStack() as stack:
            with _before_work(new_folder):  # an unreachable scheduler, or bad data, is refused here
                client = stack.enter_context(connected(scheduler))
                if fit_timeout is not None:
                    check_workers_can_start_processes(client)
                train_test, y_data = _load_data(data, train_size, profile, seed)
                check_rows_suffice(specs, len(train_test.y_train), settings.cv, settings.search,
                                   len(np.unique(y_data)))
                check_classes_suffice(specs, train_test.y_train, y_data, settings.cv, seed)
            settings = replace(settings, cache_dir=stack.enter_context(run_cache()))
            start = time.perf_counter()
            work = runner(client, n_jobs, fit_timeout)
            data_key = _data_key(train_test)
            work.share(train_test.X_train, train_test.X_test, train_test.y_train)
            holdout = holdout_split(train_test.X_train, train_test.y_train, seed) if ensemble else None
            if holdout is not None:
                work.share(holdout.X_fit, holdout.y_fit, holdout.X_val)
            extra = (holdout is not None) + repeats - 1
            total = sum(_n_fits(spec, settings.cv, extra) for spec in specs.values())
            with PeakMemory(origin=start) as peak, Progress(total, quiet) as progress:
                outcomes = _run_families(specs, train_test, settings, work, progress, data_key, holdout)
        table = _finish(outcomes, specs, train_test, settings, holdout, progress, start, peak, data_key)
    if tracking_uri is not None:
        table.attrs["mlflow_run_id"] = log_run_folder(output_dir, tracking_uri=tracking_uri)
    return table


def _kept_results(outcomes, settings, data, data_key):
    """Previous results standing in for the families that failed on this rerun: family to (row, record).

    Only a previous run of the same settings on the same data counts (see
    ``previous_run``); each such family is named in a warning, with the
    file that says why it failed.
    """
    failed = [family for family, outcome in outcomes.items() if isinstance(outcome, Failure)]
    previous = previous_run(settings.output_dir, settings.recorded(data), data_key) if failed else None
    kept = {}
    for family in [*failed, ENSEMBLE]:
        result = previous_result(previous, family)
        if result is not None and (family != ENSEMBLE or kept):
            kept[family] = result
    for family in failed:
        if family in kept:
            warnings.warn(
                f"{family} {outcomes[family].status} on this rerun ({error_path(settings.output_dir, family)} "
                "says why); its result of the previous run, with the same settings, is kept", RuntimeWarning,
                stacklevel=4)
    return kept


def _finish(outcomes, specs, data, settings, holdout, progress, start, peak, data_key):
    """The table, the ensemble entry, the run's facts; the reports written."""
    kept = _kept_results(outcomes, settings, data, data_key)
    rows, cv_tables, refits = [], {}, {}
    for family, outcome in outcomes.items():
        if family in kept:  # its previous row, report data, search results and model stay
            rows.append(kept[family][0])
            refits[family] = kept[family][1]
        elif isinstance(outcome, Failure):
            rows.append(failure_row(family, outcome.status, outcome.error))
            if outcome.cv_table is not None:
                cv_tables[family] = outcome.cv_table
        else:
            rows.append(outcome.row)
            cv_tables[family], refits[family] = outcome.cv_table, outcome.record
    if ENSEMBLE in kept:  # the vote of this run would lack the families whose results are kept
        rows.append(kept[ENSEMBLE][0])
        refits[ENSEMBLE] = kept[ENSEMBLE][1]
    elif holdout is not None:
        row, record = soft_vote_row(refits, holdout.y_val, data.y_test, settings.seed)
        if row is not None:
            rows.append(row)
            refits[ENSEMBLE] = record
            progress.log(f"{ENSEMBLE}: test error {100 * row['test_error']:.2f}% ({row['best_params']})")
    table = _table(rows)
    table.attrs["kept"] = {f: outcomes[f].status for f in kept if f != ENSEMBLE}
    meta = {
        "versions": versions(),
        "machine": machine(),
        "reproducibility": reproducibility(),
        "seed": settings.seed,
        "settings": settings.recorded(data),
        "data_key": data_key,
        "ensemble": refits.get(ENSEMBLE, {}).get("validation"),
        "total_time_s": round(time.perf_counter() - start, 1),
        "peak_memory_mb": round(peak.peak / 2**20),
        "peak_memory_at_s": round(peak.peak_at, 1),
        "phases_s": {**{f: o.phases for f, o in outcomes.items() if not isinstance(o, Failure)},
                     **{f: record["phases"] for f, (_, record) in kept.items() if "phases" in record}},
        "fits_resumed": sum(o.n_resumed for o in outcomes.values() if not isinstance(o, Failure)),
        "schedule": run_schedule([o.schedule for o in outcomes.values() if not isinstance(o, Failure)],
                                 time.time() - (time.perf_counter() - start)),
        "fit_timeout": settings.fit_timeout,
        "kept_from_previous_run": table.attrs["kept"],
    }
    table.attrs["meta"] = meta
    if all(isinstance(o, Failure) for o in outcomes.values()) and succeeded_before(settings.output_dir):
        # A rerun in which everything failed keeps the previous files as they are, whatever their settings.
        progress.warn(f"[red]every family failed[/red]: {escape(str(settings.output_dir))}/results.json and the "
                      "reports of the previous run are kept; see errors/ for why, fix it and run again")
        return table
    write_reports(settings.output_dir, table, meta, cv_tables, refits, specs, data.X_test, data.y_test)
    _say_what_earlier_runs_left(settings.output_dir, table)
    return table


def _say_what_earlier_runs_left(folder, table):
    """Warn that the folder keeps other families' files of an earlier run, which this run's reports leave out."""
    left = families_of_earlier_runs(folder, table["family"])
    if left:
        warnings.warn(
            f"{folder} also holds the saved models or search results of {', '.join(left)} from an earlier run; "
            "this run's table and reports leave them out. Run them again in this folder to report them (fits of "
            "the same settings are read back, not refitted), or give each run its own output folder",
            RuntimeWarning, stacklevel=4)
