"""The benchmark: every model family searched, refitted and compared on MNIST.

Run it as ``python -m skdigits.benchmark`` (see ``--help``), or from Python::

    from skdigits.benchmark import run
    table = run(profile="quick")
"""

from ._cli import main
from ._run import run

__all__ = ["main", "run"]
