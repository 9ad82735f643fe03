"""Two app servers behind each other's back: two gunicorn processes on different
ports, one PostgreSQL, one Redis — what nginx's upstream does when it sends one
person's requests to different servers."""

from __future__ import annotations

import json
import os
import re
from datetime import date

import pytest

from jointprogramme.caching import KEY_PREFIX

from . import support

pytestmark = pytest.mark.deploy

NEW_PLEDGE = 7_654_321


@pytest.fixture(scope="module")
def cache_prefix(redis_server):
    prefix = f"jp-test-{os.getpid()}"
    yield prefix
    import redis

    client = redis.Redis.from_url(support.REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(scope="module")
def servers(server_environment, cache_prefix, tmp_path_factory):
    env = dict(
        server_environment, REDIS_URL=support.REDIS_URL, DJANGO_CACHE_KEY_PREFIX=cache_prefix
    )
    logs = tmp_path_factory.mktemp("logs")
    first = support.AppServer(env, logs / "a.log")
    second = support.AppServer(env, logs / "b.log")
    try:
        first.start()
        second.start()
        yield first, second
    finally:
        first.stop()
        second.stop()


def funding_keys(prefix: str) -> set[bytes]:
    import redis

    client = redis.Redis.from_url(support.REDIS_URL)
    return set(client.scan_iter(f"{prefix}:*{KEY_PREFIX}*"))


def request_lines(server: support.AppServer) -> list[dict]:
    lines = []
    for line in server.log().splitlines():
        if '"jointprogramme.request"' in line:
            lines.append(json.loads(line))
    return lines


def test_sign_in_on_one_server_and_continue_on_the_other(servers):
    first, second = servers
    browser = support.Browser()
    browser.sign_in(first.url, "manager")

    page = browser.get(f"{second.url}/")

    assert page.status_code == 200
    assert "Serbia" in page.text
    assert 'action="/accounts/logout/"' in page.text or "logout" in page.text
    # The second server logged the request with the user's id and no query string.
    line = next(entry for entry in request_lines(second) if entry["path"] == "/")
    assert line["status"] == 200 and isinstance(line["user_id"], int)
    assert "manager" not in json.dumps(request_lines(second))


def test_sign_out_on_one_server_ends_the_session_on_the_other(servers):
    first, second = servers
    browser = support.Browser()
    browser.sign_in(second.url, "donor")
    assert browser.get(f"{first.url}/").status_code == 200

    signed_out = browser.post_form(f"{second.url}/", {}, action_contains="logout")

    assert signed_out.status_code == 302
    after = browser.get(f"{first.url}/")
    assert after.status_code == 302 and "/accounts/login/" in after.headers["location"]


def test_edit_through_one_server_is_seen_through_the_other_and_refreshes_the_cache(
    servers, cache_prefix
):
    first, second = servers
    browser = support.Browser()
    browser.sign_in(first.url, "manager")

    # The dashboard's funding figures are computed once and shared through Redis.
    before = browser.get(f"{second.url}/")
    assert before.status_code == 200
    pledged_before = support.figure(before.text, "pledged")
    keys_before = funding_keys(cache_prefix)
    assert keys_before, "the dashboard's funding figures are not in Redis"
    again = browser.get(f"{first.url}/")
    assert support.figure(again.text, "pledged") == pledged_before
    assert funding_keys(cache_prefix) == keys_before  # served from the shared entry

    # A pledge recorded through the first server …
    created = browser.post_form(
        f"{first.url}/funding/pledges/new/",
        {
            "amount": str(NEW_PLEDGE),
            "pledged_on": date(2010, 6, 1).isoformat(),
            "status": "committed",
            "reference": "deploy-test-two-servers",
        },
    )
    assert created.status_code == 302, support.form_errors(created.text)
    pledge_path = created.headers["location"]
    assert re.match(r"^/funding/pledges/\d+/$", pledge_path), pledge_path

    # … is seen through the second, on its own page and in the dashboard's figure,
    # which is recomputed under a new key rather than served stale.
    pledge_page = browser.get(f"{second.url}{pledge_path}")
    assert pledge_page.status_code == 200
    assert "deploy-test-two-servers" in pledge_page.text
    after = browser.get(f"{second.url}/")
    assert support.figure(after.text, "pledged") == pledged_before + NEW_PLEDGE
    assert funding_keys(cache_prefix) - keys_before, "no new cache entry after the change"
    assert support.figure(browser.get(f"{first.url}/").text, "pledged") == (
        pledged_before + NEW_PLEDGE
    )
