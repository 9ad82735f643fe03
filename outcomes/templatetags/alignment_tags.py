"""The alignment report's long tables, as HTML rows.

A plan has hundreds of objectives and links; rendered through template loops and
includes each row costs about a millisecond, so these tags build the rows of the
coverage table, the outcome walk and the matrix as strings, escaping every text.
None of them queries: they read the report the view computed.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape as _escape

from django import template
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name, localtime

register = template.Library()


def escape(text) -> str:
    """HTML-escaped text; the standard library's, as fast as it gets (Django's adds
    lazy-string handling these plain strings do not need)."""
    return _escape(str(text), quote=True)


def _day(moment) -> str:
    return _day_in(moment, get_current_timezone_name())


@lru_cache(maxsize=1024)
def _day_in(moment, zone: str) -> str:  # zone: part of the cache key
    return date_format(localtime(moment), "j M Y")


_PLACEHOLDER = 987654321
COVERAGE_BADGES = {
    "full": '<span class="badge cov cov-full">Fully covered</span>',
    "partial": '<span class="badge cov cov-partial">Partly covered</span>',
    "none": '<span class="badge cov cov-none">Not covered</span>',
    None: '<span class="badge cov cov-withdrawn">Withdrawn</span>',
}
MATRIX_COVERAGE = {
    "full": '<td class="cov-cell cov-full"><abbr title="Fully covered">Full</abbr></td>',
    "partial": '<td class="cov-cell cov-partial"><abbr title="Partly covered">Part</abbr></td>',
    "none": '<td class="cov-cell cov-none"><abbr title="Not covered: a gap">Gap</abbr></td>',
    None: (
        '<td class="cov-cell cov-withdrawn"><abbr title="Withdrawn from the plan">W/d</abbr></td>'
    ),
}
STATUS_BADGES = {
    "confirmed": '<span class="badge text-bg-success">Confirmed</span>',
    "queried": '<span class="badge text-bg-warning">Queried</span>',
    "proposed": '<span class="badge text-bg-secondary">Proposed</span>',
}
_MARK = {"confirmed": "✓", "queried": "?", "proposed": "·"}
_CHIP_MARK = {"confirmed": " ✓", "queried": " ?", "proposed": ""}
_STATUS_WORD = {
    "confirmed": "confirmed",
    "queried": "queried",
    "proposed": "proposed, not yet reviewed",
}


def _matrix_cell(degree: str, status: str) -> str:
    letter = "F" if degree == "full" else "P"
    title = f"{'Full' if degree == 'full' else 'Partial'} link, {_STATUS_WORD[status]}"
    return (
        f'<td class="cell cell-{degree} cell-{status}"><abbr title="{title}">'
        f'{letter}<span class="rv">{_MARK[status]}</span></abbr></td>'
    )


MATRIX_CELLS = {(d, s): _matrix_cell(d, s) for d in ("full", "partial") for s in _MARK}
EMPTY_CELL = '<td class="cell"></td>'


def _url(name: str):
    """A function from a link id to the named URL, reversing only once."""
    base = reverse(name, args=[_PLACEHOLDER])
    head, tail = base.split(str(_PLACEHOLDER))
    return lambda pk: f"{head}{pk}{tail}"


def _row_class(entry) -> str:
    classes = [f"depth-{entry.depth}"]
    if entry.is_gap:
        classes.append("gap-row")
    if not entry.is_leaf and entry.coverage is not None:
        classes.append("parent-row")
    return " ".join(classes)


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@register.simple_tag
def coverage_rows(section) -> str:
    """The rows of a pillar's coverage table: code, objective, coverage, outcomes."""
    out = []
    for entry in section.objectives:
        objective = entry.objective
        title = escape(objective.title)
        if entry.parent_code:
            title += (
                f' <span class="small text-body-secondary">(part of '
                f"{escape(entry.parent_code)})</span>"
            )
        if entry.change == "new":
            title += ' <span class="badge text-bg-info">New in this version</span>'
        elif entry.change == "changed":
            title += (
                f' <span class="badge text-bg-warning" title="Before: '
                f'{escape(entry.previous_title)}">Text changed</span>'
            )
        chips = " ".join(
            f'<a class="outcome-chip chip-{link.degree} chip-{link.review_status}" '
            f'href="#link-{link.id}"><abbr title="{escape(link.summary)}">'
            f"{escape(link.outcome_code)}</abbr> "
            f'<span class="chip-degree">{link.degree}</span>'
            f"{_CHIP_MARK[link.review_status]}"
            "</a>"
            for link in entry.links
        )
        if not chips:
            chips = (
                '<span class="text-danger">none</span>'
                if entry.is_leaf
                else '<span class="text-body-secondary small">through its sub-objectives</span>'
                if entry.coverage is not None
                else ""
            )
        out.append(
            f'<tr class="{_row_class(entry)}" id="objective-{objective.id}" '
            f'data-testid="objective-{escape(objective.code)}">'
            f'<th scope="row" class="code-col">{escape(objective.code)}</th>'
            f'<td class="objective-title">{title}</td>'
            f"<td>{COVERAGE_BADGES[entry.coverage]}</td><td>{chips}</td></tr>"
        )
    return mark_safe("\n".join(out))


@register.simple_tag
def matrix_rows(section) -> str:
    """The rows of a pillar's matrix: objective, coverage, one cell per outcome."""
    out = []
    for row in section.matrix:
        entry = row.entry
        objective = entry.objective
        cells = "".join(
            EMPTY_CELL if link is None else MATRIX_CELLS[(link.degree, link.review_status)]
            for link in row.cells
        )
        out.append(
            f'<tr class="{_row_class(entry)}"><th scope="row" class="sticky-col">'
            f'<abbr title="{escape(objective.title)}">{escape(objective.code)}</abbr> '
            f'<span class="matrix-title">{escape(_truncate(objective.title, 70))}</span></th>'
            f"{MATRIX_COVERAGE[entry.coverage]}{cells}</tr>"
        )
    return mark_safe("\n".join(out))


@register.simple_tag(takes_context=True)
def walk_rows(context, walk) -> str:
    """The rows of one outcome's links in the walk, with the review controls the
    user has: confirm/query (coordinator, managers), answer or change (the
    outcome's agencies), history (everyone)."""
    cache = context.render_context.setdefault("alignment_walk", {})
    if not cache:
        cache["review"] = _url("outcomes:alignment_review")
        cache["link"] = _url("outcomes:alignment_link")
        cache["csrf"] = escape(str(context.get("csrf_token", "")))
    review_url, link_url, csrf = cache["review"], cache["link"], cache["csrf"]
    open_plan = context.get("open_plan")
    can_review = context.get("can_review")
    answerable = context.get("answerable") or ()
    out = []
    outcome_code = escape(walk.outcome.code)
    for wl in walk.links:
        link, objective = wl.link, wl.objective.objective
        code = escape(objective.code)
        flag = ""
        if wl.needs_review:
            flag = (
                '<div><span class="badge text-bg-warning">Needs review</span> '
                f'<span class="small">{escape(wl.needs_review)}</span></div>'
            )
        if link.review_status == "proposed":
            who = f"by {escape(link.proposed_by)}" if link.proposed_by else ""
        else:
            who = f"by {escape(link.reviewed_by)}" if link.reviewed_by else ""
            if link.reviewed_at:
                who += f", {_day(link.reviewed_at)}"
        comment = ""
        if link.review_comment:
            label = {"queried": "Query", "confirmed": "Coordinator"}.get(
                link.review_status, "Latest comment"
            )
            comment = (
                f'<div class="mt-1 latest-comment"><strong>{label}:</strong> '
                f"{escape(link.review_comment)}</div>"
            )
        actions = ""
        if open_plan:
            parts = []
            if can_review:
                disabled = " disabled" if link.review_status == "confirmed" else ""
                parts.append(
                    f'<form method="post" action="{review_url(link.id)}" class="review-inline">'
                    f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
                    f'<input type="hidden" name="version" value="{link.version}">'
                    f'<input type="text" name="comment" class="form-control form-control-sm" '
                    f'placeholder="Comment (needed to query)" maxlength="2000" '
                    f'aria-label="Comment on outcome {outcome_code} and objective {code}">'
                    '<div class="btn-group btn-group-sm mt-1" role="group" aria-label="Review">'
                    '<button type="submit" name="status" value="confirmed" '
                    f'class="btn btn-outline-success"{disabled}>Confirm</button>'
                    '<button type="submit" name="status" value="queried" '
                    'class="btn btn-outline-warning">Query</button></div></form>'
                )
            if link.outcome_id in answerable:
                queried = link.review_status == "queried"
                parts.append(
                    f'<a class="btn btn-sm {"btn-warning" if queried else "btn-outline-secondary"}'
                    f' mt-1" href="{link_url(link.id)}">{"Answer" if queried else "Change"}</a>'
                )
            parts.append(
                f'<a class="btn btn-sm btn-link mt-1" href="{link_url(link.id)}">History</a>'
            )
            actions = f'<td class="d-print-none actions-cell">{"".join(parts)}</td>'
        row_class = ' class="needs-review-row"' if wl.needs_review else ""
        out.append(
            f'<tr id="link-{link.id}" data-testid="link-{outcome_code}-{code}"'
            f"{row_class}>"
            f'<td class="objective-cell"><span class="fw-semibold">{code}</span> '
            f"{escape(objective.title)}{flag}</td>"
            f"<td>{'Full' if link.degree == 'full' else 'Partial'}</td>"
            f'<td data-testid="status">{STATUS_BADGES[link.review_status]}'
            f'<div class="small text-body-secondary">{who}</div></td>'
            f'<td class="small">{escape(link.rationale)}{comment}</td>{actions}</tr>'
        )
    return mark_safe("\n".join(out))
