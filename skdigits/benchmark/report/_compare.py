"""Finished runs side by side: errors, intervals, differences and their significance."""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ...model_selection import write_atomic
from .._names import markdown_cell
from .._run_folder import RunFolderError, read_run
from . import _html, _plots
from ._build import _markdown
from ._stats import _holm, mcnemar_pair

COMPARISON_COLUMNS = [
    "family", "run", "test_error", "error_ci_low", "error_ci_high", "difference",
    "only_baseline_right", "only_run_right", "p_value", "p_holm", "significant",
]


def _labels(folders):
    """Short, distinct names for the runs: their folder names, else the paths as given."""
    for names in ([Path(f).resolve().name for f in folders], [str(f) for f in folders]):
        if len(set(names)) == len(names):
            return names
    return [f"{i + 1}:{f}" for i, f in enumerate(folders)]


def _families(runs):
    """Every family of every run, in the first run's table order, then the others'."""
    order = []
    for run in runs:
        order += [f for f in run.table["family"] if f not in order]
    return order


def _row(run, family):
    """The family's table row in a run, or None when it has no result there."""
    rows = run.table[(run.table["family"] == family) & (run.table["status"] == "ok")]
    return None if rows.empty else rows.iloc[0]


def _comparison_rows(runs, labels, same_test):
    rows = []
    for family in _families(runs):
        base = _row(runs[0], family)
        for i, (run, label) in enumerate(zip(runs, labels, strict=True)):
            row = _row(run, family)
            entry = dict.fromkeys(COMPARISON_COLUMNS, np.nan)
            entry.update(family=family, run=label, significant=None)
            if row is not None:
                entry.update(test_error=row["test_error"], error_ci_low=row["error_ci_low"],
                             error_ci_high=row["error_ci_high"])
            if i and row is not None and base is not None:
                entry["difference"] = row["test_error"] - base["test_error"]
                if same_test and family in runs[0].families and family in run.families:
                    only_a, only_b, p = mcnemar_pair(runs[0].families[family]["y_pred"] == runs[0].y_true,
                                                      run.families[family]["y_pred"] == run.y_true)
                    entry.update(only_baseline_right=only_a, only_run_right=only_b, p_value=p)
            rows.append(entry)
    table = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    tested = table["p_value"].notna()
    if tested.any():
        table.loc[tested, "p_holm"] = _holm(table.loc[tested, "p_value"].to_numpy())
        table["significant"] = table["significant"].astype(object)
        table.loc[tested, "significant"] = table.loc[tested, "p_holm"] < 0.05
    return table


def _flatten(meta):
    """The settings and versions of a run as 'section.key' -> value."""
    flat = {}
    for section in ("settings", "versions"):
        for key, value in meta.get(section, {}).items():
            flat[f"{section}.{key}"] = value
    flat["machine"] = meta.get("machine", {}).get("summary")
    for key, value in (meta.get("reproducibility") or {}).items():
        flat[f"{REPRODUCIBILITY}.{key}"] = value
    flat["test set"] = meta.get("test_set", {}).get("digest")
    return flat


def run_differences(runs, labels):
    """What differs between the runs: settings, versions, machine, test set, pipelines.

    Returns
    -------
    differences : list of dict
        One per differing item: ``what`` and each run's value.
    """
    flats = [_flatten(run.meta) for run in runs]
    keys = list(dict.fromkeys(k for flat in flats for k in flat))
    differences = []
    for key in keys:
        values = [flat.get(key) for flat in flats]
        if len({json.dumps(v, default=str) for v in values}) > 1:
            differences.append({"what": key, **{label: v for label, v in zip(labels, values, strict=True)}})
    for family in _families(runs):
        texts = [run.families.get(family, {}).get("pipeline") for run in runs]
        if len({t for t in texts if t is not None}) > 1:
            differences.append({"what": f"pipeline of {family}",
                                **{label: v for label, v in zip(labels, _pipeline_changes(texts), strict=False)}})
    return differences


_PARAMETER = re.compile(r"(\w+)=('[^']*'|\"[^\"]*\"|[^,()\s\]]+)")


def _pipeline_changes(texts):
    """Each run's pipeline reduced to the parameters that differ from the first run's.

    The whole pipeline (on one line) where its structure differs.
    """
    flat = [" ".join((t or "-").split()) for t in texts]
    skeletons = {_PARAMETER.sub(r"\1=", t) for t in flat}
    if len(skeletons) > 1:
        return flat
    params = [_PARAMETER.findall(t) for t in flat]
    changed = [i for i in range(len(params[0])) if len({tuple(p[i]) for p in params}) > 1]
    return [", ".join(f"{p[i][0]}={p[i][1]}" for i in changed) for p in params]


def _pct(x):
    return "-" if x != x else f"{100 * x:.2f}"


def display_comparison(table, labels, same_test):
    """One row per family: each run's error and interval, then each difference with the first run."""
    rows = []
    for family, group in table.groupby("family", sort=False):
        group = group.set_index("run")
        row = {"family": family}
        for label in labels:
            r = group.loc[label]
            row[f"{label} error (%)"] = (f"{_pct(r['test_error'])} ({_pct(r['error_ci_low'])}-"
                                         f"{_pct(r['error_ci_high'])})" if r["test_error"] == r["test_error"] else "-")
        for label in labels[1:]:
            r = group.loc[label]
            diff = r["difference"]
            row[f"{label} - {labels[0]} (points)"] = "-" if diff != diff else f"{100 * diff:+.2f}"
            if same_test:
                row[f"p (Holm), {label}"] = "-" if r["p_holm"] != r["p_holm"] else f"{r['p_holm']:.2g}"
                row[f"significant, {label}"] = {True: "yes", False: "no"}.get(r["significant"], "-")
        rows.append(row)
    return rows


REPRODUCIBILITY = "reproducibility"


def _bitwise_note(differences):
    """Whether the runs can be expected to agree to the bit, from what decides the numbers."""
    deciding = [d["what"] for d in differences
                if d["what"].startswith((REPRODUCIBILITY + ".", "versions.", "settings."))]
    if not deciding:
        return (" Their settings, library versions, threads and CPU (results.json's reproducibility facts) "
                "are the same, so the same families should agree to the bit.")
    return (" They cannot be expected to agree to the bit: " + ", ".join(deciding) + " differ (see "
            "docs/fairness.md, 'Reproducibility').")


def _notes(labels, same_test, differences):
    if same_test:
        test_note = ("The runs share their test set (same digest of its pixels and labels): each "
                     "difference is tested with an exact McNemar test on the test digits, p-values "
                     "adjusted with Holm's method over every test of this comparison.")
    else:
        test_note = ("The runs' test sets differ: their errors are not paired, so only the 95% "
                     "intervals are compared (no significance test).")
    if not differences:
        return test_note + " The runs' settings and versions are the same." + _bitwise_note(differences)
    return (test_note + " The runs differ in: " + ", ".join(d["what"] for d in differences) + "."
            + _bitwise_note(differences))


def _write(output_dir, table, rows, labels, notes, differences, figure):
    output_dir = Path(output_dir)
    write_atomic(output_dir / "comparison.csv", table.to_csv(index=False))
    diff_md = f"\n## What differs between the runs\n\n{_markdown(differences)}" if differences else ""
    runs_line = ", ".join(f"{label}" for label in labels)
    write_atomic(output_dir / "comparison.md",  # folder names and settings' keys are data: escaped
                 f"# skdigits runs compared: {markdown_cell(runs_line)}\n\n{markdown_cell(notes)}\n\n"
                 f"{_markdown(rows)}{diff_md}")
    numeric = [h for h in (rows[0] if rows else {}) if h != "family"]
    body = [f"<h1>Runs compared: {_html.escape(runs_line)}</h1>",
            f'<section id="errors"><h2>Test error per family</h2><p class="lead">{_html.escape(notes)}</p>',
            _html.table(rows, numeric=numeric), _html.figure(figure[0], figure[1]), "</section>"]
    if differences:
        body.append(f'<section id="differences"><h2>What differs between the runs</h2>'
                    f"{_html.table(differences)}</section>")
    nav = [("errors", "Test errors")] + ([("differences", "What differs")] if differences else [])
    write_atomic(output_dir / "comparison.html", _html.page("skdigits comparison", nav, "\n".join(body)))


def _check_output(output_dir):
    """Refuse an empty output, or one that is a file, before anything is read."""
    if output_dir is None:
        return
    if not str(output_dir).strip():
        raise RunFolderError("the comparison's output folder is empty; give one with --output")
    if Path(output_dir).exists() and not Path(output_dir).is_dir():
        raise RunFolderError(f"{output_dir} is a file, not a folder; give another --output for the comparison")


def compare_runs(folders, output_dir=None):
    """Compare finished benchmark runs family by family, without refitting anything.

    For each family, each run's test error with its 95% interval, and each
    run's difference with the first run's. When the runs share their test
    set (the digest of its pixels and labels recorded in ``results.json``
    is the same, as for two seeds or two versions of a model), whether
    each difference is significant: an exact McNemar test on the test
    digits, Holm-adjusted over the comparison. When the test sets differ
    (two data sets), only the intervals. The runs' differing settings,
    versions and pipelines are listed.

    Parameters
    ----------
    folders : list of str or path-like
        Two or more output folders of finished runs; the first is the
        baseline of the differences.
    output_dir : str or path-like, default=None
        Where to write ``comparison.md``, ``comparison.csv`` and
        ``comparison.html`` (self-contained); None writes nothing.

    Returns
    -------
    comparison : DataFrame
        One row per family and run: ``test_error``, ``error_ci_low``,
        ``error_ci_high``, ``difference`` (with the first run), and where
        tested ``p_value``, ``p_holm`` and ``significant``. Its
        ``attrs`` hold ``same_test_set``, ``differences`` (what differs
        between the runs) and ``markdown`` (the table as printed).

    Raises
    ------
    RunFolderError
        When a folder is not a finished run readable by this skdigits.

    Examples
    --------
    >>> from skdigits.benchmark import compare_runs
    >>> comparison = compare_runs(["seed-0", "seed-1"], output_dir="compared")  # doctest: +SKIP
    """
    folders = list(folders)
    if len(folders) < 2:
        raise RunFolderError(f"give two or more run folders to compare, got {len(folders)}")
    _check_output(output_dir)
    runs = [read_run(folder) for folder in folders]
    labels = _labels(folders)
    digests = {run.meta.get("test_set", {}).get("digest") for run in runs}
    same_test = len(digests) == 1 and None not in digests
    table = _comparison_rows(runs, labels, same_test)
    differences = run_differences(runs, labels)
    rows = display_comparison(table, labels, same_test)
    notes = _notes(labels, same_test, differences)
    if output_dir is not None:
        figure = ("Test error of each family in each run, with 95% intervals",
                  _plots.errors_side_by_side(table, labels))
        _write(output_dir, table, rows, labels, notes, differences, figure)
    table.attrs.update(same_test_set=same_test, differences=differences,
                       markdown=f"{notes}\n\n{_markdown(rows)}")
    return table
