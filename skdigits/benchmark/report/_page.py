"""The sections of ``report.html``, read top to bottom.

Settings in a line, the table, error against fit time, the McNemar matrix,
then one section per family: its pipeline, best parameters, cross-validation
results, per-class scores, confusion matrix beside its misclassified
digits, and its training curves when it has them.
"""

import numpy as np

from .._names import html_id
from . import _html

FAMILY_TITLES = {
    "logreg": "Logistic regression",
    "rf": "Random forest",
    "svm": "RBF support vector machine",
    "knn": "k-nearest neighbours",
    "xgboost": "XGBoost",
    "mlp": "Keras multilayer perceptron",
    "cnn": "Keras convolutional network",
    "ensemble": "Soft-vote ensemble",
}


def family_title(family):
    """The family's name in words: 'Logistic regression (logreg)'."""
    title = FAMILY_TITLES.get(family)
    return f"{title} ({family})" if title else family


#: What a best value at an end of its searched range means, said once for the page and results.md.
EDGES_LEAD = ("Best values at an end of the values searched (the other parameters held at the best "
              "candidate's): the optimum may lie beyond, so the grid may have held the family back.")


def _anchor(family):
    return f"family-{family}"


def _edges_paragraph(edges):
    """The families whose best values sit at an end of their grid, linked, under the table."""
    if not edges:
        return ""
    items = " · ".join(f'<a href="#{html_id(family)}">{_html.escape(family)}</a>: {_html.escape(text)}'
                       for family, text in edges)
    return f'<p class="note">{_html.escape(EDGES_LEAD)} {items}.</p>'


def _results_section(run, rows, edges=()):
    linked = []
    for row in rows:
        family = row["family"]
        link = f'<a href="#{html_id(family)}">{_html.escape(family)}</a>'
        linked.append({**row, "family": link})
    numeric = ("test error (%)", "95% CI (%)", "CV accuracy (%)", "fit (s)", "predict (s)", "seeds",
               "mean (min-max) (%)")
    table = _html.table(linked, numeric=numeric, raw=("family",),
                        row_class=lambda r: "failed" if r["test error (%)"] == "failed" else "")
    return f"""<section id="results"><h2>Test error, sorted</h2>
<p class="lead">Each family's best candidate of the cross-validated search, refitted on the
training rows and scored on the test set. The 95% interval is Wilson's; CV accuracy is the
mean ± standard deviation over the folds of the search; times are those of the final fit
and of predicting the whole test set. With more than one seed, the test error's mean and range
over the seeds' refits follow, and whether each row is ahead of the next one beyond that range
(its worst seed better than the next row's best).</p>
{table}{_edges_paragraph(edges)}</section>"""


def _cost_section(figures):
    if "error_vs_fit_time.png" not in figures:
        return ""
    title, png = figures["error_vs_fit_time.png"]
    caption = ("Each point is a family's final model, its bar the 95% interval of its test error. "
               "The red points make the Pareto front: for each of them, no other model is both "
               "faster to fit and more accurate; the others cost more for no gain")
    return f"""<section id="cost"><h2>Error against cost</h2>
{_html.figure(title, png, caption)}</section>"""


_PHASES = {"cv_fits": "CV fits", "cv_scoring": "CV scoring", "refit": "refit", "predict": "predict",
           "ensemble_fit": "fit on the ensemble's rows", "repeats": "refits with more seeds", "wall": "wall"}


def _time_section(run, figures):
    """Where each family's time went, from ``results.json`` (``meta.phases_s``, and ``meta.schedule``'s figure)."""
    phases = run.meta.get("phases_s") or {}
    if not phases:
        return ""
    rows = [{"family": _html.escape(family), **{label: f"{float(times.get(key, 0.0)):.1f}"
                                                  for key, label in _PHASES.items()}}
            for family, times in phases.items() if isinstance(times, dict)]
    table = _html.table(rows, numeric=tuple(_PHASES.values()), raw=("family",))
    return f"""<section id="time"><h2>Where the time goes</h2>
<p class="lead">Seconds per family and phase, as its fits recorded them (a resumed fit keeps the
time it took when it ran). CV fits and scoring add up every candidate's fits on every fold, in
parallel workers, so they can exceed the wall time; features are computed inside the fits (the
HOG features once per process and rows, see docs/benchmark.md). A family's wall time runs from
its search's start to its last fit's end; on two cores or more the families overlap (a family's
refits beside the next family's search), so the walls add up to more than the run's.</p>
{table}{_schedule_figure(figures)}</section>"""


def _schedule_figure(figures):
    if "schedule.png" not in figures:
        return ""
    caption = ("Each bar is one fit this run made, from its start to its end (its scoring or prediction "
               "included), on the process that ran it: pale, the search's fits on its folds; solid, the "
               "refits and the fits for the ensemble. Fits read back from an earlier run are not drawn; "
               "a gap in a row is a process waiting, or starting")
    return _html.figure(*figures["schedule.png"], caption)


def _significance_section(mcnemar, figures):
    if "mcnemar.png" not in figures:
        return ""
    title, png = figures["mcnemar.png"]
    significant = mcnemar[mcnemar["significant"]]
    pairs = len(mcnemar)
    caption = (f"Exact McNemar test on the test digits for each of the {pairs} pairs, p-values "
               "adjusted for the number of pairs with Holm's method. A small p-value (dark cell) "
               "means the two models' error rates differ by more than chance would explain; "
               f"{len(significant)} of {pairs} pairs differ significantly at the 5% level")
    return f"""<section id="significance"><h2>Which differences are significant?</h2>
{_html.figure(title, png, caption)}</section>"""


def _cv_rows(cv_table, n_max=40):
    """A family's CV results as people read them: parameters, accuracy, rank, time."""
    table = cv_table.sort_values("rank_test_score", kind="stable").head(n_max)
    params = [c for c in table.columns if c.startswith("param_")]
    rows = []
    for _, r in table.iterrows():
        row = {"rank": int(r["rank_test_score"])}
        for c in params:
            value = r[c]
            row[c[len("param_"):].split("__")[-1]] = "" if value != value else value
        row["CV accuracy (%)"] = f"{100 * r['mean_test_score']:.2f} ± {100 * r.get('std_test_score', np.nan):.2f}"
        if "mean_fit_time" in r:
            row["fit per fold (s)"] = f"{r['mean_fit_time']:.2f}"
        rows.append(row)
    return rows


def _per_class_rows(frame):
    return [
        {"class": r["class"], "precision": f"{r['precision']:.3f}", "recall": f"{r['recall']:.3f}",
         "F1": f"{r['f1']:.3f}", "support": int(r["support"])}
        for _, r in frame.iterrows()
    ]


def _facts(row):
    def pct(x):
        return f"{100 * x:.2f}%"

    return (f'<div class="facts"><span>test error <b>{pct(row["test_error"])}</b> '
            f'({pct(row["error_ci_low"])}-{pct(row["error_ci_high"])})</span>'
            f'<span>fit <b>{row["fit_time_s"]:.1f} s</b></span>'
            f'<span>predict <b>{row["predict_time_s"]:.2f} s</b></span>'
            f'<span>preprocessing <b>{_html.escape(row.get("preprocessing") or "-")}</b></span></div>')


def _family_section(run, family, row, per_class, figures, edges=""):
    record = run.families[family]
    parts = [f'<section id="{html_id(family)}"><h2>{_html.escape(family_title(family))}</h2>']
    if record.get("description"):
        parts.append(f'<p class="lead">{_html.escape(record["description"])}</p>')
    parts.append(_facts(row))
    if record.get("pipeline"):
        parts.append(f"<h3>Pipeline, with the best parameters</h3><pre>{_html.escape(record['pipeline'])}</pre>")
    label = "Members and weights" if record.get("weights") else "Best parameters"
    parts.append(f"<h3>{label}</h3><p>{_html.escape(row.get('best_params') or '(defaults)')}</p>")
    if edges:
        parts.append(f'<p class="note">At the edge of the grid, where the optimum may lie beyond: '
                     f"{_html.escape(edges)}</p>")
    left = "<h3>Cross-validation results</h3>"
    if family in run.cv_tables:
        left += _html.table(_cv_rows(run.cv_tables[family]), numeric=("rank", "CV accuracy (%)", "fit per fold (s)"))
    else:
        left += ("<p>No search of its own: chosen on held-out training rows, by the members fitted on "
                 "other training rows (see its parameters above).</p>")
    right = "<h3>Precision, recall and F1 per digit</h3>" + _html.table(
        _per_class_rows(per_class), numeric=("precision", "recall", "F1", "support"))
    parts.append(f'<div class="twocol"><div>{left}</div><div>{right}</div></div>')
    pair = [_html.figure(*figures[f"{kind}_{family}.png"]) for kind in ("confusion", "misclassified")]
    parts.append(f'<div class="pair">{"".join(pair)}</div>')
    if f"training_{family}.png" in figures:
        parts.append(_html.figure(*figures[f"training_{family}.png"]))
    parts.append("</section>")
    return "\n".join(parts)


def _failed_section(failed):
    if failed.empty:
        return ""
    items = "".join(f"<li><b>{_html.escape(r['family'])}</b>: {_html.escape(r['error'])} "
                    f"(traceback in errors/{_html.escape(r['family'])}.txt)</li>" for _, r in failed.iterrows())
    return f'<section id="failed"><h2>Failed families</h2><ul>{items}</ul></section>'


def _kept_section(run):
    """The families that failed on the last rerun, whose previous result the page shows."""
    kept = run.meta.get("kept_from_previous_run") or {}
    if not kept:
        return ""
    items = "".join(f"<li><b>{_html.escape(family)}</b> {_html.escape(status)} on the last rerun (traceback in "
                    f"errors/{_html.escape(family)}.txt); its result above is the previous run's, with the same "
                    "settings</li>" for family, status in kept.items())
    return f'<section id="kept"><h2>Kept from the previous run</h2><ul>{items}</ul></section>'


def report_page(run, families, rows, mcnemar, per_class, figures, settings, edges=()):
    """The whole ``report.html`` of a run, as text (``edges``: ``grid_edge_notes``'s)."""
    by_family, edges_of = run.table.set_index("family"), dict(edges)
    nav = [("results", "Results"), ("cost", "Error vs fit time"), ("time", "Time"), ("significance", "Significance"),
           (None, "")]
    nav += [(_anchor(f), f) for f in families]
    failed = run.table[run.table["status"] != "ok"]
    if not failed.empty:
        nav.append(("failed", "failed"))
    if run.meta.get("kept_from_previous_run"):
        nav.append(("kept", "kept"))
    if "error_vs_fit_time.png" not in figures:
        nav = [n for n in nav if n[0] != "cost"]
    if "mcnemar.png" not in figures:
        nav = [n for n in nav if n[0] != "significance"]
    if not run.meta.get("phases_s"):
        nav = [n for n in nav if n[0] != "time"]
    body = [
        f'<h1>Handwritten digits: {len(families)} models compared</h1>'
        f'<p class="settings">{_html.escape(settings)}</p>',
        _results_section(run, rows, edges),
        _cost_section(figures),
        _time_section(run, figures),
        _significance_section(mcnemar, figures),
        *(_family_section(run, f, by_family.loc[f], per_class[f], figures, edges_of.get(f, "")) for f in families),
        _failed_section(failed),
        _kept_section(run),
    ]
    return _html.page("skdigits benchmark", nav, "\n".join(b for b in body if b))
