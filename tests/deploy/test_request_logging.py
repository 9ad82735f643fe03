"""Structured logs: one line per request with user, path, status and time; errors
with their traceback and without personal data."""

import json
import logging
import sys

import pytest
from django.test import Client

from jointprogramme.logging import StructuredFormatter

PERSON = {"name": "Jelena Petrović", "email": "jelena.petrovic@example.rs"}


def lines(caplog, output="json") -> list[str]:
    formatter = StructuredFormatter(output)
    return [formatter.format(record) for record in caplog.records]


def request_entries(caplog) -> list[dict]:
    return [
        json.loads(line)
        for line in lines(caplog)
        if json.loads(line)["logger"] == "jointprogramme.request"
    ]


def test_one_line_per_request_with_path_status_and_duration(client, db, caplog):
    caplog.set_level(logging.INFO)
    client.get("/healthz")
    (entry,) = request_entries(caplog)
    assert entry["method"] == "GET"
    assert entry["path"] == "/healthz"
    assert entry["status"] == 200
    assert entry["duration_ms"] >= 0
    assert "user_id" not in entry  # nobody signed in


def test_the_line_names_the_user_by_id_and_leaves_out_the_query_string(world, caplog):
    caplog.set_level(logging.INFO)
    world.client_for("manager").get("/", {"q": PERSON["name"]})
    (entry,) = request_entries(caplog)
    assert entry["user_id"] == world.users["manager"].pk
    assert entry["path"] == "/"
    output = "\n".join(lines(caplog))
    assert PERSON["name"] not in output
    assert "manager" not in output


def test_the_request_log_costs_no_query_on_pages_that_do_not_read_the_user(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(1):  # the health check's own SELECT 1
        client.get("/healthz")


@pytest.mark.urls("tests.deploy.failing_urls")
@pytest.mark.parametrize("output", ["json", "text"])
def test_errors_reach_the_log_with_traceback_and_no_personal_data(db, caplog, output):
    caplog.set_level(logging.INFO)
    client = Client(raise_request_exception=False)

    response = client.post("/boom/", PERSON)

    assert response.status_code == 500
    text = "\n".join(lines(caplog, output))
    assert "Internal Server Error: /boom/" in text
    assert "Traceback (most recent call last)" in text
    assert "ValueError: Could not notify [email] about the roundtable" in text
    assert "failing_view" in text
    assert PERSON["email"] not in text
    assert PERSON["name"] not in text
    assert "Petrovi" not in text


def test_database_errors_lose_the_values_postgresql_quotes():
    formatter = StructuredFormatter("json")
    try:
        raise RuntimeError(
            'duplicate key value violates unique constraint "contact_email"\n'
            "DETAIL:  Key (email)=(jelena.petrovic@example.rs) already exists.\n"
            "Failing row contains (12, Jelena Petrović, Adviser)."
        )
    except RuntimeError:
        record = logging.getLogger("test").makeRecord(
            "test", logging.ERROR, __file__, 1, "Save failed", (), exc_info=sys.exc_info()
        )
    entry = json.loads(formatter.format(record))
    assert "Key (email)=[value]" in entry["traceback"]
    assert "Failing row contains [values]" in entry["traceback"]
    assert "Jelena" not in entry["traceback"]
    assert "example.rs" not in entry["traceback"]


def test_the_configured_console_handler_writes_structured_lines():
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(handler.formatter, StructuredFormatter)


@pytest.mark.urls("tests.deploy.failing_urls")
def test_an_unreachable_database_is_a_503_to_retry_and_an_error_in_the_log(db, caplog):
    caplog.set_level(logging.INFO)
    response = Client(raise_request_exception=False).get("/database-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "try again" in response.content.decode()
    text = "\n".join(lines(caplog, "text"))
    assert "Database unavailable: /database-down/" in text
    assert "OperationalError: connection to server" in text
