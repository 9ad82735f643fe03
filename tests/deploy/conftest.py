"""Fixtures for the deployment tests: a PostgreSQL database of their own with the demo
loaded, static files collected as in production, Redis, and gunicorn servers.

Without PostgreSQL or Redis these tests skip and say why; with JP_REQUIRE_SERVICES=1
(set by .ci/run, which starts both) they fail instead.
"""

from __future__ import annotations

import os

import pytest

from . import support


def need(problem: str | None) -> None:
    if problem is None:
        return
    if os.environ.get("JP_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{problem} (JP_REQUIRE_SERVICES=1)")
    pytest.skip(problem)


@pytest.fixture(scope="session")
def postgres():
    need(support.postgres_problem())


@pytest.fixture(scope="session")
def redis_server():
    need(support.redis_problem())


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """``collectstatic`` as the runbook runs it (hashed, compressed names)."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    support.manage(
        support.production_environment(DJANGO_STATIC_ROOT=static_root),
        "collectstatic",
        "--noinput",
        "-v0",
    )
    return static_root


@pytest.fixture(scope="session")
def demo_database(postgres):
    """A PostgreSQL database of these tests' own, migrated, with the demo programme."""
    name = f"jp_deploy_test_{os.getpid()}"
    url = support.create_database(name)
    env = support.base_environment(DATABASE_URL=url)
    support.manage(env, "migrate", "--noinput", "-v0")
    support.manage(env, "load_demo")
    yield url
    support.drop_database(name)


@pytest.fixture(scope="session")
def server_environment(demo_database, collected_static, tmp_path_factory):
    """The environment of an app server in production mode, minus REDIS_URL."""
    return support.production_environment(
        DATABASE_URL=demo_database,
        DJANGO_STATIC_ROOT=collected_static,
        DJANGO_MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    )
