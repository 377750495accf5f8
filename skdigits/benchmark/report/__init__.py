"""The reports of finished runs, made from their folders alone.

- ``_build``: :func:`build_report` and ``write_reports``: results.md, the
  figures, per-class scores, McNemar tests and report.html of one run;
- ``_page`` and ``_html``: report.html's sections, and the page around them;
- ``_plots``: the figures;
- ``_stats``: error intervals and McNemar's test;
- ``_compare``: :func:`compare_runs`, runs side by side.
"""

from ._build import build_report, display_table, write_reports
from ._compare import compare_runs

__all__ = ["build_report", "compare_runs", "display_table", "write_reports"]
