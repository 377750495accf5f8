"""Seed spread: each family's chosen candidate refitted with more seeds, and what it says of the ordering.

With ``repeats=N`` the chosen candidate is refitted on the training rows
with seeds ``seed, seed + 1, ..., seed + N - 1`` (the first is the run's own
refit), every ``random_state`` of the pipeline set to that seed. Each refit
is recorded like the first, so a resumed run does not redo it. The table
then gives the test error's mean, minimum and maximum over the seeds, and
two neighbours in the table are ordered beyond the spread when their ranges
do not overlap.
"""

import numpy as np

from ._family import refit_and_predict, refit_key
from ._seeds import reseeded


def repeat_refits(spec, params, data, settings, work, data_key, store):
    """Start the chosen candidate's refits with seeds ``seed + 1``... (the first refit excluded); a function to finish.

    Each is fitted (through ``work.submit``, so beside the family's other
    refits in a batch, or on the cluster when there is one) unless its
    record is already in the family's ``store``.

    Returns
    -------
    finish : callable
        ``finish()`` waits for them, records them and returns
        ``(records, n_resumed)``: one record per extra seed, in order,
        without the fitted models, and how many were read back.
    """
    X_train, X_test, y_train = data.X_train, data.X_test, data.y_train
    started = []
    for seed in range(settings.seed + 1, settings.seed + settings.repeats):
        pipeline = reseeded(spec.pipeline, seed)
        key = refit_key(pipeline, params, data_key)
        record = store.get(key)
        future = None if record is not None else work.submit(
            refit_and_predict, pipeline, params, X_train, y_train, X_test, settings.n_jobs, settings.fit_timeout,
            None)
        started.append((seed, key, record, future))

    def finish():
        records = []
        for seed, key, record, future in started:
            if future is not None:
                record = future.result()
                store.put(key, record)
            records.append({**record, "seed": seed})
        return records, sum(future is None for *_, future in started)

    return finish


def spread(records, y_test):
    """The spread columns of a family's row: seeds, and the test error's mean, min and max over them."""
    truth = np.asarray(y_test).astype(str)
    errors = [float(np.mean(np.asarray(r["y_pred"], dtype=object) != truth)) for r in records]
    return {"n_seeds": len(errors), "test_error_mean": float(np.mean(errors)),
            "test_error_min": min(errors), "test_error_max": max(errors)}
