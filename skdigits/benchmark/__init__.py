"""The benchmark: every model family searched, refitted and compared on MNIST.

Run it as ``python -m skdigits.benchmark`` (see ``--help``), or from Python::

    from skdigits.benchmark import run
    table = run(profile="quick")

Finished runs are rebuilt and compared from their output folders, without
refitting: :func:`build_report` (``python -m skdigits.benchmark report RUN``)
and :func:`compare_runs` (``python -m skdigits.benchmark compare RUN_A RUN_B``);
:func:`load_run` reads a run's table, cross-validation results and the
refitted models it kept; :func:`log_run_folder` logs a run to MLflow.
"""

from ._cli import main
from ._entries import ENTRY_POINT_GROUP, ModelReferenceError
from ._mlflow import MlflowLoggingError, check_tracking_uri, log_run_folder
from ._run import RunInputError, run
from ._run_folder import LoadedRun, RunFolderError, UntrustedModelError, load_run
from ._saved_keras import SavedKerasClassifier
from .report import build_report, compare_runs

__all__ = [
    "ENTRY_POINT_GROUP",
    "LoadedRun",
    "MlflowLoggingError",
    "ModelReferenceError",
    "RunFolderError",
    "RunInputError",
    "SavedKerasClassifier",
    "UntrustedModelError",
    "build_report",
    "check_tracking_uri",
    "compare_runs",
    "load_run",
    "log_run_folder",
    "main",
    "run",
]
