"""Self-contained HTML pages: styles inline, figures embedded as base64 PNG.

Nothing on these pages is fetched from anywhere: they open from a file,
offline, and can be mailed as one attachment.
"""

import base64
import html

CSS = """
:root{--accent:#2a5d9f;--muted:#666;--line:#d9dee5;--soft:#f5f7fa}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;line-height:1.45}
nav{position:sticky;top:0;z-index:10;background:#1d2330;padding:.5em 1.5em;
    display:flex;flex-wrap:wrap;gap:.3em 1.1em;font-size:14px}
nav a{color:#e8eefc;text-decoration:none}nav a:hover{text-decoration:underline}
nav .brand{font-weight:600;color:#fff;margin-right:.8em}
nav .sep{color:#7d889c}
main{max-width:1180px;margin:0 auto;padding:1em 1.5em 4em}
section{scroll-margin-top:3em;border-top:1px solid var(--line);padding-top:.6em;margin-top:1.6em}
h1{margin:.4em 0 .1em}h2{margin:.2em 0 .4em;color:var(--accent)}h3{margin:1.2em 0 .3em;font-size:1.02em}
.settings{color:var(--muted);font-size:13.5px;margin:.2em 0 1em}
.lead{max-width:62em}
.note{max-width:62em;font-size:14px;color:var(--muted)}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:13.5px}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.failed td{color:#a12}
pre{background:var(--soft);padding:.7em 1em;overflow-x:auto;font-size:12.5px;border-radius:4px}
figure{margin:.6em 0 1em}figure img{max-width:100%;height:auto;border:1px solid var(--line);border-radius:3px}
figcaption{font-size:13px;color:var(--muted);margin-top:.2em}
.pair{display:flex;flex-wrap:wrap;gap:1.2em;align-items:flex-start}
.pair figure{flex:1 1 420px;min-width:0}
.facts{display:flex;flex-wrap:wrap;gap:.4em 1.6em;font-size:14px;margin:.3em 0 .6em}
.facts b{color:var(--accent)}
.twocol{display:flex;flex-wrap:wrap;gap:0 2em}.twocol>div{flex:1 1 380px;min-width:0}
.yes{color:#b3261e;font-weight:600}
"""


def escape(value):
    """HTML-escaped text of any value."""
    return html.escape(str(value))


def table(rows, numeric=(), row_class=None, raw=()):
    """A table of dicts (one per row, same keys), right-aligning ``numeric`` columns.

    Values of the columns in ``raw`` are inserted as HTML, others escaped.
    """
    if not rows:
        return "<p>(none)</p>"
    headers = list(rows[0])
    head = "".join(f'<th class="{"num" if h in numeric else ""}">{escape(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="{"num" if h in numeric else ""}">{row[h] if h in raw else escape(row[h])}</td>'
            for h in headers
        )
        css = row_class(row) if row_class else ""
        body.append(f'<tr class="{css}">{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def figure(title, png, caption=""):
    """A figure with its PNG embedded; ``title`` (in words) is its alternative text."""
    data = base64.b64encode(png).decode("ascii")
    text = f"<figcaption><b>{escape(title)}</b>. {escape(caption)}.</figcaption>" if caption else ""
    return f'<figure><img alt="{escape(title)}" src="data:image/png;base64,{data}">{text}</figure>'



def page(title, nav, body):
    """A whole page: ``nav`` is a list of (anchor, label), ``body`` HTML."""
    links = "".join(
        '<span class="sep">|</span>' if anchor is None else f'<a href="#{escape(anchor)}">{escape(label)}</a>'
        for anchor, label in nav
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{CSS}</style></head>
<body>
<nav><span class="brand">{escape(title)}</span>{links}</nav>
<main>
{body}
</main>
</body></html>
"""
