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
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name, localtime
from django.utils.translation import get_language, gettext

from jointprogramme.transliteration import localized

register = template.Library()


def escape(text) -> str:
    """HTML-escaped text; the standard library's, as fast as it gets (Django's adds
    lazy-string handling these plain strings do not need)."""
    return _escape(str(text), quote=True)


def local_date(moment, format_name: str = "DATE_FORMAT") -> str:
    """A moment in the active time zone, in the active language's ``format_name``;
    formatted once per moment and language (long tables repeat the same few)."""
    return _local_date_in(moment, format_name, get_current_timezone_name(), get_language())


@lru_cache(maxsize=1024)
def _local_date_in(moment, format_name: str, zone: str, language: str) -> str:
    # zone, language: the cache key's (localtime and date_format read them)
    return date_format(localtime(moment), format_name)


def _day(moment) -> str:
    return local_date(moment)


_PLACEHOLDER = 987654321
_MARK = {"confirmed": "✓", "queried": "?", "proposed": "·"}
_CHIP_MARK = {"confirmed": " ✓", "queried": " ?", "proposed": ""}


def _words() -> dict:
    """The fixed pieces of the rows in the active language."""
    return _words_in(get_language() or "en")


@lru_cache(maxsize=8)
def _words_in(language: str) -> dict:  # language: the cache key (gettext reads it)
    status_word = {
        "confirmed": gettext("confirmed"),
        "queried": gettext("queried"),
        "proposed": gettext("proposed, not yet reviewed"),
    }
    degree = {"full": gettext("Full"), "partial": gettext("Partial")}

    def matrix_cell(d: str, status: str) -> str:
        letter = "F" if d == "full" else "P"
        title = gettext("%(degree)s link, %(status)s") % {
            "degree": degree[d],
            "status": status_word[status],
        }
        return (
            f'<td class="cell cell-{d} cell-{status}"><abbr title="{escape(title)}">'
            f'{letter}<span class="rv">{_MARK[status]}</span></abbr></td>'
        )

    return {
        "coverage_badges": {
            "full": f'<span class="badge cov cov-full">{gettext("Fully covered")}</span>',
            "partial": f'<span class="badge cov cov-partial">{gettext("Partly covered")}</span>',
            "none": f'<span class="badge cov cov-none">{gettext("Not covered")}</span>',
            None: f'<span class="badge cov cov-withdrawn">{gettext("Withdrawn")}</span>',
        },
        "matrix_coverage": {
            "full": '<td class="cov-cell cov-full"><abbr title="{}">{}</abbr></td>'.format(
                gettext("Fully covered"), gettext("Full")
            ),
            "partial": '<td class="cov-cell cov-partial"><abbr title="{}">{}</abbr></td>'.format(
                gettext("Partly covered"), gettext("Part")
            ),
            "none": '<td class="cov-cell cov-none"><abbr title="{}">{}</abbr></td>'.format(
                gettext("Not covered: a gap"), gettext("Gap")
            ),
            None: '<td class="cov-cell cov-withdrawn"><abbr title="{}">{}</abbr></td>'.format(
                gettext("Withdrawn from the plan"), gettext("W/d")
            ),
        },
        "status_badges": {
            "confirmed": f'<span class="badge text-bg-success">{gettext("Confirmed")}</span>',
            "queried": f'<span class="badge text-bg-warning">{gettext("Queried")}</span>',
            "proposed": f'<span class="badge text-bg-secondary">{gettext("Proposed")}</span>',
        },
        "matrix_cells": {(d, st): matrix_cell(d, st) for d in ("full", "partial") for st in _MARK},
        "degree": degree,
        "part_of": gettext("part of %(code)s"),
        "new": gettext("New in this version"),
        "changed": gettext("Text changed"),
        "before": gettext("Before: %(title)s"),
        "none": gettext("none"),
        "through": gettext("through its sub-objectives"),
        "needs_review": gettext("Needs review"),
        "by": gettext("by %(name)s"),
        "comment_labels": {
            "queried": gettext("Query"),
            "confirmed": gettext("Coordinator"),
            None: gettext("Latest comment"),
        },
        "comment_placeholder": gettext("Comment (needed to query)"),
        "comment_label": gettext("Comment on outcome %(outcome)s and objective %(objective)s"),
        "review": gettext("Review"),
        "confirm": gettext("Confirm"),
        "query": gettext("Query"),
        "answer": gettext("Answer"),
        "change": gettext("Change"),
        "history": gettext("History"),
    }


def _text(row, field: str) -> str:
    """A written text in the active language (Serbian in the interface's script)."""
    return localized(row, field)[0]


EMPTY_CELL = '<td class="cell"></td>'


def url_filler(name: str, *fixed, slots: int = 1):
    """A function from the last ``slots`` arguments of the named URL to the URL
    (its first arguments ``fixed``), reversing it only once: long tables link
    every row."""
    marks = [str(_PLACEHOLDER + n) for n in range(slots)]
    pieces, rest = [], reverse(name, args=[*fixed, *marks])
    for mark in marks:
        head, rest = rest.split(mark)
        pieces.append(head)

    def fill(*values) -> str:
        return (
            "".join(f"{piece}{value}" for piece, value in zip(pieces, values, strict=True)) + rest
        )

    return fill


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
    w = _words()
    for entry in section.objectives:
        objective = entry.objective
        title = escape(_text(objective, "title"))
        if entry.parent_code:
            part_of = w["part_of"] % {"code": entry.parent_code}
            title += f' <span class="small text-body-secondary">({escape(part_of)})</span>'
        if entry.change == "new":
            title += f' <span class="badge text-bg-info">{w["new"]}</span>'
        elif entry.change == "changed":
            before = w["before"] % {"title": entry.previous_title}
            title += (
                f' <span class="badge text-bg-warning" title="{escape(before)}">'
                f"{w['changed']}</span>"
            )
        chips = " ".join(
            f'<a class="outcome-chip chip-{link.degree} chip-{link.review_status}" '
            f'href="#link-{link.id}"><abbr title="{escape(link.summary)}">'
            f"{escape(link.outcome_code)}</abbr> "
            f'<span class="chip-degree">{escape(str(w["degree"][link.degree]).lower())}</span>'
            f"{_CHIP_MARK[link.review_status]}"
            "</a>"
            for link in entry.links
        )
        if not chips:
            chips = (
                f'<span class="text-danger">{w["none"]}</span>'
                if entry.is_leaf
                else f'<span class="text-body-secondary small">{w["through"]}</span>'
                if entry.coverage is not None
                else ""
            )
        out.append(
            f'<tr class="{_row_class(entry)}" id="objective-{objective.id}" '
            f'data-testid="objective-{escape(objective.code)}">'
            f'<th scope="row" class="code-col">{escape(objective.code)}</th>'
            f'<td class="objective-title">{title}</td>'
            f"<td>{w['coverage_badges'][entry.coverage]}</td><td>{chips}</td></tr>"
        )
    return mark_safe("\n".join(out))


@register.simple_tag
def matrix_rows(section) -> str:
    """The rows of a pillar's matrix: objective, coverage, one cell per outcome."""
    out = []
    w = _words()
    matrix_cells = w["matrix_cells"]
    for row in section.matrix:
        entry = row.entry
        objective = entry.objective
        objective_title = _text(objective, "title")
        cells = "".join(
            EMPTY_CELL if link is None else matrix_cells[(link.degree, link.review_status)]
            for link in row.cells
        )
        out.append(
            f'<tr class="{_row_class(entry)}"><th scope="row" class="sticky-col">'
            f'<abbr title="{escape(objective_title)}">{escape(objective.code)}</abbr> '
            f'<span class="matrix-title">{escape(_truncate(objective_title, 70))}</span></th>'
            f"{w['matrix_coverage'][entry.coverage]}{cells}</tr>"
        )
    return mark_safe("\n".join(out))


@register.simple_tag(takes_context=True)
def walk_rows(context, walk) -> str:
    """The rows of one outcome's links in the walk, with the review controls the
    user has: confirm/query (coordinator, managers), answer or change (the
    outcome's agencies), history (everyone)."""
    cache = context.render_context.setdefault("alignment_walk", {})
    if not cache:
        cache["review"] = url_filler("outcomes:alignment_review")
        cache["link"] = url_filler("outcomes:alignment_link")
        cache["csrf"] = escape(str(context.get("csrf_token", "")))
    review_url, link_url, csrf = cache["review"], cache["link"], cache["csrf"]
    open_plan = context.get("open_plan")
    can_review = context.get("can_review")
    answerable = context.get("answerable") or ()
    out = []
    w = _words()
    outcome_code = escape(walk.outcome.code)
    for wl in walk.links:
        link, objective = wl.link, wl.objective.objective
        code = escape(objective.code)
        flag = ""
        if wl.needs_review:
            flag = (
                f'<div><span class="badge text-bg-warning">{w["needs_review"]}</span> '
                f'<span class="small">{escape(wl.needs_review)}</span></div>'
            )
        if link.review_status == "proposed":
            who = escape(w["by"] % {"name": link.proposed_by}) if link.proposed_by else ""
        else:
            who = escape(w["by"] % {"name": link.reviewed_by}) if link.reviewed_by else ""
            if link.reviewed_at:
                who += f", {_day(link.reviewed_at)}"
        comment = ""
        if link.review_comment:
            labels = w["comment_labels"]
            label = labels.get(link.review_status, labels[None])
            comment = (
                f'<div class="mt-1 latest-comment"><strong>{label}:</strong> '
                f"{escape(link.review_comment)}</div>"
            )
        actions = ""
        if open_plan:
            parts = []
            if can_review:
                disabled = " disabled" if link.review_status == "confirmed" else ""
                names = {"outcome": walk.outcome.code, "objective": objective.code}
                comment_label = escape(w["comment_label"] % names)
                parts.append(
                    f'<form method="post" action="{review_url(link.id)}" class="review-inline">'
                    f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
                    f'<input type="hidden" name="version" value="{link.version}">'
                    f'<input type="text" name="comment" class="form-control form-control-sm" '
                    f'placeholder="{escape(w["comment_placeholder"])}" maxlength="2000" '
                    f'aria-label="{comment_label}">'
                    '<div class="btn-group btn-group-sm mt-1" role="group" '
                    f'aria-label="{w["review"]}">'
                    '<button type="submit" name="status" value="confirmed" '
                    f'class="btn btn-outline-success"{disabled}>{w["confirm"]}</button>'
                    '<button type="submit" name="status" value="queried" '
                    f'class="btn btn-outline-warning">{w["query"]}</button></div></form>'
                )
            if link.outcome_id in answerable:
                queried = link.review_status == "queried"
                verb = w["answer"] if queried else w["change"]
                parts.append(
                    f'<a class="btn btn-sm {"btn-warning" if queried else "btn-outline-secondary"}'
                    f' mt-1" href="{link_url(link.id)}">{verb}</a>'
                )
            parts.append(
                f'<a class="btn btn-sm btn-link mt-1" href="{link_url(link.id)}">{w["history"]}</a>'
            )
            actions = f'<td class="d-print-none actions-cell">{"".join(parts)}</td>'
        row_class = ' class="needs-review-row"' if wl.needs_review else ""
        out.append(
            f'<tr id="link-{link.id}" data-testid="link-{outcome_code}-{code}"'
            f"{row_class}>"
            f'<td class="objective-cell"><span class="fw-semibold">{code}</span> '
            f"{escape(_text(objective, 'title'))}{flag}</td>"
            f"<td>{w['degree'][link.degree]}</td>"
            f'<td data-testid="status">{w["status_badges"][link.review_status]}'
            f'<div class="small text-body-secondary">{who}</div></td>'
            f'<td class="small">{escape(link.rationale)}{comment}</td>{actions}</tr>'
        )
    return mark_safe("\n".join(out))
