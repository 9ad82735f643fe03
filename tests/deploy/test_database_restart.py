"""PostgreSQL stops and starts again under a running app server, which serves again as soon as the
database is back — without restarting the app: each worker's kept connection
(DJANGO_CONN_MAX_AGE) is health-checked before reuse (CONN_HEALTH_CHECKS) and
replaced when the restart has broken it.

Restarting the machine's PostgreSQL interrupts everyone using it for a few seconds,
so this runs only when asked: JP_DB_RESTART_TEST=1 (set by .ci/run).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from . import support

pytestmark = [
    pytest.mark.deploy,
    pytest.mark.skipif(
        os.environ.get("JP_DB_RESTART_TEST") != "1",
        reason="restarts the machine's PostgreSQL: set JP_DB_RESTART_TEST=1 (CI does)",
    ),
]


def pg_ctlcluster(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
        capture_output=True,
        timeout=120,
    )


def wait_for_postgresql() -> None:
    for _ in range(120):
        if support.postgres_problem() is None:
            return
        time.sleep(0.5)
    raise AssertionError("PostgreSQL did not come back")


def worker_pids(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


@pytest.fixture
def server(server_environment, tmp_path):
    app = support.AppServer(dict(server_environment), tmp_path / "app.log", workers=2)
    app.start()
    yield app
    app.stop()


def test_app_serves_again_after_the_database_restarts_without_restarting_the_app(server):
    browser = support.Browser()
    browser.sign_in(server.url, "manager")
    # Every worker opens its kept connection.
    for _ in range(10):
        assert browser.get(f"{server.url}/").status_code == 200
    workers_before = worker_pids(server.process.pid)

    started = time.monotonic()
    try:
        pg_ctlcluster("stop")
        # While the database is down the health check says so, at once.
        down_health = browser.get(f"{server.url}/healthz").status_code
        down_page = browser.get(f"{server.url}/").status_code
    finally:
        pg_ctlcluster("start")
        wait_for_postgresql()
    seconds = time.monotonic() - started

    statuses = [browser.get(f"{server.url}/").status_code for _ in range(20)]
    health = browser.get(f"{server.url}/healthz").status_code
    print(
        f"\nPostgreSQL down and up again in {seconds:.1f} s; while down: /healthz "
        f"{down_health}, / {down_page}; the 20 pages asked for right after: {statuses}; "
        f"/healthz {health}"
    )
    assert down_health == 503
    assert down_page == 503  # "try again shortly", not an error page
    assert statuses == [200] * 20, server.log()[-4000:]
    assert health == 200
    assert server.process.poll() is None
    assert worker_pids(server.process.pid) == workers_before, "workers were restarted"
