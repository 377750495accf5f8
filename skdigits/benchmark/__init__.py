"""The benchmark: every model family searched, refitted and compared on MNIST.

Run it as ``python -m skdigits.benchmark`` (see ``--help``), or from Python::

    from skdigits.benchmark import run
    table = run(profile="quick")

Finished runs are rebuilt and compared from their output folders, without
refitting: :func:`build_report` (``python -m skdigits.benchmark report RUN``)
and :func:`compare_runs` (``python -m skdigits.benchmark compare RUN_A RUN_B``).
"""

from ._cli import main
from ._compare import compare_runs
from ._folder import RunFolderError
from ._report import build_report
from ._run import run

__all__ = ["RunFolderError", "build_report", "compare_runs", "main", "run"]
