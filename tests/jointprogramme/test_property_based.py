"""Property-based tests (hypothesis): whatever arrives, no 500 and no partial write.

- The import widgets read any cell a CSV or XLSX file can hold (text of any
  script, NUL, huge numbers, NaN, dates, times, booleans) and either return a value
  or raise ``ValueError``, which becomes a plain row error; nothing else escapes.
- An uploaded file of any bytes is either accepted as UTF-8/XLSX or refused with a
  ``ValidationError``.
- An import of rows built from valid rows with some cells replaced by anything
  never raises, reports every problem as a plain row or file error (never an
  unexpected exception), and writes all rows or none.
- Every form page, posted any values for its fields by a user allowed to post it,
  and every list page, asked with any query, answers below 500 and echoes no markup.

Examples are few (``max_examples``) so the suite stays quick; in CI
(``CI`` set) the examples are derandomised so a run is repeatable.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from decimal import Decimal
from html.parser import HTMLParser

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from funding.models import ExchangeRate, Pledge
from funding.resources import ExchangeRateResource, PledgeResource
from outcomes.models import Alignment, Outcome
from outcomes.resources import AlignmentResource, OutcomeResource
from stakeholders.models import Contact, Organisation
from stakeholders.resources import (
    ChoicesWidget,
    ContactResource,
    IsoDateTimeWidget,
    IsoDateWidget,
    OrganisationResource,
    PlainDecimalWidget,
    PlainIntegerWidget,
    StrictBooleanWidget,
    TextWidget,
    cell_text,
    import_errors,
)
from stakeholders.uploads import checked_upload
from tests import factories as f
from tests.jointprogramme.test_site_access import HERE, ROUTES, build_programme_objects, url_names

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FEW = settings(SETTINGS, max_examples=15)
PAGES = settings(SETTINGS, max_examples=8)  # each example is a request or two

MARKUP = "<q777>"  # never to come back unescaped
TRICKY_TEXT = [
    MARKUP,
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x0b",
    "NaN",
    "-NaN",
    "sNaN",
    "Infinity",
    "-inf",
    "1e999999",
    "-0",
    "9" * 40,
    "1_000",
    "0x10",
    "1,5",
    "١٢٣",  # Arabic-Indic digits
    "１２３",  # full-width digits
    "2009-02-30",
    "0000-00-00",
    "0001-01-01",
    "0001-01-01 00:00",
    "9999-12-31 23:59:59",
    "9999-12-31T23:59:59-12:00",
    "2009-03-25T25:00",
    "yes",
    "Y",
    "<script>alert(1)</script>",
    "=1+1",
    "'=1+1",
    "'",
    "../../etc/passwd",
    "\ufeffname",
    "Ђорђе Đorđe שלום 🙂",
    "x" * 5000,
]

text_values = st.one_of(
    st.sampled_from(TRICKY_TEXT),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
)
cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.times(),
    text_values,
)

WIDGETS = [
    TextWidget(),
    PlainDecimalWidget(),
    PlainIntegerWidget(),
    IsoDateWidget(),
    IsoDateTimeWidget(),
    StrictBooleanWidget(),
    ChoicesWidget(choices=Organisation.Kind.choices),
]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
@SETTINGS
@given(value=cell_values)
@example(value="0001-01-01 00:00")  # local time before year 1 in UTC
@example(value="9999-12-31T23:59-12:00")
@example(value="1e999999999")  # a billion digits if anything expanded it
@example(value=Decimal("sNaN"))
@example(value=float("inf"))
def test_import_widgets_read_any_cell_or_say_why(widget, value):
    try:
        result = widget.clean(value, row={})
    except ValueError as error:
        assert str(error), "a row error needs words"
        return
    if isinstance(result, dt.datetime):
        result.astimezone(dt.UTC)  # storable
    if isinstance(result, Decimal):
        assert result.is_finite() and result.adjusted() < 30


@SETTINGS
@given(value=cell_values)
def test_cell_text_is_text_or_a_plain_error(value):
    try:
        text = cell_text(value)
    except ValueError:
        assert "\x00" in str(value)
    else:
        assert isinstance(text, str) and "\x00" not in text


@SETTINGS
@given(
    content=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=500).map(lambda t: t.encode("utf-8")),
        st.text(max_size=200).map(lambda t: t.encode("utf-16")),
        st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
    ),
    kind=st.sampled_from(["csv", "xlsx"]),
    name=st.sampled_from(["data.csv", "data.xlsx", "DATA.CSV", "data.txt", "", "x.csv.exe"]),
)
def test_any_uploaded_bytes_are_accepted_or_refused_in_words(content, kind, name):
    upload = SimpleUploadedFile(name or "noname", content)
    try:
        checked = checked_upload(upload, kind=kind)
    except ValidationError as error:
        assert error.messages and all(error.messages)
    else:
        if kind == "csv":
            checked.decode("utf-8")  # what the import reads is UTF-8


@pytest.fixture
def staff_client(world):
    manager = world.users["manager"]
    manager.is_staff = True
    manager.save()
    client = world.client_for("manager")
    client.raise_request_exception = False
    return client


def csv_text(rows: list[list[str]], quoted: bool) -> str:
    if quoted:
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return out.getvalue()
    return "".join(",".join(row) + "\n" for row in rows)  # quotes and commas as they come


@FEW
@given(
    headers=st.lists(
        st.sampled_from(["name", "kind", "acronym", "country", "description", "x", ""]),
        min_size=1,
        max_size=4,
    ),
    cells=st.lists(st.lists(text_values, min_size=4, max_size=4), max_size=4),
    quoted=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_csv_through_the_admin_upload_answers_below_500(
    staff_client, headers, cells, quoted, encoding
):
    rows = [headers, *(row[: len(headers)] for row in cells)]
    content = csv_text(rows, quoted).encode(encoding, errors="surrogatepass")
    with transaction.atomic():
        before = Organisation.objects.count()
        response = staff_client.post(
            reverse("admin:stakeholders_organisation_import"),
            {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("o.csv", content)},
        )
        after = Organisation.objects.count()
        transaction.set_rollback(True)
    assert response.status_code == 200, response.status_code
    assert after == before  # the upload is a preview
    assert MARKUP.encode() not in response.content


# Whole imports


@pytest.fixture
def import_world(world):
    pillar = f.PillarFactory(programme=world.programme, code="prevention")
    outcome = f.OutcomeFactory(
        programme=world.programme, pillar=pillar, code="1", lead_agency=world.agencies["unodc"]
    )
    plan = f.NationalActionPlanFactory(programme=world.programme, version="1")
    f.NapObjectiveFactory(plan=plan, code="1.1")
    return {"programme": world.programme.title, "outcome": outcome}


def valid_rows(world_data) -> dict:
    """A valid row for each resource: hypothesis spoils some of its cells."""
    programme = world_data["programme"]
    return {
        OrganisationResource: {"name": "Ministry of Justice", "kind": "ministry"},
        ContactResource: {
            "organisation": "UNODC",
            "name": "Jovana Jovanović",
            "position": "Adviser",
            "email": "jovana@example.org",
        },
        OutcomeResource: {
            "programme": programme,
            "code": "2",
            "title": "Victims identified",
            "pillar": "prevention",
            "lead_agency": "IOM",
            "participating_agencies": "UNHCR; UNODC",
            "status": "planned",
            "order": "2",
        },
        PledgeResource: {
            "programme": programme,
            "donor": "Embassy of Norway",
            "amount": "50000.00",
            "currency": "EUR",
            "pledged_on": "2009-03-25",
            "status": "pledged",
            "earmark_outcome": "1",
        },
        ExchangeRateResource: {
            "base_currency": "EUR",
            "quote_currency": "USD",
            "rate_date": "2009-01-02",
            "rate": "1.3917",
        },
        AlignmentResource: {
            "programme": programme,
            "outcome": "1",
            "plan_version": "1",
            "objective": "1.1",
            "degree": "full",
            "rationale": "Serves it.",
            "review_status": "confirmed",
            "reviewed_by": "coordinator",
            "reviewed_at": "2009-04-01 10:00",
        },
    }


MODELS = {
    OrganisationResource: Organisation,
    ContactResource: Contact,
    OutcomeResource: Outcome,
    PledgeResource: Pledge,
    ExchangeRateResource: ExchangeRate,
    AlignmentResource: Alignment,
}


@pytest.mark.parametrize("resource_class", list(MODELS), ids=lambda r: r.__name__)
@FEW
@given(data=st.data())
def test_any_import_is_all_or_nothing_with_plain_errors(import_world, resource_class, data):
    base = valid_rows(import_world)[resource_class]
    columns = list(base)
    spoilt = data.draw(st.lists(st.sampled_from(columns), unique=True, max_size=len(columns)))
    rows = []
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        row = dict(base)
        for column in spoilt:
            row[column] = data.draw(cell_values)
        rows.append(row)
    dataset = tablib.Dataset(headers=columns)
    for row in rows:
        dataset.append([row[c] for c in columns])
    model = MODELS[resource_class]
    with transaction.atomic():
        before = model.objects.count()
        result = resource_class().import_data(dataset, dry_run=False, user=None)
        after = model.objects.count()
        transaction.set_rollback(True)
    problems = import_errors(result)
    unexpected = [e.error for row in result.error_rows for e in row.errors]
    assert unexpected == [], f"unexpected exceptions, not plain errors: {unexpected!r}"
    if result.has_errors() or result.has_validation_errors():
        assert problems and all(problems)
        assert after == before, "a refused file wrote rows"
    else:
        assert after == before + len(rows)


# Pages with forms


class FormDefaults(HTMLParser):
    """What a browser would post from a page's form to ``action``: every field with
    the value the page filled in (inputs, checked boxes, selected options, text
    areas). Hypothesis then spoils some of them, so posts get past the first check."""

    TEXT_INPUTS = {"", "text", "hidden", "number", "date", "email", "url", "search", "tel"}

    def __init__(self, action: str):
        super().__init__()
        self.action, self.in_form, self.fields = action, False, {}
        self._select = self._textarea = None
        self._first_option = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.in_form = (a.get("method") or "").lower() == "post" and (
                a.get("action") in (None, "", self.action)
            )
            return
        if not self.in_form or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            if tag == "option" and self._select:
                self._option(a)
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "").lower()
            if kind in self.TEXT_INPUTS:
                self.fields.setdefault(name, []).append(a.get("value") or "")
            elif kind in {"checkbox", "radio"} and "checked" in a:
                self.fields.setdefault(name, []).append(a.get("value") or "on")
        elif tag == "textarea":
            self._textarea = name
            self.fields.setdefault(name, []).append("")
        elif tag == "select":
            self._select = name

    def _option(self, a):
        self._first_option.setdefault(self._select, a.get("value") or "")
        if "selected" in a:
            self.fields.setdefault(self._select, []).append(a.get("value") or "")

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            if self._select not in self.fields and self._select in self._first_option:
                self.fields[self._select] = [self._first_option[self._select]]
            self._select = None


def form_defaults(html: str, action: str) -> dict[str, list[str]]:
    parser = FormDefaults(action)
    parser.feed(html)
    return parser.fields


def post_routes():
    return sorted(name for name, route in ROUTES.items() if route.post and name != "logout")


@pytest.fixture
def site_objects(world):
    return build_programme_objects(
        world.programme, mark=HERE, agencies=world.agencies, donor=world.donor_org
    )


def poster(route) -> str:
    for actor in ("manager", "unodc", "coordinator", "donor"):
        if actor in route.post:
            return actor
    return sorted(route.post - {None, "outsider"}, key=str)[0]


form_values = st.one_of(
    text_values,
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(dt.date.isoformat),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["on", "true", "1", "0", "-1", "99999999999999999999", "1.5"]),
)


@pytest.mark.parametrize("name", post_routes())
@PAGES
@given(data=st.data())
def test_any_form_post_answers_below_500(world, site_objects, name, data):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(site_objects))
    client = world.client_for(poster(route))
    client.raise_request_exception = False
    forms = site_objects.setdefault("_forms", {})  # read once per page and test
    if name not in forms:
        page = client.get(url)
        forms[name] = form_defaults(page.content.decode(), url) if page.status_code == 200 else {}
    base = {
        **{k: [str(v)] for k, v in route.post_data(site_objects).items()},
        **forms[name],
    }
    fields = sorted(base) or ["x"]
    chosen = data.draw(st.lists(st.sampled_from(fields), unique=True, min_size=0))
    payload = {**base, **{field: [data.draw(form_values)] for field in chosen}}
    if data.draw(st.booleans()) and chosen:
        payload[chosen[0]] = [MARKUP + payload[chosen[0]][0]]
    with transaction.atomic():
        response = client.post(url, payload)
        transaction.set_rollback(True)
    assert response.status_code < 500, f"POST {url} {payload!r}: {response.status_code}"
    assert MARKUP.encode() not in response.content


def list_routes():
    paths = url_names()
    return sorted(
        name
        for name, route in ROUTES.items()
        if route.get and "manager" in route.get and "<" not in paths[name]
    )


@pytest.mark.parametrize("name", list_routes())
@PAGES
@given(
    query=st.dictionaries(
        st.sampled_from(
            ["q", "page", "pillar", "agency", "status", "period", "kind", "year", "sort", "all"]
        ),
        form_values,
        max_size=4,
    )
)
def test_any_query_on_a_list_page_answers_below_500(world, site_objects, name, query):
    client = world.client_for("manager")
    client.raise_request_exception = False
    url = reverse(name)
    response = client.get(url, {k: MARKUP + v for k, v in query.items()})
    assert response.status_code < 500, f"GET {url} {query!r}: {response.status_code}"
    assert MARKUP.encode() not in response.content


def test_decimal_widget_keeps_the_figure_exactly():
    assert PlainDecimalWidget().clean("1250.50") == Decimal("1250.50")
    assert PlainDecimalWidget().clean(0.1) == Decimal("0.1")


# "sNaN" in a decimal field: Django compares it with the saved value (has_changed)
# before validating it, and Decimal comparison with a signalling NaN raises.

NOT_NUMBERS = ["sNaN", "-sNaN", "NaN", "Infinity"]


def spoil_decimals(fields: dict[str, list[str]], suffixes: tuple[str, ...], value: str) -> dict:
    return {k: [value] if k.endswith(suffixes) else v for k, v in fields.items()}


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser("root", "root@example.org", "demo12345")
    client = Client()
    client.force_login(user)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_not_a_number_in_the_admins_decimal_fields_and_inlines_is_a_form_error(
    world, superuser, value
):
    pledge = f.PledgeFactory(programme=world.programme, donor=world.donor_org)
    f.PaymentFactory(pledge=pledge)
    outcome = f.OutcomeFactory(programme=world.programme)
    f.OutcomeBudgetFactory(outcome=outcome)
    f.IndicatorFactory(outcome=outcome)
    for url in [
        reverse("admin:funding_pledge_change", args=[pledge.pk]),
        reverse("admin:outcomes_outcome_change", args=[outcome.pk]),
        reverse("admin:funding_exchangerate_add"),
    ]:
        fields = form_defaults(superuser.get(url).content.decode(), "")
        data = spoil_decimals(fields, ("amount", "target", "baseline", "rate"), value)
        response = superuser.post(url, data)
        assert response.status_code == 200, f"POST {url}: {response.status_code}"
        assert "Enter a number." in response.content.decode(), url
    pledge.refresh_from_db()
    assert pledge.amount == Decimal("50000.00")


def test_not_a_number_in_the_outcome_editor_is_a_form_error(world, site_objects):
    outcome = site_objects["outcome"]
    url = reverse("outcomes:edit", args=[outcome.pk])
    client = world.client_for("manager")
    client.raise_request_exception = False
    fields = form_defaults(client.get(url).content.decode(), url)
    response = client.post(url, spoil_decimals(fields, ("-target",), "sNaN"))
    assert response.status_code == 200
