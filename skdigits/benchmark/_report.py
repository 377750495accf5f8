"""The benchmark's report files: CSV, JSON, Markdown, figures and one HTML page."""

import base64
import html
import json

from ._store import write_atomic

TABLE_COLUMNS = [
    "family",
    "status",
    "test_error",
    "error_ci_low",
    "error_ci_high",
    "cv_mean",
    "cv_std",
    "preprocessing",
    "best_params",
    "fit_time_s",
    "predict_time_s",
    "n_candidates",
    "search_rows",
    "error",
]


def _cv_text(row, pct):
    """'mean ± std', or the mean alone where there is no spread (the ensemble)."""
    if row["cv_std"] == row["cv_std"]:
        return f"{pct(row['cv_mean'])} ± {pct(row['cv_std'])}"
    return pct(row["cv_mean"])


def display_table(table):
    """The table as people read it: errors in %, intervals and CV scores as text."""
    def pct(x):
        return f"{100 * x:.2f}" if x == x else ""

    rows = []
    for _, r in table.iterrows():
        ok = r["status"] == "ok"
        rows.append(
            {
                "family": r["family"],
                "test error (%)": pct(r["test_error"]) if ok else "failed",
                "95% CI (%)": f"{pct(r['error_ci_low'])}-{pct(r['error_ci_high'])}" if ok else "",
                "CV accuracy (%)": _cv_text(r, pct) if ok else "",
                "preprocessing": r.get("preprocessing", "") if ok else "",
                "best parameters": r["best_params"] if ok else r["error"],
                "fit (s)": f"{r['fit_time_s']:.1f}" if ok else "",
                "predict (s)": f"{r['predict_time_s']:.2f}" if ok else "",
            }
        )
    return rows


def _markdown(rows):
    if not rows:
        return "(no results)\n"
    headers = list(rows[0])
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        cells = [str(row[h]).replace("|", "\\|").replace("\n", " ") for h in headers]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _html_table(rows):
    if not rows:
        return "<p>(no results)</p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row.values()) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


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


_CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:14px}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f3f3f3}
img{max-width:100%}code{background:#f3f3f3;padding:1px 4px}
"""


def write_reports(folder, table, meta, cv_tables, mcnemar, figures):
    """Write every report file of a run into ``folder``.

    Parameters
    ----------
    folder : Path
        The output folder.
    table : DataFrame
        One row per family, columns :data:`TABLE_COLUMNS`, sorted by error.
    meta : dict
        Versions, seed, machine, settings and run statistics.
    cv_tables : dict of str to DataFrame
        Each family's cross-validation results.
    mcnemar : DataFrame
        Pairwise McNemar tests between the families' best models.
    figures : dict of str to bytes
        PNG images by file name.
    """
    rows = display_table(table)
    write_atomic(folder / "results.csv", table[TABLE_COLUMNS].to_csv(index=False))
    records = json.loads(table[TABLE_COLUMNS].to_json(orient="records"))
    write_atomic(folder / "results.json", json.dumps({"meta": meta, "results": records}, indent=2))
    write_atomic(folder / "mcnemar.csv", mcnemar.to_csv(index=False))
    for family, cv_table in cv_tables.items():
        write_atomic(folder / "cv_results" / f"{family}.csv", cv_table.to_csv(index=False))
    for name, png in figures.items():
        write_atomic(folder / "figures" / name, png)

    settings = ", ".join(f"{k}={v}" for k, v in meta["settings"].items())
    markdown = (
        f"# skdigits benchmark\n\n{settings}\n\n{_markdown(rows)}\n"
        f"## McNemar tests between the best models\n\n{_markdown(_mcnemar_rows(mcnemar))}"
    )
    write_atomic(folder / "results.md", markdown)

    images = "".join(
        f'<h3>{html.escape(name)}</h3><img alt="{html.escape(name)}" '
        f'src="data:image/png;base64,{base64.b64encode(png).decode()}">'
        for name, png in figures.items()
    )
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>skdigits benchmark</title><style>{_CSS}</style></head>
<body>
<h1>skdigits benchmark</h1>
<p>{html.escape(settings)}</p>
<p>{html.escape(versions)}; {html.escape(meta['machine']['summary'])}</p>
<h2>Test error, sorted</h2>
{_html_table(rows)}
<h2>Which differences are significant?</h2>
<p>Exact McNemar test on the test set for each pair of best models, p-values adjusted for the
number of pairs with Holm's method. "yes" means the two error rates differ at the 5% level.</p>
{_html_table(_mcnemar_rows(mcnemar))}
<h2>Figures</h2>
{images}
</body></html>
"""
    write_atomic(folder / "report.html", page)
    return rows
