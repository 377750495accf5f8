"""The winners kept: each entry's refitted best model, saved as it completes.

Files under ``models/`` of a run's folder, written atomically:

- ``<family>.skops``: the fitted model in skops' format
  (:func:`skops.io.dump`), which loads without running arbitrary code;
- for a model whose final step is one of skdigits' Keras classifiers, the
  ``.skops`` file holds ``{"pipeline": ..., "classes": ...}``: the Pipeline
  with its last step ``'passthrough'`` (None for a bare network) and the
  class labels, and ``<family>.keras`` holds the trained network in Keras'
  own format (loaded with ``safe_mode=True``);
- ``<family>.json``: which refit the files are of (its key) and their format.
"""

import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from ..model_selection import write_atomic
from ._cache import without_cache
from ._family import final_step
from ._folder import RunFolderError, _read_json

MODELS = "models"


class UntrustedModelError(ValueError):
    """A saved model holds types that skops does not trust by default."""


def _is_keras(estimator):
    """Whether ``estimator`` is one of skdigits' Keras classifiers (TensorFlow not imported for others)."""
    base = sys.modules.get("skdigits.neural_network._base")
    return base is not None and isinstance(estimator, base.BaseKerasClassifier)


class SavedKerasClassifier(ClassifierMixin, BaseEstimator):
    """A trained Keras network loaded from a run folder, as a classifier.

    Predicts as skdigits' Keras classifiers do: the network's outputs are
    the class probabilities, in the order of ``classes_``.

    Parameters
    ----------
    network : keras.Model
        The trained network.
    classes : ndarray of shape (n_classes,)
        The labels seen in fit.
    """

    def __init__(self, network=None, classes=None):
        self.network = network
        self.classes = classes

    @property
    def classes_(self):
        return np.asarray(self.classes)

    @property
    def model_(self):
        return self.network

    def fit(self, X, y=None):
        """Not supported: refit the benchmark's estimator instead."""
        raise NotImplementedError("a saved network is for predictions; fit the original estimator")

    def predict_proba(self, X):
        """Class probabilities, columns in the order of ``classes_``."""
        X = np.asarray(X, dtype=np.float32)
        return np.asarray(self.network.predict(X, batch_size=1024, verbose=0), dtype=np.float64)

    def predict(self, X):
        """The label of the most probable class."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def _save_keras(network, path):
    """``network.save`` to ``path`` (a ``.keras`` file), atomically and readable as the umask says."""
    with tempfile.TemporaryDirectory(prefix="skdigits-keras-") as folder:
        partial = Path(folder) / path.name
        network.save(partial)
        write_atomic(path, partial.read_bytes())


def save_model(estimator, folder, family, key):
    """Save a refitted model under ``folder/models``; return its ``.skops`` path."""
    import skops.io as sio

    models = Path(folder) / MODELS
    models.mkdir(parents=True, exist_ok=True)
    estimator = without_cache(estimator)  # a cache folder is no part of the model
    network = final_step(estimator)
    if _is_keras(network):
        _save_keras(network.model_, models / f"{family}.keras")
        pipeline = None
        if estimator is not network:
            pipeline = _copy_with_passthrough(estimator)
        classes = np.asarray(network.classes_)
        content = {"pipeline": pipeline, "classes": classes.tolist(), "classes_dtype": classes.dtype.str}
        kind = "skops+keras"
    else:
        content, kind = estimator, "skops"
    write_atomic(models / f"{family}.skops", sio.dumps(content))
    write_atomic(models / f"{family}.json", json.dumps({"refit_key": key, "format": kind}))
    return models / f"{family}.skops"


def _copy_with_passthrough(pipeline):
    """The fitted Pipeline with its last step replaced by 'passthrough' (not copied deeply)."""
    from sklearn.pipeline import Pipeline

    steps = list(pipeline.steps[:-1]) + [(pipeline.steps[-1][0], "passthrough")]
    return without_cache(Pipeline(steps, verbose=pipeline.verbose))


def saved_key(folder, family):
    """The refit key of the model saved for ``family``, or None."""
    path = Path(folder) / MODELS / f"{family}.json"
    if not (path.exists() and (path.with_suffix(".skops")).exists()):
        return None
    try:
        return json.loads(path.read_text()).get("refit_key")
    except (OSError, json.JSONDecodeError):
        return None


#: skdigits' own estimators: plain attributes, no code run on load; trusted
#: like scikit-learn's.
OWN_TYPES = frozenset({
    "skdigits.preprocessing._deskew.Deskewer",
    "skdigits.preprocessing._blur.GaussianBlur",
    "skdigits.preprocessing._hog.HOGFeatures",
    "skdigits._label_encoding.LabelEncodedClassifier",
})


def _trusted(trusted):
    return sorted(OWN_TYPES | set(trusted or ()))


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

    path = Path(folder) / MODELS / f"{family}.skops"
    info = json.loads(path.with_suffix(".json").read_text())
    _untrusted(path, trusted)
    content = sio.load(path, trusted=_trusted(trusted))
    if info.get("format") != "skops+keras":
        return content
    import keras

    network = keras.saving.load_model(path.with_suffix(".keras"), safe_mode=True)
    classes = np.asarray(content["classes"], dtype=np.dtype(content["classes_dtype"]))
    classifier = SavedKerasClassifier(network, classes)
    pipeline = content["pipeline"]
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
    folder = Path(folder)
    if not folder.is_dir():
        raise RunFolderError(f"{folder} is not a folder; give the --output folder of a finished benchmark run")
    results = _read_json(folder / "results.json", folder)
    cv_results = {path.stem: pd.read_csv(path) for path in sorted((folder / "cv_results").glob("*.csv"))}
    table = pd.DataFrame(results["results"])
    ok = table.loc[table["status"] == "ok", "family"]
    models = {f: load_model(folder, f, trusted) for f in ok if (folder / MODELS / f"{f}.skops").exists()}
    return LoadedRun(table, {f: t for f, t in cv_results.items() if f in set(table["family"])}, models,
                     results["meta"])
