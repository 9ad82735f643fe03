"""The interface in English, Serbian Latin and Serbian Cyrillic; content in English
and Serbian with a marker where a translation is missing; the catalogues complete and
consistent; the same number of queries in every language."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from jointprogramme.catalogues import (
    catalogue_problems,
    cyrillic_from_latin,
    load_pair,
    write_cyrillic_and_compile,
)
from jointprogramme.transliteration import localized, to_cyrillic, to_latin
from tests import factories as f

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ("en", "sr-latn", "sr")


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Serbian leaves Serbian active in this thread: tests after this
    one expect English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def in_language(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


# Transliteration ------------------------------------------------------------------


def test_latin_becomes_cyrillic_letter_for_letter_digraphs_included():
    assert to_cyrillic("Ljubljana, Njegoš, džep") == "Љубљана, Његош, џеп"
    assert to_cyrillic("LJUBAV") == "ЉУБАВ"


def test_digraph_letters_of_different_syllables_stay_apart():
    assert to_cyrillic("nadživeti, konjugacija") == "надживети, конјугација"


def test_placeholders_markup_and_foreign_acronyms_are_left_alone():
    text = 'Izvoz %(count)s ishoda u XLSX: <a href="#walk">UNODC</a> &amp; %s {0} NAP'
    assert to_cyrillic(text) == (
        'Извоз %(count)s исхода у XLSX: <a href="#walk">UNODC</a> &amp; %s {0} НАП'
    )


def test_cyrillic_back_to_latin_is_exact():
    latin = "Žrtve dobijaju pomoć i podršku u reintegraciji; NJEGOŠ, Đorđe, Ćuprija"
    assert to_latin(to_cyrillic(latin)) == latin


# Catalogues ---------------------------------------------------------------------


def test_both_serbian_catalogues_are_complete_consistent_and_compiled():
    problems = catalogue_problems(**load_pair())
    assert not problems, "\n".join(map(str, problems))


def _catalogue(entries: dict) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "sr_Latn"}
    for msgid, msgstr in entries.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    return po


def test_checker_fails_on_a_string_without_translation():
    latin = _catalogue({"Outcomes": "Ishodi", "Funding": ""})
    problems = catalogue_problems(latin, cyrillic_from_latin(latin))
    assert {(p.catalogue, p.msgid, p.what) for p in problems} == {
        ("sr_Latn", "Funding", "no translation"),
        ("sr", "Funding", "no translation"),
    }


def test_checker_fails_on_a_fuzzy_translation():
    latin = _catalogue({"Outcomes": "Ishodi"})
    latin[0].flags.append("fuzzy")
    assert [p.what for p in catalogue_problems(latin, cyrillic_from_latin(latin))] == [
        "no translation",
        "no translation",
    ]


def test_checker_fails_when_cyrillic_is_out_of_step_with_latin():
    latin = _catalogue({"Outcomes": "Ishodi", "Funding": "Finansiranje"})
    cyrillic = cyrillic_from_latin(latin)
    cyrillic[0].msgstr = "Резултати"  # edited by hand
    cyrillic.append(polib.POEntry(msgid="Gone", msgstr="Нема"))
    problems = catalogue_problems(latin, cyrillic)
    assert {(p.msgid, p.what) for p in problems} == {
        ("Outcomes", "not the transliteration of the Latin translation"),
        ("Gone", "not in the Latin catalogue"),
    }
    del cyrillic[1]
    problems = catalogue_problems(latin, cyrillic)
    assert ("Funding", "missing (run transliterate_catalogue)") in {
        (p.msgid, p.what) for p in problems
    }


def test_checker_passes_a_consistent_pair_and_catches_a_stale_compiled_file(tmp_path):
    latin = _catalogue({"Outcomes": "Ishodi"})
    (tmp_path / "sr_Latn" / "LC_MESSAGES").mkdir(parents=True)
    latin.save(str(tmp_path / "sr_Latn" / "LC_MESSAGES" / "django.po"))
    write_cyrillic_and_compile(tmp_path)
    assert catalogue_problems(**load_pair(tmp_path)) == []
    latin[0].msgstr = "Rezultati"
    latin.save(str(tmp_path / "sr_Latn" / "LC_MESSAGES" / "django.po"))
    whats = {p.what for p in catalogue_problems(**load_pair(tmp_path))}
    assert "compiled .mo out of date" in whats


SIMPLE_MARKS = [
    # {% translate "…" %} in templates; _("…"), gettext("…") in Python (one line each)
    (
        "templates",
        "*.html",
        re.compile(r"""\{% (?:translate|trans) (?:"([^"]+)"|'([^']+)')"""),
    ),
    ("templates", "*.html", re.compile(r"""\b_\((?:"([^"]+)"|'([^']+)')\)""")),
    (
        ".",
        "*.py",
        re.compile(r"""\b(?:_|gettext|gettext_lazy)\(\s*(?:"([^"\n]+)"|'([^'\n]+)')\s*\)"""),
    ),
]


def test_every_simply_marked_string_is_in_the_catalogue():
    """Strings marked since the catalogue was last made (without running
    makemessages, which needs GNU gettext) are found here without it."""
    known = {e.msgid for e in polib.pofile(str(ROOT / "locale/sr_Latn/LC_MESSAGES/django.po"))}
    skip = {".venv", "node_modules", "tests", "staticfiles", "media", "bench"}
    missing = set()
    for folder, pattern, regex in SIMPLE_MARKS:
        for path in (ROOT / folder).rglob(pattern):
            if skip & set(path.relative_to(ROOT).parts) or "migrations" in path.parts:
                continue
            for match in regex.finditer(path.read_text(encoding="utf-8")):
                msgid = match.group(1) or match.group(2)
                if msgid not in known:
                    missing.add(f"{path.relative_to(ROOT)}: {msgid!r}")
    assert not missing, "Run makemessages and translate:\n" + "\n".join(sorted(missing))


# Pages in three languages -----------------------------------------------------------


@pytest.fixture
def dashboard_world(world):
    pillar = f.PillarFactory(programme=world.programme, code="prevention", name="Prevention")
    outcome = f.OutcomeFactory(
        programme=world.programme,
        pillar=pillar,
        code="1",
        title="Awareness raised",
        lead_agency=world.agencies["iom"],
    )
    f.OutcomeBudgetFactory(outcome=outcome, amount=Decimal("1234567"))
    f.MeetingFactory(
        programme=world.programme,
        title="Donor roundtable",
        start_date=dt.date.today() + dt.timedelta(days=30),
    )
    return world


NAVIGATION = {
    "en": ("Outcomes", "Alignment", "Funding"),
    "sr-latn": ("Ishodi", "Usklađenost", "Finansiranje"),
    "sr": ("Исходи", "Усклађеност", "Финансирање"),
}
BUDGET = {"en": "1,234,567 USD", "sr-latn": "1.234.567 USD", "sr": "1.234.567 USD"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_dashboard_in_each_language_translates_navigation_dates_and_numbers(
    dashboard_world, language
):
    client = in_language(dashboard_world.client_for("manager"), language)
    response = client.get(reverse("dashboard"))
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    for word in NAVIGATION[language]:
        assert f">{word}</a>" in content
    assert BUDGET[language] in content
    meeting_day = dt.date.today() + dt.timedelta(days=30)
    with translation.override(language):
        from django.utils.formats import date_format

        day = date_format(meeting_day, "DATE_FORMAT")
    assert f"{day} — " in content
    if language == "sr":
        assert re.search(r"\d+\. [а-шђјљњћџ]+ \d{4}\. — ", content), "month in Cyrillic"
    if language == "sr-latn":
        assert re.search(r"\d+\. [a-zčćšžđ]+ \d{4}\. — ", content), "month in Latin"
    if language == "en":
        assert day == f"{meeting_day.day} {meeting_day.strftime('%b')} {meeting_day.year}"


def test_switcher_remembers_the_language_in_a_cookie(world):
    client = world.client_for("manager")
    response = client.post(reverse("set_language"), {"language": "sr", "next": "/outcomes/"})
    assert response.status_code == 302
    assert response["Location"] == "/outcomes/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sr"
    assert "Исходи" in client.get(reverse("outcomes:list")).content.decode()
    assert client.get(reverse("set_language")).status_code == 405


def test_login_page_offers_the_three_languages(client, db):
    content = client.get(reverse("login")).content.decode()
    assert 'action="/i18n/setlang/"' in content
    for code in LANGUAGES:
        assert f'name="language" value="{code}"' in content


# Content in two languages -----------------------------------------------------------


@pytest.fixture
def bilingual(world):
    pillar = f.PillarFactory(programme=world.programme, code="prevention", name="Prevention")
    translated = f.OutcomeFactory(
        programme=world.programme,
        pillar=pillar,
        code="1",
        title="Awareness raised",
        lead_agency=world.agencies["iom"],
    )
    translated.title_sr = "Podignuta svest o trgovini ljudima"
    translated.save()
    untranslated = f.OutcomeFactory(
        programme=world.programme,
        pillar=pillar,
        code="2",
        title="Victims referred",
        lead_agency=world.agencies["iom"],
    )
    return translated, untranslated


def test_serbian_content_is_shown_in_the_script_of_the_interface(bilingual, world):
    translated, _ = bilingual
    client = world.client_for("manager")
    url = translated.get_absolute_url()
    assert "Awareness raised" in in_language(client, "en").get(url).content.decode()
    latin = in_language(client, "sr-latn").get(url).content.decode()
    assert "Podignuta svest o trgovini ljudima" in latin
    cyrillic = in_language(client, "sr").get(url).content.decode()
    assert "Подигнута свест о трговини људима" in cyrillic
    assert "translation-missing" not in cyrillic.split('data-testid="outcome-title"')[1][:200]


def test_missing_serbian_falls_back_to_english_with_a_marker(bilingual, world):
    _, untranslated = bilingual
    client = in_language(world.client_for("manager"), "sr")
    content = client.get(untranslated.get_absolute_url()).content.decode()
    title = content.split('data-testid="outcome-title"')[1][:600]
    assert '<span lang="en">Victims referred</span>' in title
    assert "translation-missing" in title
    assert to_cyrillic("Još nije prevedeno na srpski: prikazano na engleskom.") in title


def test_missing_english_falls_back_to_serbian_with_a_marker(world):
    outcome = f.OutcomeFactory(programme=world.programme, code="9", title="x")
    outcome.title_en = None
    outcome.title_sr = "Samo na srpskom"
    with translation.override("en"):
        assert localized(outcome, "title") == ("Samo na srpskom", "sr")
    with translation.override("sr"):
        assert localized(outcome, "title") == ("Само на српском", None)


def test_outcome_form_edits_both_languages(bilingual, world):
    from tests.outcomes.conftest import edit_payload

    translated, _ = bilingual
    data = edit_payload(translated, title="Awareness raised widely")
    data["title_sr"] = "Široko podignuta svest"
    client = in_language(world.client_for("manager"), "sr")
    page = client.get(reverse("outcomes:edit", args=[translated.pk])).content.decode()
    assert 'name="title_sr"' in page and 'name="title"' in page
    response = client.post(reverse("outcomes:edit", args=[translated.pk]), data)
    assert response.status_code == 302
    translated.refresh_from_db()
    assert (translated.title_en, translated.title_sr) == (
        "Awareness raised widely",
        "Široko podignuta svest",
    )


# Exports and query counts -----------------------------------------------------------


def test_alignment_export_headers_follow_the_language(world):
    plan = f.NationalActionPlanFactory(programme=world.programme)
    client = world.client_for("coordinator")
    english = client.get(reverse("outcomes:alignment_csv") + f"?plan={plan.pk}")
    serbian = in_language(client, "sr").get(reverse("outcomes:alignment_csv") + f"?plan={plan.pk}")
    assert "Coverage by objective" in english.content.decode("utf-8-sig")
    assert "Покривеност по циљевима" in serbian.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    "url_name", ["dashboard", "outcomes:list", "outcomes:alignment", "funding:dashboard"]
)
def test_the_same_queries_in_every_language(bilingual, world, url_name):
    f.NationalActionPlanFactory(programme=world.programme)
    counts = {}
    for language in LANGUAGES:
        client = in_language(world.client_for("manager"), language)
        client.get(reverse(url_name))  # warm the session and caches alike
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        counts[language] = len(queries)
    assert counts["sr"] == counts["sr-latn"] == counts["en"], counts


# Reporting, funding, admin, e-mail and exports in each language ---------------------


@pytest.mark.parametrize(
    "language, words",
    [
        ("en", ("1 Jan 2010 – 30 Jun 2010", "Lock history of 2010 H1", "By agency")),
        ("sr-latn", ("1. januar 2010. – 30. jun 2010.", "Istorija zaključavanja", "Po agencijama")),
        ("sr", ("1. јануар 2010. – 30. јун 2010.", "Историја закључавања", "По агенцијама")),
    ],
)
def test_reporting_status_page_in_each_language(outcome_world, language, words):
    from outcomes.services import period_lock

    first = outcome_world.periods[0]
    period_lock(period=first, reason="Report sent", by=outcome_world.user("manager"))
    client = in_language(outcome_world.client_for("manager"), language)
    content = client.get(reverse("outcomes:reporting_status") + f"?period={first.pk}")
    content = content.content.decode()
    for text in words:
        assert text in content
    first.refresh_from_db()
    with translation.override(language):
        from django.utils.formats import date_format
        from django.utils.timezone import localtime

        when = date_format(localtime(first.locked_at), "DATETIME_FORMAT")
        locked_by = translation.gettext("Locked by %(name)s on %(when)s") % {
            "name": outcome_world.user("manager").get_username(),
            "when": when,
        }
    assert locked_by in content
    if language != "en":
        assert "Locked by" not in content and "Lock history" not in content


@pytest.mark.parametrize(
    "language, level, paid_in_quarter",
    [
        ("en", "Earmarked to an outcome", "Paid in the quarter"),
        ("sr-latn", "Namenjeno ishodu", "Uplaćeno u tromesečju"),
        ("sr", "Намењено исходу", "Уплаћено у тромесечју"),
    ],
)
def test_funding_dashboard_labels_and_chart_texts_follow_the_language(
    world, language, level, paid_in_quarter
):
    import json

    f.PledgeFactory(programme=world.programme, donor=world.donor_org)
    client = in_language(world.client_for("manager"), language)
    content = client.get(reverse("funding:dashboard")).content.decode()
    assert f"<strong>{level}</strong>" in content
    chart = re.search(
        r'<script id="funding-chart-data" type="application/json">(.*?)</script>', content, re.S
    )
    assert json.loads(chart.group(1))["text"]["paid_quarter"] == paid_in_quarter


@pytest.mark.parametrize(
    "language, app, model, column",
    [
        ("en", "Results framework and National Action Plan", "Outcomes", "Lead agency"),
        ("sr-latn", "Okvir rezultata i Nacionalni akcioni plan", "Ishodi", "Vodeća agencija"),
        ("sr", "Оквир резултата и Национални акциони план", "Исходи", "Водећа агенција"),
    ],
)
def test_admin_names_models_and_columns_in_the_language(
    admin_client, world, language, app, model, column
):
    f.OutcomeFactory(programme=world.programme, code="1", title="Awareness raised")
    client = in_language(admin_client, language)
    index = client.get(reverse("admin:app_list", args=["outcomes"])).content.decode()
    assert app in index and f">{model}</a>" in index
    change_list = client.get(reverse("admin:outcomes_outcome_changelist")).content.decode()
    assert f">{column}</a>" in change_list


def test_reminder_e_mail_in_the_installation_language(outcome_world, mailoutbox, settings):
    settings.LANGUAGE_CODE = "sr-latn"
    outcome_world.indicator.title_sr = "Pokrenuti postupci"
    outcome_world.indicator.save()
    period = outcome_world.periods[1]
    period.due_date = dt.date(2011, 1, 31)
    period.save()
    from django.core.management import call_command

    call_command("send_reminders", "--today", "2011-01-21", stdout=__import__("io").StringIO())
    mail = next(m for m in mailoutbox if m.to == ["unodc@example.org"])
    assert mail.subject.startswith("Rezultati za izveštavanje: ")
    assert "1 – rok za 14 dana (2010 H2)" in mail.subject
    assert mail.body.startswith("Poštovani/a ")
    assert "Rok za 14 dana: 2010 H2, rok 31. januar 2011." in mail.body
    assert "2.1.a Pokrenuti postupci (nedostaje)" in mail.body
    assert "Ovaj podsetnik dobijate jednom za svaki period i rok" in mail.body
    assert "Dear" not in mail.body and "due" not in mail.body


@pytest.mark.parametrize(
    "language, headers",
    [
        ("en", "Outcome,Indicator,Indicator title,Unit,Sensitive,Period,Period locked"),
        (
            "sr-latn",
            "Ishod,Pokazatelj,Naziv pokazatelja,Jedinica,Osetljivo,Period,Period zaključan",
        ),
        ("sr", "Исход,Показатељ,Назив показатеља,Јединица,Осетљиво,Период,Период закључан"),
    ],
)
def test_results_export_headers_and_cells_follow_the_language(outcome_world, language, headers):
    f.ResultFactory(
        indicator=outcome_world.indicator,
        period=outcome_world.periods[0],
        value=Decimal("12"),
        status="approved",
    )
    client = in_language(outcome_world.client_for("manager"), language)
    lines = client.get(reverse("outcomes:results_csv")).content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith(headers)
    total = {"en": "Total", "sr-latn": "Ukupno", "sr": "Укупно"}[language]
    no = {"en": "no", "sr-latn": "ne", "sr": "не"}[language]
    assert f",{no},2010 H1,{no},{total}," in lines[1]


@pytest.mark.parametrize(
    "language, day, moment",
    [
        ("en", "30 Nov 2026", "30 Nov 2026 14:05"),
        ("sr-latn", "30. novembar 2026.", "30. novembar 2026. 14:05"),
        ("sr", "30. новембар 2026.", "30. новембар 2026. 14:05"),
    ],
)
def test_dates_are_written_in_the_language_s_format(language, day, moment):
    from django.utils.formats import date_format

    with translation.override(language):
        assert date_format(dt.date(2026, 11, 30), "DATE_FORMAT") == day
        assert date_format(dt.datetime(2026, 11, 30, 14, 5), "DATETIME_FORMAT") == moment


def test_no_page_template_writes_a_fixed_date_format():
    """Pages use the language's formats (DATE_FORMAT, DATETIME_FORMAT), not a fixed
    English pattern such as "j M Y"."""
    fixed = re.compile(r"""\|date:["'](?![A-Z_]+["'])[^"']*[jdDmMFnNbY][^"']*["']""")
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in fixed.finditer(path.read_text(encoding="utf-8"))
        if match.group(0) not in ('|date:"Y"',)
    ]
    assert offenders == []


def test_model_and_field_names_are_translated():
    from outcomes.models import Indicator, Outcome

    with translation.override("sr-latn"):
        assert str(Outcome._meta.verbose_name_plural) == "ishodi"
        assert str(Indicator._meta.get_field("means_of_verification").verbose_name) == (
            "izvor provere"
        )
    with translation.override("en"):
        assert str(Outcome._meta.get_field("lead_agency").verbose_name) == "lead agency"


def test_programme_name_and_country_in_the_language_and_script(world):
    programme = world.programme
    programme.short_title_en, programme.short_title_sr = "Serbia JP", "ZP Srbija"
    programme.country_en, programme.country_sr = "Serbia", "Srbija"
    programme.save()
    client = world.client_for("manager")
    english = in_language(client, "en").get(reverse("dashboard")).content.decode()
    assert "Serbia JP" in english and ">Serbia" in english
    cyrillic = in_language(client, "sr").get(reverse("dashboard")).content.decode()
    assert "ЗП Србија" in cyrillic and ">Србија" in cyrillic


@pytest.mark.parametrize(
    "language, one_month, two_months",
    [
        ("en", "1–5 Dec 2008", "30 Nov – 2 Dec 2008"),
        ("sr-latn", "1–5. decembar 2008.", "30. novembar – 2. decembar 2008."),
        ("sr", "1–5. децембар 2008.", "30. новембар – 2. децембар 2008."),
    ],
)
def test_meeting_dates_read_as_the_language_writes_them(language, one_month, two_months):
    from meetings.models import Meeting
    from meetings.templatetags.meetings_tags import meeting_when

    with translation.override(language):
        assert (
            meeting_when(Meeting(start_date=dt.date(2008, 12, 1), end_date=dt.date(2008, 12, 5)))
            == one_month
        )
        assert (
            meeting_when(Meeting(start_date=dt.date(2008, 11, 30), end_date=dt.date(2008, 12, 2)))
            == two_months
        )


def test_reporting_status_shows_titles_in_the_language_and_script(outcome_world):
    outcome, indicator = outcome_world.outcome, outcome_world.indicator
    outcome.title_sr, indicator.title_sr = (
        "Trgovci ljudima su krivično gonjeni",
        "Pokrenuti postupci",
    )
    outcome.save()
    indicator.save()
    client = in_language(outcome_world.client_for("manager"), "sr")
    content = client.get(reverse("outcomes:reporting_status")).content.decode()
    assert "Трговци људима су кривично гоњени" in content and "Покренути поступци" in content
    assert "Traffickers are prosecuted" not in content and "Pokrenuti" not in content


def test_funding_rows_and_filter_choices_show_serbian_in_the_script_of_the_page(bilingual, world):
    translated, _ = bilingual
    translated.pillar.name_sr = "Prevencija"
    translated.pillar.save()
    f.OutcomeBudgetFactory(outcome=translated, amount=Decimal("1000"))
    client = in_language(world.client_for("manager"), "sr")
    funding = client.get(reverse("funding:dashboard")).content.decode()
    assert "1 Подигнута свест о трговини људима" in funding and "Podignuta" not in funding
    outcomes = client.get(reverse("outcomes:list")).content.decode()
    assert f'<option value="{translated.pillar.pk}">Превенција</option>' in outcomes
