"""Presentation helpers shared by every app's templates. None of them queries."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from jointprogramme.transliteration import localized, to_script

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str):
    """A navbar item, active on its section; nothing when the section is not installed."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    request = context.get("request")
    path = request.path if request else ""
    active = path == url if url == "/" else path.startswith(url)
    return format_html(
        '<li class="nav-item"><a class="nav-link{}" href="{}"{}>{}</a></li>',
        " active" if active else "",
        url,
        mark_safe(' aria-current="page"') if active else "",
        label,
    )


@register.filter
def money(value, currency: str = ""):
    """A Decimal as money, rounded half up to whole units for reading: 1,234,567 EUR.

    The same half-up rule as the funding report, which shows cents."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    # Grouped as the active language writes numbers: 1,234,567 in English,
    # 1.234.567 in Serbian.
    text = number_format(amount, decimal_pos=0, use_l10n=True, force_grouping=True)
    return f"{text} {currency}".strip()


@register.filter
def percent(part, whole):
    """part / whole as a whole percentage, or an em dash when whole is zero."""
    try:
        part, whole = Decimal(part or 0), Decimal(whole or 0)
    except (TypeError, ValueError, ArithmeticError):
        return "—"
    if not whole:
        return "—"
    return f"{(part * 100 / whole).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"


def _marker(fallback: str) -> str:
    """The small badge beside a text shown in the other language than the page's."""
    if fallback == "en":
        label, note = "EN", gettext("Not yet translated into Serbian: shown in English.")
    else:
        label, note = "SR", gettext("Not yet translated into English: shown in Serbian.")
    return format_html(
        '<span class="badge rounded-pill text-bg-light border translation-missing" '
        'title="{}"><span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>'
        "</span>",
        note,
        label,
        note,
    )


@register.filter(is_safe=True)
def translated(obj, field: str):
    """A text people write (``outcome|translated:"title"``) in the active language:
    Serbian in the script of the interface; when it has not been written in that
    language, the other language with a small marker saying so. Never queries."""
    text, fallback = localized(obj, field)
    if fallback is None:
        return text
    return format_html('<span lang="{}">{}</span> {}', fallback, text, _marker(fallback))


@register.simple_tag
def translation_marker(obj, field: str):
    """Only the marker (for long texts shown with ``translated_text|linebreaksbr``)."""
    fallback = localized(obj, field)[1]
    return _marker(fallback) if fallback else ""


@register.filter
def translated_text(obj, field: str):
    """As ``translated``, without the marker: for attributes, line breaks, exports."""
    return localized(obj, field)[0]


@register.filter
def serbian_script(text):
    """Serbian text in the script of the active interface language."""
    from django.utils.translation import get_language

    return to_script(str(text or ""), get_language())


@register.filter
def person(user, fallback: str = "someone"):
    """A user's full name, else username; ``fallback`` when there is no user (deleted, or
    a change made outside a request)."""
    if user is None:
        return fallback
    return user.get_full_name() or user.get_username()


@register.inclusion_tag("includes/sample_badge.html")
def sample_badge(obj):
    return {"is_sample": getattr(obj, "is_sample", False)}
