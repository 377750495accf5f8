"""GridSearchCV and HalvingGridSearchCV that record every fit and resume.

:class:`ResumableGridSearchCV` is scikit-learn's ``GridSearchCV`` (same
parameters, same ``cv_results_``, ``best_*`` attributes and methods) with a
``store`` folder: each (candidate, split) fit and the refit are recorded
there, atomically, the moment they complete, under a key that digests the
real inputs of that fit. Fitting the same search again, after an
interruption or a ``kill -9``, reads what was recorded and runs only what
is missing.

The fit loop is scikit-learn's ``BaseSearchCV.fit``: the same
``_fit_and_score`` per fit, ``_format_results``, ``_select_best_index`` and
refit; only the dispatch of the fits differs (fits stream back as they
complete, and recorded ones are not dispatched).
"""

import os
import socket
import time
import warnings
from collections import defaultdict
from inspect import signature
from numbers import Real

import joblib
import numpy as np
from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import indexable

from .._sklearn_compat import (
    BaseSearchCV,
    Interval,
    _check_method_params,
    _fit_and_score,
    _fit_context,
    _insert_error_scores,
    _MultimetricScorer,
    _safe_indexing,
    _warn_or_raise_about_fit_failures,
    check_cv,
    has_callback_context,
)
from .._trusted_types import TRUSTED_TYPES
from ._keys import data_digest, digest, fit_key
from ._store import FitStore, UnreadableRecordWarning
from ._timeout import FitTimeout, SearchTimeout, call_with_timeout

#: What a fit's record holds beyond ``_fit_and_score``'s results.
_EXTRAS = ("oof_proba", "oof_classes", "host", "pid", "started_at", "timed_out")
_STORE_CONSTRAINTS = {"store": [str, os.PathLike, None], "oof_proba": ["boolean"],
                      "fit_timeout": [Interval(Real, 0, None, closed="neither"), None],
                      "progress": [callable, None]}


class _ProbaRecordingScorer:
    """The search's scorer, that also keeps the test rows' class probabilities.

    ``_fit_and_score`` scores the test rows first (then, if asked, the
    training rows). On that first call a Pipeline's transforms run once:
    the scorer and ``predict_proba`` both get the final step and the
    transformed rows, exactly what ``Pipeline.predict`` and
    ``Pipeline.predict_proba`` would compute, without features such as HOG
    being computed a second time.
    """

    def __init__(self, scorer):
        self.scorer = scorer
        self.proba = self.classes = None
        self._first = True

    def __call__(self, estimator, X, y, **params):
        if not self._first:
            return self.scorer(estimator, X, y, **params)
        self._first = False
        final, Xt = estimator, X
        if isinstance(estimator, Pipeline) and len(estimator) > 1:
            final, Xt = estimator[-1], estimator[:-1].transform(X)
        scores = self.scorer(final, Xt, y, **params)
        if hasattr(final, "predict_proba"):
            self.proba = np.asarray(final.predict_proba(Xt), dtype=np.float32)
            self.classes = np.asarray(final.classes_)
        return scores


def where_it_runs():
    """Where this code runs: ``host``, the machine's ``socket.gethostname()``, and ``pid``, the process's id.

    A pid alone does not name a process on a cluster of several machines.
    """
    return {"host": socket.gethostname(), "pid": os.getpid()}


def _fit_one(estimator, X, y, train, test, parameters, kwargs, want_proba):
    """scikit-learn's ``_fit_and_score``, plus the test rows' class probabilities."""
    # scikit-learn treats a multi-metric scorer's errors by its type: it is
    # not wrapped, and the probabilities are computed after it instead.
    recorder = None
    if want_proba and not isinstance(kwargs["scorer"], _MultimetricScorer):
        recorder = _ProbaRecordingScorer(kwargs["scorer"])
        kwargs = {**kwargs, "scorer": recorder}
    started_at = time.time()  # the wall clock: comparable across a machine's processes
    out = _fit_and_score(estimator, X, y, train=train, test=test, parameters=parameters,
                         return_estimator=want_proba and recorder is None, **kwargs)
    out.update(where_it_runs(), started_at=started_at)  # where and when it ran (a joblib or Dask worker)
    fitted = out.pop("estimator", None)
    if recorder is not None and recorder.proba is not None and out["fit_error"] is None:
        out["oof_proba"], out["oof_classes"] = recorder.proba, recorder.classes
    elif fitted is not None and out["fit_error"] is None and hasattr(fitted, "predict_proba"):
        out["oof_proba"] = np.asarray(fitted.predict_proba(_safe_indexing(X, test)), dtype=np.float32)
        out["oof_classes"] = np.asarray(fitted.classes_)
    return out


class _TimedOut(BaseEstimator):
    """Stands for a fit stopped at its time limit: ``_fit_and_score`` records it as failed."""

    def __init__(self, limit):
        self.limit = limit

    def fit(self, X, y=None, **params):
        raise FitTimeout(self.limit)


def _timed_out(limit, X, y, train, test, kwargs):
    """The results of a fit stopped at ``limit`` seconds: failed, scores NaN, not recorded."""
    started_at = time.time() - limit
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = _fit_and_score(_TimedOut(limit), X, y, train=train, test=test, parameters=None,
                             **{**kwargs, "error_score": np.nan})
    out.update(where_it_runs(), fit_time=float(limit), timed_out=True, started_at=started_at)
    return out


def _fit_task(task, *args, timeout=None):
    """One (candidate, split) fit, returned with its task so results can arrive in any order."""
    try:
        return task, call_with_timeout(timeout, _fit_one, *args)
    except FitTimeout:
        _, X, y, train, test, _, kwargs, _ = args
        return task, _timed_out(timeout, X, y, train, test, kwargs)


def _refit_one(estimator, X, y, fit_params):
    start = time.time()
    if y is not None:
        estimator.fit(X, y, **fit_params)
    else:
        estimator.fit(X, **fit_params)
    return estimator, time.time() - start


def _is_number(value):
    return isinstance(value, (Real, np.floating, np.integer)) and not isinstance(value, (bool, np.bool_))


def _is_scores(value):
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_number(v) for k, v in value.items())
    return _is_number(value)


def _cv_record_check(test, kwargs):
    """Whether a record read back is one fit's results on ``test``, as ``_fit_one`` returns them."""
    n_test = len(test)

    def check(record):
        proba, classes = record.get("oof_proba"), record.get("oof_classes")
        return (record["fit_error"] is None and _is_scores(record["test_scores"])
                and (not kwargs["return_train_score"] or _is_scores(record["train_scores"]))
                and record["n_test_samples"] == n_test
                and _is_number(record["fit_time"]) and _is_number(record["score_time"])
                and (proba is None) == (classes is None)
                and (proba is None or (isinstance(proba, np.ndarray) and proba.dtype.kind == "f"
                                       and isinstance(classes, np.ndarray) and classes.ndim == 1
                                       and proba.shape == (n_test, len(classes)))))

    return check


def _is_refit_record(record):
    model = record["model"]
    return (isinstance(model, np.ndarray) and model.dtype == np.uint8 and model.ndim == 1
            and _is_number(record["refit_time"]))


def _record_model(store, key, estimator, refit_time):
    """Record a refit with skops; one that skops cannot save, or would not trust, is refitted next time."""
    import skops.io as sio

    try:
        data = sio.dumps(estimator)
        untrusted = sorted(set(sio.get_untrusted_types(data=data)) - TRUSTED_TYPES)
        if untrusted:
            raise TypeError(f"skops would not trust {', '.join(untrusted)} on reading it back")
        store.put(key, {"model": np.frombuffer(data, dtype=np.uint8), "refit_time": float(refit_time)})
    except Exception as exc:
        warnings.warn(f"the refitted estimator was not recorded (it is refitted next time): {exc}", stacklevel=4)


def _load_model(path, model):
    """The refitted estimator in a record, read with skops' trusted types only; None if it cannot be."""
    import skops.io as sio

    try:
        return sio.loads(model.tobytes(), trusted=sorted(TRUSTED_TYPES))
    except Exception as exc:
        warnings.warn(f"{path}: the refitted estimator could not be read ({type(exc).__name__}: {exc}): "
                      f"it is refitted", UnreadableRecordWarning, stacklevel=4)
        return None


class _ResumableSearch(BaseSearchCV):
    """``BaseSearchCV.fit`` whose fits are recorded in ``store`` and resumed."""

    def _inputs_key(self, X, y, params, base_estimator):
        """A digest of what every fit of this search shares."""
        return fit_key(
            estimator=digest(base_estimator), X=data_digest(X), y=data_digest(y),
            fit_params=digest(params), scoring=digest(self.scoring),
            train_score=self.return_train_score, oof=self.oof_proba,
        )

    def _notify(self, n):
        if self.progress is not None and n:
            self.progress(n)

    def _evaluate(self, base_estimator, X, y, candidates, splits, kwargs, inputs, offset=0):
        """Results of every (candidate, split), in ``GridSearchCV``'s order; ``fit_log_`` gets the fits run.

        ``offset``: the candidates evaluated before these (``cv_results_``'s rows).
        """
        store = None if self.store is None else FitStore(self.store)
        tasks = [(c, s) for c in range(len(candidates)) for s in range(len(splits))]
        keys = {
            (c, s): fit_key(kind="cv", inputs=inputs, params=digest(candidates[c]),
                            train=joblib.hash(np.asarray(splits[s][0])),
                            test=joblib.hash(np.asarray(splits[s][1])))
            for c, s in tasks
        }
        out = {t: (store.get(keys[t], validate=_cv_record_check(splits[t[1]][1], kwargs))
                   if store is not None else None) for t in tasks}
        todo = [t for t in tasks if out[t] is None]
        self.n_fits_resumed_ += len(tasks) - len(todo)
        self._notify(len(tasks) - len(todo))
        parallel = Parallel(n_jobs=self.n_jobs, pre_dispatch=getattr(self, "pre_dispatch", "2*n_jobs"),
                            return_as="generator_unordered")
        jobs = (
            delayed(_fit_task)(
                (c, s), clone(base_estimator), X, y, splits[s][0], splits[s][1], candidates[c],
                {**kwargs, "split_progress": (s, len(splits)), "candidate_progress": (c, len(candidates))},
                self.oof_proba, timeout=self.fit_timeout,
            )
            for c, s in todo
        )
        for task, result in parallel(jobs):
            if store is not None and result["fit_error"] is None:  # failures are tried again
                store.put(keys[task], result)
            out[task] = result
            self.fit_log_.append({"candidate": offset + task[0], "split": task[1], "host": result["host"],
                                  "pid": result["pid"], "started_at": result["started_at"],
                                  "fit_time": float(result["fit_time"]), "score_time": float(result["score_time"])})
            self.n_fits_run_ += 1
            self.n_fits_timed_out_ += bool(result.get("timed_out"))
            self._notify(1)
        if tasks and all(out[t].get("timed_out") for t in tasks):
            raise SearchTimeout(self.fit_timeout)
        return [out[t] for t in tasks]

    def _refit(self, base_estimator, X, y, fit_params, inputs):
        """Fit ``best_estimator_`` on all of X, or read it from the store."""
        store = None if self.store is None else FitStore(self.store)
        key = fit_key(kind="refit", inputs=inputs, params=digest(self.best_params_))
        record = store.get(key, validate=_is_refit_record) if store is not None else None
        estimator = None if record is None else _load_model(store.path(key), record["model"])
        if estimator is not None:
            refit_time = record["refit_time"]
            self.n_fits_resumed_ += 1
        else:
            estimator = clone(base_estimator).set_params(**clone(self.best_params_, safe=False))
            estimator, refit_time = call_with_timeout(self.fit_timeout, _refit_one, estimator, X, y, fit_params)
            self.n_fits_run_ += 1
            if store is not None:
                _record_model(store, key, estimator, refit_time)
        self._notify(1)
        self.best_estimator_, self.refit_time_ = estimator, refit_time
        if hasattr(self.best_estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.best_estimator_.feature_names_in_

    def _stitch_oof(self, outs, tests, n_samples):
        """Out-of-fold class probabilities of each row of ``cv_results_``."""
        classes = next((o["oof_classes"] for o in outs if "oof_classes" in o), None)
        if not self.oof_proba or classes is None:
            return None, None
        n_rows = len(outs) // self.n_splits_
        proba = np.full((n_rows, n_samples, len(classes)), np.nan)
        for i, (out, test) in enumerate(zip(outs, tests, strict=True)):
            if "oof_proba" in out:
                proba[i // self.n_splits_, test] = out["oof_proba"]
        return proba, classes

    def _root_context(self, X, y):
        if not has_callback_context(self):  # scikit-learn < 1.9
            return None
        return self._init_callback_context(max_subtasks=1 + (self.refit is not False)).call_on_fit_task_begin(
            estimator=self, X=X, y=y, metadata=None)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, **params):
        """Run fit with all sets of parameters, reading recorded fits from ``store``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training vectors.
        y : array-like of shape (n_samples,), default=None
            Target relative to X.
        **params : dict of str -> object
            Parameters passed to the ``fit`` method of the estimator, the
            scorer and the CV splitter, as in ``GridSearchCV.fit``.

        Returns
        -------
        self : object
            Instance of fitted estimator.
        """
        if self.store is not None:
            FitStore(self.store)  # a file there is refused before any work
        scorers, refit_metric = self._get_scorers()
        X, y = indexable(X, y)
        params = _check_method_params(X, params=params)
        routed = self._get_routed_params_for_fit(params)
        self._checked_cv_orig = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        self._check_input_parameters(X=X, y=y, split_params=routed.splitter.split)
        self.n_splits_ = self._checked_cv_orig.get_n_splits(X, y, **routed.splitter.split)
        base_estimator = clone(self.estimator)
        inputs = self._inputs_key(X, y, params, base_estimator)
        self.n_fits_resumed_, self.n_fits_run_, self.n_fits_timed_out_ = 0, 0, 0
        self.fit_log_ = []
        kwargs = dict(scorer=scorers, fit_params=routed.estimator.fit, score_params=routed.scorer.score,
                      return_train_score=self.return_train_score, return_n_test_samples=True,
                      return_times=True, return_parameters=False, error_score=self.error_score,
                      verbose=self.verbose)
        all_params, all_out, all_records, all_tests, all_more = [], [], [], [], defaultdict(list)
        results = {}

        def evaluate_candidates(candidate_params, cv=None, more_results=None, callback_ctx=None):
            nonlocal results
            candidate_params = list(candidate_params)
            splits = list((cv or self._checked_cv_orig).split(X, y, **routed.splitter.split))
            if len(splits) != self.n_splits_:
                raise ValueError(f"cv.split and cv.get_n_splits return inconsistent results. "
                                 f"Expected {self.n_splits_} splits, got {len(splits)}")
            records = self._evaluate(base_estimator, X, y, candidate_params, splits, kwargs, inputs,
                                     offset=len(all_params))
            out = [{k: v for k, v in r.items() if k not in _EXTRAS} for r in records]
            if not out:
                raise ValueError("No fits were performed. Was the CV iterator empty? Were there no candidates?")
            _warn_or_raise_about_fit_failures(out, self.error_score)
            if callable(self.scoring):
                _insert_error_scores(out, self.error_score)
            all_params.extend(candidate_params)
            all_out.extend(out)
            all_records.extend(records)
            all_tests.extend(test for _ in candidate_params for _, test in splits)
            for key, value in (more_results or {}).items():
                all_more[key].extend(value)
            results = self._format_results(all_params, self.n_splits_, all_out, all_more)
            return results

        context = self._root_context(X, y)
        if "callback_ctx" in signature(self._run_search).parameters:
            self._run_search(evaluate_candidates, callback_ctx=context)
        else:
            self._run_search(evaluate_candidates)
        self._select_best(results, all_out, refit_metric)
        if self.refit:
            self._refit(base_estimator, X, y, routed.estimator.fit, inputs)
        self.scorer_ = scorers._scorers if isinstance(scorers, _MultimetricScorer) else scorers
        self.cv_results_ = results
        self.oof_proba_, self.oof_classes_ = self._stitch_oof(all_records, all_tests, len(X))
        if context is not None:
            context.call_on_fit_task_end(estimator=self, X=X, y=y, metadata=None)
        return self

    def _select_best(self, results, all_out, refit_metric):
        """``best_index_``, ``best_score_`` and ``best_params_``, as ``BaseSearchCV.fit`` sets them."""
        self.multimetric_ = isinstance(all_out[0]["test_scores"], dict)
        if callable(self.scoring) and self.multimetric_:
            self._check_refit_for_multimetric(all_out[0]["test_scores"])
            refit_metric = self.refit
        if self.refit or not self.multimetric_:
            self.best_index_ = self._select_best_index(self.refit, refit_metric, results)
            if not callable(self.refit):
                self.best_score_ = results[f"mean_test_{refit_metric}"][self.best_index_]
            self.best_params_ = results["params"][self.best_index_]




class ResumableGridSearchCV(_ResumableSearch, GridSearchCV):
    """``GridSearchCV`` that records every fit in a folder and resumes.

    Drop-in for :class:`sklearn.model_selection.GridSearchCV`: the same
    parameters, ``cv_results_``, ``best_index_``, ``best_params_``,
    ``best_score_``, ``best_estimator_`` and methods, computed by the same
    scikit-learn code.

    Every (candidate, split) fit and the refit are recorded in ``store``
    the moment they complete, under a key that digests their real inputs
    (the estimator's parameters, the candidate, the data, the train and
    test indices, the scoring); fitting the same search again reads them
    instead of fitting. A changed row, split, parameter or scorer gives new
    keys, so nothing fitted on other inputs is ever reused.

    Parameters
    ----------
    estimator, param_grid, scoring, n_jobs, refit, cv, verbose, pre_dispatch, error_score, return_train_score
        As in :class:`sklearn.model_selection.GridSearchCV`.
    store : str or path-like, default=None
        Folder of the recorded fits (created as needed); None records
        nothing, and the search is then exactly ``GridSearchCV``.
    oof_proba : bool, default=False
        Also record the test rows' class probabilities of each fit, and set
        ``oof_proba_``. They share the scoring's pass through a Pipeline's
        transforms: only the final step predicts once more.
    fit_timeout : float, default=None
        Seconds each fit (every candidate on every split, and the refit)
        may run. With a limit, each fit runs in a worker process of its
        own; one still running at the limit is stopped (the process
        killed), scored as failed (NaN, whatever ``error_score`` says) and
        not recorded; a refit past the limit raises ``FitTimeout``, and so
        does a search whose every fit was stopped (``SearchTimeout``).
        None for no limit.
    progress : callable, default=None
        Called as ``progress(n)`` in the process that calls ``fit``, each
        time ``n`` more fits (of the candidates on the splits, or the refit)
        are done, whether run or read from ``store``; over a ``fit`` the
        ``n`` add up to the search's fits. For a progress bar. (scikit-learn
        1.9's experimental callbacks, ``set_callbacks``, are not used for
        this: their hooks run around each fit, in the worker that runs it,
        and a fit read from ``store`` never runs.)

    Attributes
    ----------
    cv_results_, best_estimator_, best_score_, best_params_, best_index_, scorer_, n_splits_, refit_time_, multimetric_
        As in :class:`sklearn.model_selection.GridSearchCV`.
    oof_proba_ : ndarray of shape (n_candidates, n_samples, n_classes) or None
        With ``oof_proba=True`` and an estimator with ``predict_proba``:
        each candidate's out-of-fold class probabilities, row by row of X
        (NaN for rows in no test fold); None otherwise.
    oof_classes_ : ndarray of shape (n_classes,) or None
        The classes of ``oof_proba_``'s columns.
    n_fits_resumed_ : int
        Fits (refit included) read from ``store`` by the last ``fit``.
    n_fits_run_ : int
        Fits (refit included) run by the last ``fit``.
    n_fits_timed_out_ : int
        Fits stopped at ``fit_timeout`` by the last ``fit``: failed, NaN
        scores, never recorded.
    fit_log_ : list of dict
        The (candidate, split) fits the last ``fit`` ran (not those read
        from ``store``), in the order they ended: ``candidate`` (the row of
        ``cv_results_``), ``split``, ``host`` and ``pid`` (the machine,
        ``socket.gethostname()``, and the process that ran it),
        ``started_at`` (``time.time()`` when it started) and its
        ``fit_time`` and ``score_time`` in seconds. With the refit's
        ``refit_time_``, it shows how the fits were spread over the workers.

    See Also
    --------
    ResumableHalvingGridSearchCV : The same for successive halving.

    Examples
    --------
    >>> import tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdigits.model_selection import ResumableGridSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> store = tempfile.mkdtemp()
    >>> search = ResumableGridSearchCV(LogisticRegression(max_iter=500), {"C": [0.1, 1.0]},
    ...                                cv=3, store=store).fit(X, y)
    >>> search.best_params_, search.n_fits_run_
    ({'C': 1.0}, 7)
    >>> again = ResumableGridSearchCV(LogisticRegression(max_iter=500), {"C": [0.1, 1.0]},
    ...                               cv=3, store=store).fit(X, y)
    >>> again.n_fits_run_, again.n_fits_resumed_
    (0, 7)
    """

    _parameter_constraints = {**GridSearchCV._parameter_constraints, **_STORE_CONSTRAINTS}

    def __init__(self, estimator, param_grid, *, scoring=None, n_jobs=None, refit=True, cv=None, verbose=0,
                 pre_dispatch="2*n_jobs", error_score=np.nan, return_train_score=False, store=None,
                 oof_proba=False, fit_timeout=None, progress=None):
        super().__init__(estimator, param_grid, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv,
                         verbose=verbose, pre_dispatch=pre_dispatch, error_score=error_score,
                         return_train_score=return_train_score)
        self.store = store
        self.oof_proba = oof_proba
        self.fit_timeout = fit_timeout
        self.progress = progress


class ResumableHalvingGridSearchCV(HalvingGridSearchCV, _ResumableSearch):
    """``HalvingGridSearchCV`` that records every fit in a folder and resumes.

    Drop-in for :class:`sklearn.model_selection.HalvingGridSearchCV`
    (import ``sklearn.experimental.enable_halving_search_cv`` is not needed).

    Every (candidate, split) fit and the refit are recorded in ``store``
    the moment they complete, under a key that digests their real inputs
    (the estimator's parameters, the candidate, the data, the train and
    test indices, the scoring); fitting the same search again reads them
    instead of fitting. A changed row, split, parameter or scorer gives new
    keys, so nothing fitted on other inputs is ever reused.

    Parameters
    ----------
    estimator, param_grid, factor, resource, max_resources, min_resources, aggressive_elimination
        As in :class:`sklearn.model_selection.HalvingGridSearchCV`.
    cv, scoring, refit, error_score, return_train_score, random_state, n_jobs, verbose
        As in :class:`sklearn.model_selection.HalvingGridSearchCV`.
    store : str or path-like, default=None
        Folder of the recorded fits; None records nothing.
    oof_proba : bool, default=False
        Also record the test rows' class probabilities of each fit, and set
        ``oof_proba_`` (one entry per row of ``cv_results_``).
    fit_timeout, progress : float or callable, default=None
        As in :class:`ResumableGridSearchCV`.

    Attributes
    ----------
    cv_results_, best_estimator_, best_score_, best_params_, best_index_, n_resources_, n_candidates_, n_iterations_
        As in :class:`sklearn.model_selection.HalvingGridSearchCV`.
    oof_proba_, oof_classes_, n_fits_resumed_, n_fits_run_, n_fits_timed_out_, fit_log_
        As in :class:`ResumableGridSearchCV`.

    See Also
    --------
    ResumableGridSearchCV : The exhaustive search.

    Examples
    --------
    >>> import tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdigits.model_selection import ResumableHalvingGridSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> grid = {"max_depth": [1, 2, 3, 4]}
    >>> store = tempfile.mkdtemp()
    >>> first = ResumableHalvingGridSearchCV(DecisionTreeClassifier(random_state=0), grid, cv=3,
    ...                                      random_state=0, store=store).fit(X, y)
    >>> again = ResumableHalvingGridSearchCV(DecisionTreeClassifier(random_state=0), grid, cv=3,
    ...                                      random_state=0, store=store).fit(X, y)
    >>> again.n_fits_run_, again.best_params_ == first.best_params_
    (0, True)
    """

    _parameter_constraints = {**HalvingGridSearchCV._parameter_constraints, **_STORE_CONSTRAINTS}

    def __init__(self, estimator, param_grid, *, factor=3, resource="n_samples", max_resources="auto",
                 min_resources="exhaust", aggressive_elimination=False, cv=5, scoring=None, refit=True,
                 error_score=np.nan, return_train_score=True, random_state=None, n_jobs=None, verbose=0,
                 store=None, oof_proba=False, fit_timeout=None, progress=None):
        super().__init__(estimator, param_grid, factor=factor, resource=resource, max_resources=max_resources,
                         min_resources=min_resources, aggressive_elimination=aggressive_elimination, cv=cv,
                         scoring=scoring, refit=refit, error_score=error_score,
                         return_train_score=return_train_score, random_state=random_state, n_jobs=n_jobs,
                         verbose=verbose)
        self.store = store
        self.oof_proba = oof_proba
        self.fit_timeout = fit_timeout
        self.progress = progress
