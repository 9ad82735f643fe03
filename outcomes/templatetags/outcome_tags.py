"""Figures and progress bars of the results framework, and the indicator cards of
an outcome page, as HTML.

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
from django.template.defaultfilters import linebreaksbr
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language, gettext, ngettext

from jointprogramme.numbers import grouped
from jointprogramme.templatetags.jp_tags import person, translated

from ..models import Result
from .alignment_tags import _local_date_in, escape, local_date, url_filler

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
    return mark_safe(_period_lock(period, get_current_timezone_name(), _language()))


def _period_lock(period, zone: str, language: str) -> str:
    if not period.is_locked:
        return ""
    name = person(period.locked_by, "") or None
    return _lock_badge(period.locked_at, name, period.lock_reason, zone, language)


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


def _when_in(zone: str, language: str):
    """A moment as a page shows it (as ``local_date``), the time zone and language
    read once for the page rather than for every date."""

    def when(moment) -> str:
        return _local_date_in(moment, "DATETIME_FORMAT", zone, language) if moment else ""

    return when


def _result_trail(result, show_status: bool, words: dict, when) -> str:
    """Who entered, submitted and reviewed a result, and when; the reviewer's
    comment. ``show_status``: the reporting steps before the review too."""
    lines = []
    if show_status:
        lines.append(
            words["entered"]
            % {"name": person(result.reported_by, "—"), "when": when(result.reported_at)}
        )
        if result.submitted_by:
            values = {"name": person(result.submitted_by), "when": when(result.submitted_at)}
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
            message % {"name": person(result.reviewed_by), "when": when(result.reviewed_at)}
        )
        if result.review_comment:
            weight = " fw-semibold" if result.status == "returned" else ""
            comment = (
                f'<div class="text-body{weight}" data-testid="review-comment">'
                f"“{escape(result.review_comment)}”</div>"
            )
    return "".join(f"<div>{escape(line)}</div>" for line in lines) + comment


# The indicator cards of an outcome page -------------------------------------------
#
# Each card lists the indicator's newest results, and for those who report and
# review them a form per step (submit, approve, return...) with its CSRF field.
# Rendered through the template the cards were most of the page's time; built
# here they are the same markup. Texts people wrote are escaped; our own
# translations go in as the template's {% translate %} put them.


@lru_cache(maxsize=8)
def _card_words_in(language: str) -> dict:  # language: the cache key (gettext reads it)
    return {
        "counts_people": gettext("Counts people: shown to donors only above a minimum size"),
        "sensitive": gettext("sensitive"),
        "report": gettext("Report result"),
        "output": gettext("Output %(code)s"),
        "outcome_level": gettext("Outcome level"),
        "unit": gettext("unit:"),
        "baseline": gettext("baseline"),
        "target": gettext("target"),
        "verified_by": gettext("verified by"),
        "broken_down_by": gettext("broken down by"),
        "latest": gettext("Latest approved:"),
        "in_period": gettext("in %(period)s"),
        "progress": gettext("%(progress)s%% of the way from baseline to target"),
        "none_approved": gettext("No approved result yet: progress counts approved results only."),
        "period": gettext("Period"),
        "value": gettext("Value"),
        "breakdown": gettext("Breakdown"),
        "status": gettext("Status"),
        "note": gettext("Note"),
        "evidence": gettext("Evidence"),
        "trail": gettext("Reported and reviewed"),
        "actions": gettext("Actions"),
        "link": gettext("link"),
        "correct_label": gettext("Correct the result of %(code)s for %(period)s"),
        "correct": gettext("Correct"),
        "what_needs": gettext("What needs to change"),
        "with_comment": gettext("%(action)s with this comment"),
        "step_label": gettext("%(action)s the result of %(code)s for %(period)s"),
        "no_result": gettext("No result yet."),
        "no_approved": gettext("No approved result yet."),
    }


def _card_page(context, outcome_id: int) -> dict:
    """What the cards of a page share, worked out for the first: the URLs (reversed
    once), the CSRF field (as ``{% csrf_token %}`` writes it) and the sample badge."""
    page = context.render_context.setdefault("indicator_cards", {})
    if not page:
        page["report"] = url_filler("outcomes:report_result", outcome_id)
        page["step"] = url_filler("outcomes:result_step", outcome_id, slots=2)
        token = context.get("csrf_token")
        page["csrf"] = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
            if token and token != "NOTPROVIDED"
            else ""
        )
        badge = get_template("includes/sample_badge.html")
        page["sample"] = {flag: badge.render({"is_sample": flag}) for flag in (False, True)}
        page["zone"], page["language"] = get_current_timezone_name(), _language()
        page["words"] = _card_words_in(page["language"])
        page["trail_words"] = _words_in(page["language"])
        page["when"] = _when_in(page["zone"], page["language"])
    return page


@register.simple_tag(takes_context=True)
def indicator_card(context, indicator, *, can_report: bool, show_status: bool) -> SafeString:
    """An indicator on its outcome's page: what it measures, the latest approved
    figure and the progress to the target, and its results (``result_list``, each
    with its ``figures`` and ``actions``) with the steps the user may take.
    ``show_status``: results in the reporting cycle, their status and steps."""
    page = _card_page(context, indicator.outcome_id)
    words = page["words"]
    code = escape(indicator.code)
    unit = escape(indicator.unit)
    sensitive = (
        f' <span class="badge text-bg-info" title="{words["counts_people"]}">'
        f"{words['sensitive']}</span>"
        if indicator.is_sensitive
        else ""
    )
    report = ""
    if can_report:
        report = (
            f'<a class="btn btn-sm btn-outline-primary d-print-none" '
            f'href="{page["report"](indicator.pk)}" data-testid="report-{code}">'
            f'<i class="bi bi-plus-lg" aria-hidden="true"></i> {words["report"]}</a>'
        )
    level = (
        words["output"] % {"code": escape(indicator.output.code)}
        if indicator.output
        else words["outcome_level"]
    )
    facts = (
        f"{words['unit']} {unit} · {words['baseline']} {_figure(indicator.baseline_figure)} · "
        f"{words['target']} {number(indicator.target)}"
    )
    if indicator.means_of_verification:
        facts += f" · {words['verified_by']} {escape(indicator.means_of_verification)}"
    if indicator.dimension_list:
        names = ", ".join(escape(str(d.name).lower()) for d in indicator.dimension_list)
        facts += f" · {words['broken_down_by']} {names}"
    out = [
        f'<article class="card mb-3" id="indicator-{indicator.pk}" '
        f'data-testid="indicator-{code}">\n'
        '  <div class="card-body">\n'
        '    <div class="d-flex flex-wrap justify-content-between gap-2">\n'
        f'      <h3 class="h6 mb-1"><span class="fw-semibold">{code}</span> '
        f"{conditional_escape(translated(indicator, 'title'))} "
        f"{page['sample'][bool(indicator.is_sample)]}{sensitive}</h3>\n"
        f"      {report}\n"
        "    </div>\n"
        '    <p class="small text-body-secondary mb-2">\n'
        f"      {level} ·\n"
        f"      {facts}\n"
        "    </p>\n    "
    ]
    latest = indicator.latest_result
    if latest:
        progress = ""
        if indicator.progress is not None:
            progress = " — " + words["progress"] % {"progress": indicator.progress}
        out.append(
            f'\n    <p class="mb-1" data-testid="latest-{code}">{words["latest"]} '
            f"<strong>{_figure(latest.figures.total)}</strong> {unit} "
            f"{words['in_period'] % {'period': escape(latest.period)}}"
            f"{_period_lock(latest.period, page['zone'], page['language'])}{progress}</p>\n"
            f"    {_progress_bar(indicator.progress, indicator.code)}\n    "
        )
    elif indicator.result_list:
        out.append(f'<p class="small text-body-secondary mb-1">{words["none_approved"]}</p>\n    ')
    out.append("\n    ")
    if indicator.result_list:
        out.append(_results_table(indicator, code, page, show_status=show_status))
    else:
        empty = words["no_result"] if show_status else words["no_approved"]
        out.append(f'<p class="small text-body-secondary mb-0">{empty}</p>')
    out.append("\n  </div>\n</article>\n")
    return mark_safe("".join(out))


def _results_table(indicator, code: str, page: dict, *, show_status: bool) -> str:
    words = page["words"]
    head = [
        f'<th scope="col">{words["period"]}</th><th scope="col" class="num">{words["value"]}</th>'
    ]
    if indicator.dimension_list:
        head.append(f'<th scope="col">{words["breakdown"]}</th>')
    if show_status:
        head.append(f'<th scope="col">{words["status"]}</th>')
    head.append(
        f'<th scope="col">{words["note"]}</th><th scope="col">{words["evidence"]}</th>'
        f'<th scope="col">{words["trail"]}</th>'
    )
    if show_status:
        head.append(
            '<th scope="col" class="d-print-none">'
            f'<span class="visually-hidden">{words["actions"]}</span></th>'
        )
    rows = "".join(
        _result_row(indicator, result, code, page, show_status=show_status)
        for result in indicator.result_list
    )
    earlier = ""
    if indicator.earlier_count:
        count = indicator.earlier_count
        text = ngettext(
            "Show %(count)s earlier approved result",
            "Show %(count)s earlier approved results",
            count,
        ) % {"count": count}
        earlier = (
            f'<p class="small mb-0 mt-1 d-print-none"><a href="?results={indicator.pk}'
            f'#indicator-{indicator.pk}" data-testid="earlier-{code}">{text}</a></p>'
        )
    return (
        '\n    <div class="table-responsive">\n'
        '    <table class="table table-sm table-numbers align-top mt-2 mb-0">\n'
        f"      <thead><tr>{''.join(head)}</tr></thead>\n"
        f"      <tbody>\n        {rows}\n      </tbody>\n"
        "    </table>\n"
        f"    </div>\n    {earlier}\n    "
    )


def _breakdown(figures) -> str:
    if not figures.dimensions:
        return '<span class="text-body-secondary">—</span>'
    return "".join(
        f'<div><span class="text-body-secondary">{escape(dimension.name)}:</span> '
        + " · ".join(f"{escape(name)} {_figure(figure)}" for name, figure in dimension.cells)
        + "</div>"
        for dimension in figures.dimensions
    )


def _result_row(indicator, result, code: str, page: dict, *, show_status: bool) -> str:
    words = page["words"]
    period = result.period
    period_name = escape(period.name)
    lock = _period_lock(period, page["zone"], page["language"])
    testid = f"{code}-{escape(slugify(period.name))}"
    breakdown = (
        f'<td class="small">{_breakdown(result.figures)}</td>' if indicator.dimension_list else ""
    )
    status = f"<td>{_status_badge(result.status, page['language'])}</td>" if show_status else ""
    evidence = (
        f'<a href="{escape(result.evidence_url)}" rel="noopener noreferrer">{words["link"]}</a>'
        if result.evidence_url
        else ""
    )
    actions = _result_actions(result, code, period_name, testid, page) if show_status else ""
    return (
        f'\n        <tr data-testid="result-{testid}">\n'
        f'          <td class="text-nowrap">{period_name} {lock}</td>\n'
        f'          <td class="num" data-testid="value">{_figure(result.figures.total)}</td>\n'
        f"          {breakdown}\n"
        f"          {status}\n"
        f'          <td class="small">{linebreaksbr(result.note, autoescape=True)}</td>\n'
        f'          <td class="small">{evidence}</td>\n'
        '          <td class="small text-body-secondary" data-testid="trail">\n'
        f"            {_result_trail(result, show_status, page['trail_words'], page['when'])}\n"
        "          </td>\n"
        f"          {actions}\n"
        "        </tr>\n        "
    )


def _result_actions(result, code: str, period: str, testid: str, page: dict) -> str:
    """The cell of a result's steps: correct it, and a form per step (those that
    need a comment open to ask for it). ``code``, ``period``: escaped."""
    words = page["words"]
    actions = result.actions
    correct = ""
    if actions["can_correct"]:
        label = words["correct_label"] % {"code": code, "period": period}
        correct = (
            f'<a class="btn btn-sm btn-link px-0 me-1" href="{page["report"](result.indicator_id)}'
            f'?period={result.period_id}" aria-label="{label}">{words["correct"]}</a>'
        )
    forms = []
    if actions["steps"]:
        csrf = page["csrf"]
        token = escape(actions["token"])
        for action in actions["steps"]:
            step, style, label = (escape(action[key]) for key in ("step", "style", "label"))
            url = page["step"](result.pk, step)
            if action["needs_comment"]:
                field = f"comment-{step}-{result.pk}"
                form = (
                    '\n            <details class="d-inline-block mb-1" '
                    f'data-testid="{step}-{testid}">\n'
                    f'              <summary class="btn btn-sm {style}">{label}…</summary>\n'
                    f'              <form method="post" action="{url}" class="mt-1" '
                    'style="min-width: 16rem">\n'
                    f'                {csrf}<input type="hidden" name="based_on" value="{token}">\n'
                    f'                <label class="form-label small" for="{field}">'
                    f"{words['what_needs']}</label>\n"
                    '                <textarea class="form-control form-control-sm mb-1" '
                    f'name="comment" id="{field}" rows="2" required></textarea>\n'
                    f'                <button type="submit" class="btn btn-sm {style}">'
                    f"{words['with_comment'] % {'action': label}}</button>\n"
                    "              </form>\n"
                    "            </details>\n            "
                )
            else:
                names = {"action": label, "code": code, "period": period}
                form = (
                    f'\n            <form method="post" action="{url}" '
                    'class="d-inline-block mb-1">\n'
                    f'              {csrf}<input type="hidden" name="based_on" value="{token}">\n'
                    f'              <button type="submit" class="btn btn-sm {style}" '
                    f'data-testid="{step}-{testid}" aria-label="{words["step_label"] % names}">'
                    f"{label}</button>\n"
                    "            </form>\n            "
                )
            forms.append(f"\n            {form}\n            ")
    waiting = (
        f'<div class="small text-body-secondary">{escape(actions["waiting"])}</div>'
        if actions["waiting"]
        else ""
    )
    return (
        '<td class="d-print-none">\n'
        f"            {correct}\n"
        f"            {''.join(forms)}\n"
        f"            {waiting}\n"
        "          </td>"
    )
