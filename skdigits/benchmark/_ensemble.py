"""The ensemble entry: a soft vote of the families, chosen on out-of-fold predictions.

Members and weights come from the families' cross-validation, never from
the test set: each family's best candidate left out-of-fold class
probabilities for the training rows it searched, and greedy forward
selection with replacement (Caruana et al., 2004) picks, round after round,
the family whose addition most lowers the log loss of the averaged
probabilities on the rows that every family predicted. The weights are how
often each family was picked. The ensemble then averages the refitted
families' test probabilities with those weights.
"""

import numpy as np

from ._results import result_row

ENSEMBLE = "ensemble"


def _log_loss(proba, y_codes):
    picked = proba[np.arange(len(y_codes)), y_codes]
    return float(-np.mean(np.log(np.clip(picked, 1e-15, None))))


def greedy_soft_vote(oof_proba, y_codes, n_rounds=20):
    """Weights of a soft vote chosen by greedy forward selection with replacement.

    Parameters
    ----------
    oof_proba : dict of str to ndarray of shape (n_rows, n_classes)
        Each candidate member's out-of-fold class probabilities, on the
        same rows.
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
    names = sorted(oof_proba)
    total = np.zeros_like(next(iter(oof_proba.values())))
    counts = dict.fromkeys(names, 0)
    for n_picked in range(n_rounds):
        losses = {name: _log_loss((total + oof_proba[name]) / (n_picked + 1), y_codes) for name in names}
        choice = min(names, key=lambda name: (losses[name], name))
        total += oof_proba[choice]
        counts[choice] += 1
    return {name: count / n_rounds for name, count in sorted(counts.items(), key=lambda kv: -kv[1]) if count}


def _common_rows(records):
    """Training-row positions that every member predicted out of fold."""
    common = None
    for record in records.values():
        rows = set(np.asarray(record["oof_rows"])[~np.isnan(record["oof_proba"]).any(axis=1)])
        common = rows if common is None else common & rows
    return np.array(sorted(common), dtype=int)


def _oof_on(record, rows):
    position = {row: i for i, row in enumerate(np.asarray(record["oof_rows"]))}
    return record["oof_proba"][[position[r] for r in rows]]


def soft_vote_row(refits, y_train, y_test):
    """The ensemble's table row and refit record, or None when it cannot be formed.

    Parameters
    ----------
    refits : dict of str to dict
        Each family's refit record; those with out-of-fold probabilities
        (``oof_rows``, ``oof_proba``, ``oof_classes``) and test
        probabilities (``proba``, an array) are candidate members.
    y_train, y_test : array-like
        The training labels (positions as in ``oof_rows``) and test labels.

    Returns
    -------
    row : dict or None
        The table row of the ensemble; ``cv_mean`` is the out-of-fold
        accuracy of the chosen vote on the rows it was chosen on (optimistic
        by construction: the same rows chose it).
    record : dict or None
        With ``y_pred`` on the test set and the members' ``weights``.
    """
    candidates = {f: r for f, r in refits.items() if "oof_proba" in r and "proba" in r}
    classes = {tuple(r["oof_classes"]) for r in candidates.values()}
    if len(candidates) < 2 or len(classes) != 1:
        return None, None
    classes = np.array(next(iter(classes)), dtype=object)
    rows = _common_rows(candidates)
    if rows.size == 0:
        return None, None
    code = {label: i for i, label in enumerate(classes)}
    y_codes = np.array([code[str(v)] for v in np.asarray(y_train)[rows]])
    oof = {f: _oof_on(r, rows) for f, r in candidates.items()}
    weights = greedy_soft_vote(oof, y_codes)
    vote = sum(w * oof[f] for f, w in weights.items())
    test_vote = sum(w * np.asarray(candidates[f]["proba"], dtype=np.float64) for f, w in weights.items())
    y_pred = classes[np.argmax(test_vote, axis=1)]
    row = result_row(
        ENSEMBLE, y_pred, y_test,
        cv_mean=float(np.mean(np.argmax(vote, axis=1) == y_codes)),
        cv_std=float("nan"),
        preprocessing="the members'",
        best_params=", ".join(f"{f}={w:.2f}" for f, w in weights.items()),
        fit_time_s=sum(candidates[f]["fit_time"] for f in weights),
        predict_time_s=sum(candidates[f]["predict_time"] for f in weights),
        n_candidates=len(candidates),
        search_rows=int(rows.size),
    )
    record = {"y_pred": [str(v) for v in y_pred], "weights": weights, "history": None,
              "fit_time": row["fit_time_s"], "predict_time": row["predict_time_s"]}
    return row, record
