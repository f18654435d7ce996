"""Views for the guidance groups (指导组视图): dashboards, submission status, ledger,
comparison table and copy detection. Registered in :mod:`kb.site.pages`. A feature
package: it may import :mod:`kb.markup`, :mod:`kb.data`, :mod:`kb.urls` and :mod:`kb.text`.

- :func:`view_pages` (PRODUCERS): overview, per-campaign dashboard and comparison table,
  the ledger of every unit;
- :func:`report_extras` (REPORT_EXTRAS): ``x.originality`` on each report page;
- :func:`originality` and :func:`load_template`: the copy check the benchmark times;
- :func:`kb.views.exports.write_exports` (post-build STEPS): the Excel and CSV downloads
  of the comparison table, ledger, submission status and 原创度 ranking.
"""

from kb.views.copies import load_template, originality, report_extras
from kb.views.producer import LEDGER, OVERVIEW, view_pages

__all__ = ["LEDGER", "OVERVIEW", "load_template", "originality", "report_extras", "view_pages"]
