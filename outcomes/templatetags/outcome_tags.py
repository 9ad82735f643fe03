"""Figures and progress bars of the results framework, as HTML.

The results framework lists a figure and a progress bar for every indicator of a
page of outcomes, and an outcome page one for every result; as template includes
each cost a fraction of a millisecond, which added up to most of the page's time.
These tags build the same markup as strings, escaping every text, as the
alignment report's rows do. None of them queries.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language, gettext

from jointprogramme.numbers import grouped
from jointprogramme.templatetags.jp_tags import person

from ..models import Result
from .alignment_tags import escape, local_date

register = template.Library()

CENT = Decimal("0.01")


def number(value) -> str:
    """A figure as the pages show it, the same as ``floatformat:"-2g"``: a whole
    number without decimals, anything else rounded to two, grouped in thousands
    with the active language's separators."""
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    if value == value.to_integral_value():
        return grouped(int(value), 0)
    return grouped(value.quantize(CENT, rounding=ROUND_HALF_UP), 2)


@lru_cache(maxsize=8)
def _words_in(language: str) -> dict:  # language: the cache key (gettext reads it)
    return {
        "small": gettext("Fewer than %(minimum)s: small counts of people are not shown"),
        "secondary": escape(
            gettext("Hidden so that a small count cannot be worked out from the other figures")
        ),
        "hidden": escape(gettext("hidden")),
        "bar": gettext("Progress of %(label)s towards its target"),
        "locked": escape(gettext("locked")),
        "no_result": gettext("no approved result yet (target %(target)s %(unit)s)"),
        "no_indicators": escape(gettext("No indicators yet.")),
        "entered": gettext("Entered by %(name)s, %(when)s"),
        "submitted_for": gettext("Submitted by %(name)s (%(agency)s), %(when)s"),
        "submitted": gettext("Submitted by %(name)s, %(when)s"),
        "reviewed": {
            "approved": gettext("Approved by %(name)s, %(when)s"),
            "returned": gettext("Returned by %(name)s, %(when)s"),
            "": gettext("Reviewed by %(name)s, %(when)s"),
        },
    }


def _language() -> str:
    return get_language() or "en"


def _words() -> dict:
    return _words_in(_language())


def _figure(figure) -> str:
    if figure.hidden:
        words = _words()
        if figure.small:
            title = escape(words["small"] % {"minimum": figure.minimum})
            return (
                f'<span class="text-body-secondary" title="{title}" data-suppressed="small">'
                f"&lt; {figure.minimum}</span>"
            )
        return (
            f'<span class="text-body-secondary" title="{words["secondary"]}" '
            f'data-suppressed="secondary">{words["hidden"]}</span>'
        )
    if figure.value is None:
        return "—"
    return number(figure.value)


def _progress_bar(value, label) -> str:
    if value is None:
        return ""
    title = escape(_words()["bar"] % {"label": label})
    success = " bg-success" if value >= 100 else ""
    return (
        f'<div class="progress" role="progressbar" aria-label="{title}" aria-valuenow="{value}" '
        f'aria-valuemin="0" aria-valuemax="100" style="height: .9rem">'
        f'<div class="progress-bar{success}" style="width: {value}%">{value}%</div></div>'
    )


@register.simple_tag
def figure(figure) -> SafeString:
    """One published figure: the number, "< n" (a small count) or "hidden"."""
    return mark_safe(_figure(figure))


@register.simple_tag
def progress_bar(value, label) -> SafeString:
    """A bar from baseline (0 %) to target (100 %); nothing when there is no value."""
    return mark_safe(_progress_bar(value, label))


def _indicator_line(item) -> str:
    words = _words()
    unit = escape(item.unit)
    if item.has_result:
        lock = (
            f', <i class="bi bi-lock-fill" aria-hidden="true"></i> {words["locked"]}'
            if item.latest_locked
            else ""
        )
        text = (
            f"{_figure(item.latest)} / {number(item.target)} {unit} "
            f'<span class="text-body-secondary">({escape(item.latest_period)}{lock})</span>'
        )
    else:
        missing = words["no_result"] % {"target": number(item.target), "unit": item.unit}
        text = f'<span class="text-body-secondary">{escape(missing)}</span>'
    return (
        f'<div class="small mb-1"><span class="fw-semibold">{escape(item.code)}</span> '
        f"{text}{_progress_bar(item.progress, item.code)}</div>"
    )


@register.simple_tag
def indicator_progress(progress) -> SafeString:
    """An outcome's indicators on the results framework: latest approved figure
    against the target, its period, and the bar."""
    if not progress.indicators:
        return mark_safe(
            f'<span class="text-body-secondary small">{_words()["no_indicators"]}</span>'
        )
    return mark_safe("".join(_indicator_line(item) for item in progress.indicators))


@register.simple_tag
def period_lock(period) -> SafeString:
    """The "locked" badge of a reporting period, with who locked it, when and why."""
    if not period.is_locked:
        return mark_safe("")
    name = person(period.locked_by, "") or None
    return mark_safe(
        _lock_badge(
            period.locked_at, name, period.lock_reason, get_current_timezone_name(), _language()
        )
    )


@lru_cache(maxsize=256)
def _lock_badge(locked_at, name, reason, zone: str, language: str) -> str:
    # zone, language: the cache key's (local_date and gettext read them). A page
    # shows the same few locked periods once per indicator.
    when = local_date(locked_at)
    if name:
        title = gettext("Locked by %(name)s on %(when)s") % {"name": name, "when": when}
    else:
        title = gettext("Locked on %(when)s") % {"when": when}
    if reason:
        title += f": {reason}"
    title += ". " + gettext("Its results cannot change.")
    return (
        f'<span class="badge text-bg-dark" title="{escape(title)}" data-testid="locked">'
        f'<i class="bi bi-lock-fill" aria-hidden="true"></i> {_words()["locked"]}</span>'
    )


_STATUS_STYLE = {
    "approved": "text-bg-success",
    "submitted": "text-bg-primary",
    "returned": "text-bg-warning",
}


@register.simple_tag
def result_status(result) -> SafeString:
    """A result's place in the reporting cycle, as a badge."""
    return mark_safe(_status_badge(result.status, _language()))


@lru_cache(maxsize=32)
def _status_badge(status: str, language: str) -> str:  # language: the cache key
    style = _STATUS_STYLE.get(status, "text-bg-secondary")
    label = Result.Status(status).label if status in Result.Status.values else status
    return f'<span class="badge {style}" data-testid="status">{escape(label)}</span>'


def _when(moment) -> str:
    return local_date(moment, "DATETIME_FORMAT") if moment else ""


@register.simple_tag
def result_trail(result, show_status: bool) -> SafeString:
    """Who entered, submitted and reviewed a result, and when; the reviewer's
    comment. ``show_status``: the reporting steps before the review too."""
    words = _words()
    lines = []
    if show_status:
        lines.append(
            words["entered"]
            % {"name": person(result.reported_by, "—"), "when": _when(result.reported_at)}
        )
        if result.submitted_by:
            values = {"name": person(result.submitted_by), "when": _when(result.submitted_at)}
            if result.submitted_for:
                values["agency"] = result.submitted_for.short_name
                lines.append(words["submitted_for"] % values)
            else:
                lines.append(words["submitted"] % values)
    comment = ""
    if result.reviewed_by:
        reviewed = words["reviewed"]
        message = reviewed.get(result.status, reviewed[""])
        lines.append(
            message % {"name": person(result.reviewed_by), "when": _when(result.reviewed_at)}
        )
        if result.review_comment:
            weight = " fw-semibold" if result.status == "returned" else ""
            comment = (
                f'<div class="text-body{weight}" data-testid="review-comment">'
                f"“{escape(result.review_comment)}”</div>"
            )
    return mark_safe("".join(f"<div>{escape(line)}</div>" for line in lines) + comment)
