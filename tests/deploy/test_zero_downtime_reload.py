"""An upgrade's `systemctl reload` (gunicorn HUP) under traffic: new workers replace
the old ones and not one request fails."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest

from . import support

pytestmark = pytest.mark.deploy


def worker_pids(master: int) -> set[int]:
    return {int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()}


def test_reload_replaces_every_worker_without_failing_a_request(server_environment, tmp_path):
    server = support.AppServer(dict(server_environment), tmp_path / "app.log", workers=2)
    server.start()
    try:
        browser = support.Browser()
        browser.sign_in(server.url, "coordinator")
        statuses: list[int | str] = []
        stop = threading.Event()

        def keep_asking():
            while not stop.is_set():
                try:
                    statuses.append(browser.get(f"{server.url}/").status_code)
                except Exception as error:  # noqa: BLE001 - a failed request is the finding
                    statuses.append(type(error).__name__)

        before = worker_pids(server.process.pid)
        asking = threading.Thread(target=keep_asking)
        asking.start()
        time.sleep(1.5)
        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            after = worker_pids(server.process.pid)
            if len(after) == 2 and not after & before:
                break
            time.sleep(0.2)
        time.sleep(1.5)  # and a little traffic on the new workers
        stop.set()
        asking.join(timeout=60)
    finally:
        server.stop()

    assert not after & before, "the old workers were not replaced"
    assert len(statuses) > 5
    assert set(statuses) == {200}, statuses
