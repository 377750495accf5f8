"""The benchmark's report: results.md, figures, per-class scores and report.html.

Every report file is made from the run's folder alone (see ``skdigits.benchmark._run_folder``), so
:func:`build_report` gives the same report right after a run or long after,
without refitting anything.
"""

from pathlib import Path

import pandas as pd
from sklearn.metrics import classification_report

from ...model_selection import write_atomic
from .._names import markdown_cell
from .._run_folder import read_run, save_run_data
from . import _plots
from ._page import EDGES_LEAD, family_title, report_page
from ._stats import mcnemar_table, ordering_beyond_spread


def _cv_text(row, pct):
    """'mean ± std', or the mean alone where there is no spread (the ensemble)."""
    if row["cv_std"] == row["cv_std"]:
        return f"{pct(row['cv_mean'])} ± {pct(row['cv_std'])}"
    return pct(row["cv_mean"])


def display_table(table):
    """The table as people read it: errors in %, intervals and CV scores as text."""
    def pct(x):
        return f"{100 * x:.2f}" if x == x else ""

    seeds = "n_seeds" in table and table["n_seeds"].max() > 1
    holds = ordering_beyond_spread(table) if seeds else []
    rows = []
    for i, (_, r) in enumerate(table.iterrows()):
        ok = r["status"] == "ok"
        rows.append(
            {
                "family": r["family"],
                "test error (%)": pct(r["test_error"]) if ok else r["status"],
                "95% CI (%)": f"{pct(r['error_ci_low'])}-{pct(r['error_ci_high'])}" if ok else "",
                "CV accuracy (%)": _cv_text(r, pct) if ok else "",
                "preprocessing": r.get("preprocessing", "") if ok else "",
                "best parameters": r["best_params"] if ok else r["error"],
                "kept by early stopping": _text(r.get("iterations")) if ok else "",
                "fit (s)": f"{r['fit_time_s']:.1f}" if ok else "",
                "predict (s)": f"{r['predict_time_s']:.2f}" if ok else "",
            }
        )
        if seeds:
            rows[-1].update(_spread_cells(r, pct, holds[i]) if ok else {k: "" for k in _SPREAD_HEADERS})
    return rows


def _text(value):
    """A cell's text: '' for a missing value (NaN in a table read back)."""
    return value if isinstance(value, str) else ""


def grid_edge_notes(table):
    """``[(family, text)]`` of the families whose best parameters sit at an end of their grid, in table order.

    From the table's ``grid_edges`` column (see
    :func:`skdigits.model_selection.grid_edges`); a run written before it
    had the column gives none.
    """
    if "grid_edges" not in table:
        return []
    return [(r["family"], r["grid_edges"]) for _, r in table.iterrows()
            if r["status"] == "ok" and _text(r["grid_edges"])]


def _edges_markdown(notes):
    if not notes:
        return ""
    items = "".join(f"- {markdown_cell(family)}: {markdown_cell(text)}\n" for family, text in notes)
    return f"## Best values at the edge of their grid\n\n{EDGES_LEAD}\n\n{items}\n"


_SPREAD_HEADERS = ("seeds", "mean (min-max) (%)", "ahead of next beyond spread")


def _spread_cells(row, pct, holds):
    """The seed spread's cells of a row: seeds, mean (min-max), and whether it leads the next row beyond it."""
    if row["n_seeds"] != row["n_seeds"]:
        return dict.fromkeys(_SPREAD_HEADERS, "")
    spread = f"{pct(row['test_error_mean'])} ({pct(row['test_error_min'])}-{pct(row['test_error_max'])})"
    return dict(zip(_SPREAD_HEADERS, (int(row["n_seeds"]), spread, holds), strict=True))


def _markdown(rows):
    if not rows:
        return "(no results)\n"
    headers = list(rows[0])
    lines = ["| " + " | ".join(map(markdown_cell, headers)) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        cells = [markdown_cell(row[h]) for h in headers]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _mcnemar_rows(mcnemar):
    return [
        {
            "models": f"{r.model_a} vs {r.model_b}",
            "only first right": r.a_only_correct,
            "only second right": r.b_only_correct,
            "p (exact)": f"{r.p_value:.2g}",
            "p (Holm)": f"{r.p_holm:.2g}",
            "significant at 5%": "yes" if r.significant else "no",
        }
        for r in mcnemar.itertuples()
    ]


def write_reports(folder, table, meta, cv_tables, refits, specs, X_test, y_test):
    """Save what a run's reports are made from, then make them.

    Parameters
    ----------
    folder : Path
        The run's output folder.
    table : DataFrame
        One row per family, columns ``skdigits.benchmark._results.TABLE_COLUMNS``, sorted by error.
    meta : dict
        Versions, seed, machine, settings and run statistics.
    cv_tables : dict of str to DataFrame
        Each family's cross-validation results.
    refits : dict of str to dict
        Each family's final fit (``y_pred`` on the test set, ``history``).
    specs : dict of str to ModelSpec
        The families' pipelines.
    X_test, y_test : array-like
        The test set.

    Returns
    -------
    path : Path
        The report page, ``folder / 'report.html'``.
    """
    save_run_data(folder, table, meta, cv_tables, refits, specs, X_test, y_test)
    return build_report(folder)


def _ok_families(run):
    """Families with a result and predictions, in table order (best first)."""
    ok = run.table[run.table["status"] == "ok"]
    return [f for f in ok["family"] if f in run.families]


def _per_class(y_true, y_pred):
    """scikit-learn's classification report as a table: one row per class, then averages."""
    labels = sorted(set(y_true), key=lambda v: (len(v), v))
    report = classification_report(y_true, y_pred, labels=labels, output_dict=True, zero_division=0)
    rows = [{"class": k, **v} for k, v in report.items() if isinstance(v, dict)]
    frame = pd.DataFrame(rows).rename(columns={"f1-score": "f1"})
    frame["support"] = frame["support"].astype(int)
    return frame[["class", "precision", "recall", "f1", "support"]]


def _figures(run, families, mcnemar):
    """Every figure of the report: {file name: (title, png)}."""
    figures = {}
    if families:
        figures["error_vs_fit_time.png"] = ("Test error against fit time", _plots.error_vs_fit_time(run.table))
    if run.meta.get("schedule"):
        figures["schedule.png"] = ("When each fit ran, by process", _plots.schedule(run.meta["schedule"]))
    if len(families) > 1:
        figures["mcnemar.png"] = ("McNemar tests between every two models",
                                  _plots.mcnemar_matrix(mcnemar, families))
    labels = sorted(set(run.y_true), key=lambda v: (len(v), v))
    for family in families:
        record, title = run.families[family], family_title(family)
        name = f"{title}: confusion matrix on the {len(run.y_true):,} test digits"
        figures[f"confusion_{family}.png"] = (name, _plots.confusion(name, run.y_true, record["y_pred"], labels))
        rows = record["misclassified"]
        name = f"{title}: misclassified test digits (true → predicted)"
        figures[f"misclassified_{family}.png"] = (name, _plots.misclassified(
            name, [run.images[r] for r in rows], run.y_true[rows], record["y_pred"][rows], run.image_shape))
        if record.get("history") and record["history"].get("loss"):
            name = f"{title}: training curves of the final fit"
            figures[f"training_{family}.png"] = (name, _plots.training_curves(name, record["history"]))
    return figures


def _remove_others(folder, pattern, kept):
    """Remove the files of ``folder`` matching ``pattern`` but not named in ``kept``: an earlier report's."""
    for path in folder.glob(pattern):
        if path.name not in kept:
            path.unlink(missing_ok=True)


def build_report(folder):
    """Make every report of a finished run from its folder; no model is refitted.

    Writes ``report.html`` (one self-contained page), ``results.md``,
    ``mcnemar.csv``, ``per_class/<family>.csv`` (precision, recall and F1
    per digit) and the figures as PNG under ``figures/``, and removes the
    PNG and CSV files there that this report does not make (an earlier
    run's families'). The run's ``results.json``, ``cv_results/`` and
    ``report_data.json`` are read, never changed. ``python -m
    skdigits.benchmark report RUN`` calls it.

    Parameters
    ----------
    folder : str or path-like
        The output folder of a finished run (``--output``).

    Returns
    -------
    path : Path
        The report page, ``folder / 'report.html'``.

    Raises
    ------
    RunFolderError
        When ``folder`` is not a finished run, or was written by an older
        skdigits that did not save what the report needs (run the same
        benchmark command again: every fit is resumed, none is refitted).

    Examples
    --------
    >>> from skdigits.benchmark import build_report
    >>> build_report("benchmark-results")  # doctest: +SKIP
    PosixPath('benchmark-results/report.html')
    """
    run = read_run(folder)
    folder = Path(folder)
    families = _ok_families(run)
    correct = {f: run.families[f]["y_pred"] == run.y_true for f in families}
    mcnemar = mcnemar_table(correct)
    write_atomic(folder / "mcnemar.csv", mcnemar.to_csv(index=False))
    per_class = {f: _per_class(run.y_true, run.families[f]["y_pred"]) for f in families}
    for family, frame in per_class.items():
        write_atomic(folder / "per_class" / f"{family}.csv", frame.to_csv(index=False))
    figures = _figures(run, families, mcnemar)
    for name, (_, png) in figures.items():
        write_atomic(folder / "figures" / name, png)
    _remove_others(folder / "figures", "*.png", figures)
    _remove_others(folder / "per_class", "*.csv", {f"{family}.csv" for family in per_class})
    rows = display_table(run.table)
    edges = grid_edge_notes(run.table)
    markdown = (
        f"# skdigits benchmark\n\n{markdown_cell(settings_line(run.meta))}\n\n{_markdown(rows)}\n"
        f"{_edges_markdown(edges)}"
        f"## McNemar tests between the best models\n\n{_markdown(_mcnemar_rows(mcnemar))}"
    )
    write_atomic(folder / "results.md", markdown)
    path = folder / "report.html"
    write_atomic(path, report_page(run, families, rows, mcnemar, per_class, figures, settings_line(run.meta), edges))
    return path


def settings_line(meta):
    """The run's settings and environment, in one line."""
    s = meta.get("settings", {})
    parts = [
        f"profile {s.get('profile')}",
        f"{s.get('train_rows', 0):,} training and {s.get('test_rows', 0):,} test rows of {s.get('data')}",
        f"{s.get('cv')}-fold CV, {s.get('search')} search",
        f"seed {s.get('seed')}",
    ]
    versions = meta.get("versions", {})
    parts.append(", ".join(f"{k} {v}" for k, v in versions.items() if v))
    if "machine" in meta:
        parts.append(meta["machine"].get("summary", ""))
    if "total_time_s" in meta:
        at = f" at {meta['peak_memory_at_s']:.0f} s" if meta.get("peak_memory_at_s") is not None else ""
        parts.append(f"{meta['total_time_s']:.0f} s, peak memory {meta.get('peak_memory_mb', '?')} MB{at}")
    return " · ".join(p for p in parts if p)
