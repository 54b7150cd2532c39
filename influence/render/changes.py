"""``changes.html``: what changed in each account since the last review.

A self-contained page (no script, nothing loaded: the Content-Security-Policy is
``default-src 'none'; style-src 'unsafe-inline'``) listing the rows of a changes table
(:func:`influence.analysis.changes.changes`) grouped by account, then by kind of change
in a fixed order. Every CRM value goes through Jinja's autoescaping.
"""

from __future__ import annotations

import pandas as pd

from influence.analysis.changes import CHANGES
from influence.render.cells import number, text
from influence.render.html import environment
from influence.render.palette import STANCE_COLORS

CHANGES_CSP = "default-src 'none'; style-src 'unsafe-inline'"

#: Heading of each kind of change, in display order.
CHANGE_TITLES: dict[str, str] = {
    "new": "New stakeholders",
    "departed": "Departed",
    "gone_quiet": "Gone quiet",
    "rose": "Rose in influence",
    "fell": "Fell in influence",
    "cooled": "Our tie cooled",
    "champion_cold": "Champions and supporters gone cold",
    "coverage_gap": "New coverage gaps",
}


def render_changes(
    table: pd.DataFrame, before: str = "", after: str = "", version: str = ""
) -> str:
    """The changes page as HTML text.

    ``table`` has the columns ``account, id, name, change, before, after, detail``;
    ``before`` and ``after`` label the two reviews compared (e.g. their as-of dates).

    Examples
    --------
    >>> t = pd.DataFrame([["X", "a", "<Ann>", "rose", 10.0, 40.0, "influence 10 → 40"]],
    ...                  columns=["account", "id", "name", "change", "before", "after", "detail"])
    >>> html = render_changes(t, "2024-01-31", "2024-06-30")
    >>> "&lt;Ann&gt;" in html and "<Ann>" not in html and "Rose in influence" in html
    True
    """
    order = {c: i for i, c in enumerate(CHANGES)}
    accounts = []
    for acct, grp in table.groupby("account", sort=True):
        groups = []
        for change, rows in sorted(grp.groupby("change"), key=lambda kv: order.get(kv[0], 99)):
            digits = 3 if change in ("cooled", "coverage_gap") else 0
            groups.append(
                {
                    "title": CHANGE_TITLES.get(change, str(change)),
                    "key": change,
                    "rows": [
                        {
                            "name": text(r["name"]),
                            "id": text(r["id"]),
                            "before": number(r["before"], digits),
                            "after": number(r["after"], digits),
                            "detail": text(r["detail"]),
                        }
                        for r in rows.to_dict("records")
                    ],
                }
            )
        accounts.append({"name": text(acct), "count": len(grp), "groups": groups})
    counts = table["change"].value_counts() if len(table) else pd.Series(dtype=int)
    totals = [(CHANGE_TITLES[c], int(counts[c])) for c in CHANGES if c in counts]
    return (
        environment()
        .get_template("changes.html.j2")
        .render(
            csp=CHANGES_CSP,
            before=before,
            after=after,
            accounts=accounts,
            totals=totals,
            version=version,
            stance_colors=STANCE_COLORS,
        )
    )
