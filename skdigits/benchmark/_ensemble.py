"""The ensemble entry: a soft vote of the families, chosen on a shared validation split.

Members and weights come from training rows only, never from the test set:
each family's chosen candidate, fitted on the same rows T, predicted the same
held-out rows V (see ``_holdout``); a member without ``predict_proba`` (the
SVM) votes through its decision values calibrated on V (see
``_calibration``). Greedy forward selection with replacement (Caruana et
al., 2004) picks, round after round, the member whose addition most lowers
the log loss of the averaged probabilities of V; the weights are how often
each was picked. When that vote errs more often on V than its best member
alone, the best member alone is the ensemble: on the rows that chose it, it
is never worse than its best member. The ensemble then averages the
refitted (all-rows) members' test probabilities with those weights. A
member alone is its own ``predict``, on V (where its error is measured) and
on the test set (where it gives its own row of the table): an SVM's
one-vs-one vote can break a tie otherwise than the argmax of its decision
values.
"""

import numpy as np

from ._calibration import calibrate
from ._results import result_row

ENSEMBLE = "ensemble"


def _log_loss(proba, y_codes):
    picked = proba[np.arange(len(y_codes)), y_codes]
    return float(-np.mean(np.log(np.clip(picked, 1e-15, None))))


def greedy_soft_vote(proba, y_codes, n_rounds=20):
    """Weights of a soft vote chosen by greedy forward selection with replacement.

    Parameters
    ----------
    proba : dict of str to ndarray of shape (n_rows, n_classes)
        Each candidate member's class probabilities of the same rows (rows
        none of them was fitted on).
    y_codes : ndarray of shape (n_rows,)
        The true classes of those rows, as column numbers.
    n_rounds : int, default=20
        Picks; a member's weight is its share of them.

    Returns
    -------
    weights : dict of str to float
        The members picked at least once, by weight (summing to 1).

    Examples
    --------
    >>> import numpy as np
    >>> from skdigits.benchmark._ensemble import greedy_soft_vote
    >>> y = np.array([0, 1, 1, 0])
    >>> good = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4]])
    >>> noise = np.full((4, 2), 0.5)
    >>> greedy_soft_vote({"good": good, "noise": noise}, y)
    {'good': 1.0}
    """
    names = sorted(proba)
    total = np.zeros_like(next(iter(proba.values())), dtype=np.float64)
    counts = dict.fromkeys(names, 0)
    for n_picked in range(n_rounds):
        losses = {name: _log_loss((total + proba[name]) / (n_picked + 1), y_codes) for name in names}
        choice = min(names, key=lambda name: (losses[name], name))
        total += proba[choice]
        counts[choice] += 1
    return {name: count / n_rounds for name, count in sorted(counts.items(), key=lambda kv: -kv[1]) if count}


def _error(proba, y_codes):
    return float(np.mean(np.argmax(proba, axis=1) != y_codes))


def select_members(val_proba, y_codes, n_rounds=20, predictions=None):
    """The vote's weights, or the best member alone when the vote errs more on these rows.

    Parameters
    ----------
    val_proba : dict of str to ndarray of shape (n_rows, n_classes)
        Each candidate member's class probabilities of the validation rows.
    y_codes : ndarray of shape (n_rows,)
        Their true classes, as column numbers.
    n_rounds : int, default=20
        Picks of the greedy selection.
    predictions : dict of str to ndarray of shape (n_rows,), default=None
        A member's own predictions of the validation rows (its
        ``predict``, as column numbers), which a member alone would give;
        its error is theirs. Without them, the argmax of its probabilities.

    Returns
    -------
    weights : dict of str to float
        The members and their weights (summing to 1).
    errors : dict of str to float
        Error rate on these rows of each candidate, and of the greedy
        vote (under the key 'vote').

    Examples
    --------
    >>> import numpy as np
    >>> from skdigits.benchmark._ensemble import select_members
    >>> y = np.array([0, 1, 1, 0])
    >>> good = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4]])
    >>> select_members({"good": good, "poor": 1 - good}, y)[0]
    {'good': 1.0}
    """
    lengths = {len(p) for p in val_proba.values()}
    if lengths != {len(y_codes)}:
        raise ValueError(f"every member must predict the {len(y_codes)} validation rows, got {sorted(lengths)} rows")
    weights = greedy_soft_vote(val_proba, y_codes, n_rounds)
    predictions = {name: np.argmax(p, axis=1) for name, p in val_proba.items()} | (predictions or {})
    errors = {name: float(np.mean(predictions[name] != y_codes)) for name in val_proba}
    errors["vote"] = _error(sum(w * val_proba[f] for f, w in weights.items()), y_codes)
    best = min(val_proba, key=lambda name: (errors[name], -weights.get(name, 0), name))
    if errors["vote"] > errors[best]:
        weights = {best: 1.0}
    return weights, errors


def _codes(labels, classes):
    code = {label: i for i, label in enumerate(classes)}
    return np.array([code[str(v)] for v in np.asarray(labels)])


def _candidates(refits):
    """Families whose fit on T predicted V and whose refit predicted the test set, with the same classes."""
    def scores(record):
        return record.get("proba", record.get("decision"))

    found = {f: r for f, r in refits.items()
             if r.get("holdout") is not None and scores(r) is not None and scores(r["holdout"]) is not None
             and r.get("classes") and r["holdout"].get("classes") == r.get("classes")}
    classes = {tuple(r["classes"]) for r in found.values()}
    return (found, list(next(iter(classes)))) if len(found) >= 2 and len(classes) == 1 else ({}, None)


def _member_proba(candidates, y_codes, n_classes, seed):
    """Each member's probabilities of V, how to turn a refit record's scores into probabilities, calibrations."""
    val, to_proba, calibrations = {}, {}, {}
    for family, record in candidates.items():
        if "proba" in record and "proba" in record["holdout"]:
            val[family] = np.asarray(record["holdout"]["proba"], dtype=np.float64)
            to_proba[family] = lambda refit: np.asarray(refit["proba"], dtype=np.float64)
            continue
        calibration = calibrate(record["holdout"]["decision"], y_codes, n_classes, seed)
        val[family] = calibration.validation_proba
        to_proba[family] = lambda refit, calibration=calibration: calibration.predict_proba(refit["decision"])
        calibrations[family] = {"method": calibration.method, "log_loss": calibration.log_loss}
    return val, to_proba, calibrations


def _test_vote(weights, refits, to_proba, classes):
    """The vote's test predictions from the members' refit records; a member alone's own predictions."""
    if len(weights) == 1:
        (member,) = weights
        if "y_pred" in refits[member]:
            return np.asarray(refits[member]["y_pred"], dtype=object)
    vote = sum(w * to_proba[f](refits[f]) for f, w in weights.items())
    return np.asarray(classes, dtype=object)[np.argmax(vote, axis=1)]


def _seed_errors(weights, candidates, to_proba, classes, truth):
    """The vote's test error with each seed's refits (the same weights), when every member has them all."""
    n_seeds = {1 + len(candidates[f].get("repeats") or []) for f in weights}
    if len(n_seeds) != 1:
        return None
    errors = []
    for i in range(n_seeds.pop()):
        refits = {f: candidates[f] if i == 0 else candidates[f]["repeats"][i - 1] for f in weights}
        errors.append(float(np.mean(_test_vote(weights, refits, to_proba, classes) != truth)))
    return {"n_seeds": len(errors), "test_error_mean": float(np.mean(errors)),
            "test_error_min": min(errors), "test_error_max": max(errors)}


def _chosen_by(validation):
    """Which rows and which models chose the ensemble, in words."""
    def pct(x):
        return f"{100 * x:.2f} %"

    fitted = f" fitted on {validation['fit_rows']:,} others" if validation["fit_rows"] else ""
    return (f" (chosen on {validation['validation_rows']:,} held-out training rows by the members{fitted}: "
            f"vote {pct(validation['vote_error'])}, best member {validation['best_member']} "
            f"{pct(validation['best_member_error'])} there)")


def soft_vote_row(refits, y_val, y_test, seed=0):
    """The ensemble's table row and record, or None when it cannot be formed.

    Parameters
    ----------
    refits : dict of str to dict
        Each family's refit record: test ``proba`` (or ``decision``,
        calibrated here), ``classes``, and under ``holdout`` the record of
        its fit on the shared fitting rows T with ``proba`` (or
        ``decision``) of the validation rows V. Families with both are
        candidate members.
    y_val, y_test : array-like
        The labels of V and of the test set.
    seed : int, default=0
        Seed of the calibration's folds.

    Returns
    -------
    row : dict or None
        The table row of the ensemble; ``cv_mean`` is the vote's accuracy
        on V (optimistic by construction: V chose it), ``search_rows`` the
        rows of V.
    record : dict or None
        With ``y_pred`` on the test set, the members' ``weights`` and, under
        ``validation``, what chose them.
    """
    candidates, classes = _candidates(refits)
    if not candidates:
        return None, None
    y_codes = _codes(y_val, classes)
    val, to_proba, calibrations = _member_proba(candidates, y_codes, len(classes), seed)
    own = {f: _codes(r["holdout"]["y_pred"], classes) for f, r in candidates.items() if "y_pred" in r["holdout"]}
    weights, errors = select_members(val, y_codes, predictions=own)
    y_pred = _test_vote(weights, candidates, to_proba, classes)
    truth = np.asarray(y_test).astype(str)
    best = min(val, key=lambda f: (errors[f], f))
    validation = {
        "validation_rows": len(y_codes), "fit_rows": candidates[best]["holdout"].get("fit_rows"),
        "chosen": "best member alone (the vote erred more)" if errors["vote"] > errors[best] else "vote",
        "vote_error": errors["vote"], "best_member": best, "best_member_error": errors[best],
        "member_errors": {f: errors[f] for f in sorted(val)}, "calibration": calibrations,
        "holdout_fit_time_s": {f: candidates[f]["holdout"]["fit_time"] for f in sorted(candidates)},
    }
    row = result_row(
        ENSEMBLE, y_pred, y_test,
        cv_mean=1 - _error(sum(w * val[f] for f, w in weights.items()), y_codes),
        cv_std=float("nan"),
        preprocessing="the members'",
        best_params=", ".join(f"{f}={w:.2f}" for f, w in weights.items()) + _chosen_by(validation),
        fit_time_s=sum(candidates[f]["fit_time"] for f in weights),
        predict_time_s=sum(candidates[f]["predict_time"] for f in weights),
        n_candidates=len(candidates),
        search_rows=len(y_codes),
    )
    row.update(_seed_errors(weights, candidates, to_proba, classes, truth) or {})
    record = {"y_pred": [str(v) for v in y_pred], "weights": weights, "history": None, "validation": validation,
              "fit_time": row["fit_time_s"], "predict_time": row["predict_time_s"]}
    return row, record
