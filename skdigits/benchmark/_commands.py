"""``python -m skdigits.benchmark compare`` and ``report``: work on finished runs."""

import argparse

from ._compare import compare_runs
from ._folder import RunFolderError
from ._report import build_report

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
