"""``python -m skdigits.benchmark``: the command line.

Its commands: a run (:func:`run`, the default), ``compare RUN_A RUN_B ...``
(:func:`compare_runs`) and ``report RUN`` (:func:`build_report`).
"""

import argparse
import contextlib
import signal
import sys
import threading
import warnings

from ..datasets._source import SOURCE_HELP
from ..zoo import FAMILIES, PROFILES
from ._entries import ENTRY_POINT_GROUP, ModelReferenceError, known_families, spec_from_reference
from ._run import SEARCHES, RunInputError, run
from ._run_folder import RunFolderError
from ._settings import check_fit_timeout
from .report import build_report, compare_runs, display_table

PROG = "python -m skdigits.benchmark"


def _compare_parser():
    parser = argparse.ArgumentParser(
        prog=f"{PROG} compare",
        description=(
            "Compare finished benchmark runs family by family: each run's test error with its 95% "
            "interval, the difference with the first run, and whether it is significant (an exact "
            "McNemar test when the runs share their test set, as two seeds do; only the intervals "
            "when they do not, as for two data sets), without refitting anything. Lists the settings, "
            "versions and pipelines that differ."
        ),
    )
    parser.add_argument("runs", nargs="+", metavar="RUN",
                        help="output folders of finished runs (two or more); the first is the baseline")
    parser.add_argument("--output", default="comparison",
                        help="folder for comparison.md, comparison.csv and comparison.html "
                             "(default: comparison)")
    return parser


def _report_parser():
    parser = argparse.ArgumentParser(
        prog=f"{PROG} report",
        description=(
            "Rebuild a finished run's reports (report.html, results.md, figures, per-class scores, "
            "McNemar tests) from its output folder, without refitting anything."
        ),
    )
    parser.add_argument("run", metavar="RUN", help="output folder of a finished run")
    return parser


def compare_command(argv):
    """``compare RUN_A RUN_B [...]``: print and write the comparison; return the exit status."""
    parser = _compare_parser()
    args = parser.parse_args(argv)
    try:
        comparison = compare_runs(args.runs, output_dir=args.output)
    except RunFolderError as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    print(comparison.attrs["markdown"])
    print(f"Comparison in {args.output}/ (comparison.html, comparison.md, comparison.csv)")
    return 0


def report_command(argv):
    """``report RUN``: rebuild the run's reports; return the exit status."""
    parser = _report_parser()
    args = parser.parse_args(argv)
    try:
        path = build_report(args.run)
    except RunFolderError as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    print(f"Rebuilt {path} and the run's other reports (results.md, figures/, per_class/, mcnemar.csv)")
    return 0


COMMANDS = {"compare": compare_command, "report": report_command}

COMMANDS_HELP = (
    "Two more commands work on finished runs, without refitting anything: "
    "'python -m skdigits.benchmark compare RUN_A RUN_B [...] [--output DIR]' compares runs family "
    "by family (errors, intervals, McNemar tests) and 'python -m skdigits.benchmark report RUN' "
    "rebuilds a run's report.html and figures from its folder. Add --help after either for more."
)


def _families(text):
    families = [f.strip() for f in text.split(",") if f.strip()]
    known = known_families()
    if not families:
        raise argparse.ArgumentTypeError(f"no family given; choose one or more from {', '.join(known)}")
    unknown = [f for f in families if f not in known]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown family {', '.join(unknown)}; choose from {', '.join(known)}"
        )
    return families


def _model(text):
    """``--model NAME=package.module:factory``: the factory's model, checked now."""
    try:
        return spec_from_reference(text)
    except ModelReferenceError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _seconds(text):
    try:
        return check_fit_timeout(float(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--fit-timeout takes a number of seconds > 0, not {text!r}") from None


def _train_size(text):
    """A number of rows, or a fraction between 0 and 1 (checked, with the rest, by ``run``)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--train-size takes a number of rows or a fraction of the training rows, not {text!r}") from None


def _positive(text):
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"--repeats takes a whole number >= 1, not {text!r}")
    return number


def _entries(args):
    """The run's entries: the families, then the --model ones."""
    if args.families is None and args.models:
        return args.models
    return list(FAMILIES if args.families is None else args.families) + args.models


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m skdigits.benchmark",
        description=(
            "Grid-search every model family on MNIST with cross-validation, refit the best "
            "candidate of each on the training set, and compare their test errors. Every fit is "
            "recorded in the output folder as it completes: run the same command again to "
            "resume after an interruption."
        ),
        epilog=COMMANDS_HELP,
    )
    parser.add_argument("--families", type=_families, default=None,
                        help=f"comma-separated families among {', '.join(FAMILIES)} and those installed "
                             f"packages register in the '{ENTRY_POINT_GROUP}' entry-point group "
                             "(default: the zoo's seven, none when --model is given)")
    parser.add_argument("--model", dest="models", type=_model, action="append", default=[],
                        metavar="NAME=MODULE:FACTORY",
                        help="a model of yours beside the families, named NAME: FACTORY in the importable "
                             "MODULE is called with no arguments and returns a skdigits.ModelSpec or a "
                             "scikit-learn estimator (repeat for several)")
    parser.add_argument("--profile", choices=PROFILES, default="standard",
                        help="quick: a training subset, for demos (about a minute on 2 cores); standard: all "
                             "training rows, small grids (about 12 minutes on 2 idle AVX-512 cores, three times that "
                             "on older AVX2 ones: the README's measurements; the default); full: wider grids "
                             "(hours)")
    parser.add_argument("--train-size", type=_train_size, default=None,
                        help="training rows to use, a stratified subset: a number of rows, or a fraction of "
                             "the training rows between 0 and 1 (default: the profile's)")
    parser.add_argument("--cv", type=int, default=None,
                        help="cross-validation folds (default: the profile's: 2, 3 or 5)")
    parser.add_argument("--search", choices=list(SEARCHES), default="grid",
                        help="exhaustive grid search (the default), or successive halving")
    parser.add_argument("--n-jobs", type=int, default=-1, help="fits in parallel; -1 (the default) for one per core")
    parser.add_argument("--seed", type=int, default=0, help="seed of subsets, folds and estimators (default: 0)")
    parser.add_argument("--data", default=None, help=f"data source: {SOURCE_HELP} (default: mnist)")
    parser.add_argument("--output", default="benchmark-results", help="output folder (default: benchmark-results)")
    parser.add_argument("--scheduler", default=None,
                        help="address of a Dask scheduler (tcp://host:8786) to run the fits on")
    parser.add_argument("--no-ensemble", dest="ensemble", action="store_false",
                        help="no 'ensemble' entry (a soft vote of the families, chosen on held-out training "
                             "rows by the families fitted on other training rows; it costs one more fit per "
                             "family on a fifth of the rows)")
    parser.add_argument("--repeats", type=_positive, default=1, metavar="N",
                        help="refit each family's chosen candidate with N seeds (seed, seed+1, ...): the table "
                             "gives the test error's mean and range over them, and which orderings hold beyond "
                             "that spread (default: 1)")
    parser.add_argument("--fit-timeout", type=_seconds, default=None, metavar="SECONDS",
                        help="stop any fit (candidate or refit) that runs longer: its candidate is ranked "
                             "as failed, a family with no completed fit is reported 'timed out' (exit "
                             "status 3), the others go on (default: no limit)")
    parser.add_argument("--mlflow", nargs="?", const="", default=None, metavar="TRACKING_URI",
                        help="log the run to MLflow (pip install \"skdigits[mlflow]\"): to TRACKING_URI "
                             "(http://host:5000, sqlite:///path/mlflow.db), or without one to "
                             "MLFLOW_TRACKING_URI if set, else sqlite:///OUTPUT/mlflow.db")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar and no table; what went wrong still gets a line on stderr")
    return parser


def main(argv=None):
    """Run the benchmark from the command line; return the exit status.

    0 when every family succeeded, 1 when one or more failed (they are in
    the table with their error), 2 for bad arguments, data or models (before
    any work), 3 when none failed but one or more timed out (``--fit-timeout``:
    every fit of their search, or their refit, ran past the limit), 130 when
    interrupted by Ctrl-C and 143 when terminated by SIGTERM (either way the
    fits that ended are kept, and the same command goes on from them). A first
    argument ``compare`` or ``report`` runs that command on finished runs
    instead (see :func:`compare_runs` and :func:`build_report`).
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in COMMANDS:  # compare RUN_A RUN_B..., report RUN
        return COMMANDS[argv[0]](argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings(), _terminated_as_interrupted():  # the usual format restored after the run
            warnings.showwarning = _one_line(parser.prog)
            table = run(
                _entries(args), profile=args.profile, train_size=args.train_size, cv=args.cv,
                search=args.search, n_jobs=args.n_jobs, seed=args.seed, data=args.data,
                output_dir=args.output, quiet=args.quiet, scheduler=args.scheduler,
                ensemble=args.ensemble, fit_timeout=args.fit_timeout, mlflow=args.mlflow, repeats=args.repeats,
            )
    except RunInputError as exc:  # an error once fits have started is not the arguments' fault
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    except KeyboardInterrupt as stop:
        how, status = ("terminated", TERMINATED) if isinstance(stop, Terminated) else ("interrupted", INTERRUPTED)
        parser.exit(status, f"{parser.prog}: {how}; every fit that ended is kept in {args.output}: "
                            "run the same command again to go on from there\n")
    if not args.quiet:
        from rich.console import Console
        from rich.table import Table

        rows = display_table(table)
        view = Table(title="Test error, sorted")
        for header in rows[0]:
            view.add_column(header)
        for row in rows:
            view.add_row(*map(str, row.values()))
        console = Console()
        console.width = max(console.width, 150)  # a readable table in logs too
        console.print(view)
        print(f"Reports in {args.output}/ (report.html, results.csv, results.json, results.md)")
        if "mlflow_run_id" in table.attrs:
            print(f"Logged to MLflow: run {table.attrs['mlflow_run_id']} (ids in {args.output}/mlflow_run.json)")
    return exit_status(table)


def _one_line(prog):
    """A ``warnings.showwarning`` that prints ``PROG: warning: MESSAGE`` in one line on stderr."""
    def show(message, category, filename, lineno, file=None, line=None):
        text = " ".join(str(message).split())
        print(f"{prog}: warning: {text}", file=sys.stderr if file is None else file)

    return show


#: The exit statuses of a run stopped by Ctrl-C or by SIGTERM: 128 + the signal, as shells report them.
INTERRUPTED, TERMINATED = 128 + signal.SIGINT, 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, ``timeout``, a batch scheduler), raised as Ctrl-C is, so that the run stops alike."""


@contextlib.contextmanager
def _terminated_as_interrupted():
    """Within, SIGTERM raises :class:`Terminated` in the main thread, as Ctrl-C raises KeyboardInterrupt.

    Python's default for SIGTERM ends the process at once, and the joblib
    workers running its fits would go on without it, computing, then idle
    for minutes; as an interruption, the run stops them on its way out.
    """
    if threading.current_thread() is not threading.main_thread():  # only the main thread takes signals
        yield
        return

    def terminate(signum, frame):
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def exit_status(table):
    """0: every family ok; 1: one or more failed; 3: none failed, one or more timed out.

    A family that failed (or timed out) on a rerun counts so even when its
    previous result is kept in the table (``table.attrs['kept']``).
    """
    statuses = set(table["status"]) | set(table.attrs.get("kept", {}).values())
    if "failed" in statuses:
        return 1
    return 3 if "timed out" in statuses else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
