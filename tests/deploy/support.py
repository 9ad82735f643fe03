"""Running the application as it is deployed: gunicorn processes with the settings of
deploy/, against PostgreSQL and Redis on this machine, driven over HTTP.

Only loopback addresses are used. Every process started here is stopped by its pid.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import httpx
from django.conf import settings

logging.getLogger("httpx").setLevel(logging.WARNING)

BASE_DIR = Path(settings.BASE_DIR)
POSTGRES_URL = os.environ.get("JP_DEPLOY_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("JP_DEPLOY_REDIS", "redis://127.0.0.1:6379/0")
SECRET_KEY = "deploy-test-secret-" + "Jq3vX8pLw2" * 5
# The demo's published accounts (load_demo): test data only.
DEMO_PASSWORD = "demo12345"


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers."""
    import psycopg2

    try:
        psycopg2.connect(f"{POSTGRES_URL}/postgres", connect_timeout=3).close()
    except Exception as error:  # noqa: BLE001 - any failure means "not here"
        return f"PostgreSQL at {POSTGRES_URL} is unreachable ({str(error).strip()[:120]})"
    return None


def redis_problem() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as error:  # noqa: BLE001
        return f"Redis at {REDIS_URL} is unreachable ({error})"
    return None


def postgres_admin(sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{POSTGRES_URL}/postgres", connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def create_database(name: str) -> str:
    assert re.fullmatch(r"jp_deploy_\w+", name), name
    postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    postgres_admin(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES_URL}/{name}"


def drop_database(name: str) -> None:
    assert re.fullmatch(r"jp_deploy_\w+", name), name
    postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def base_environment(**overrides) -> dict[str, str]:
    """This process's environment without any of the application's own settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "GUNICORN_"))
    }
    env.update(PYTHONUNBUFFERED="1", DJANGO_SETTINGS_MODULE="jointprogramme.settings")
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def production_environment(**overrides) -> dict[str, str]:
    """What /etc/jointprogramme/env holds on a server behind nginx (deploy/README.md)."""
    return base_environment(
        DJANGO_PRODUCTION="true",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_PROXY_SSL_HEADER="true",
        DJANGO_LOG_FORMAT="json",
        **overrides,
    )


def manage(env: dict[str, str], *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class AppServer:
    """One gunicorn master (deploy/gunicorn.conf.py) on its own loopback port."""

    env: dict[str, str]
    log_path: Path
    workers: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> AppServer:
        env = dict(
            self.env,
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS=str(self.workers),
            GUNICORN_PROC_NAME=f"jp-test-{self.port}",
        )
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-c",
                "deploy/gunicorn.conf.py",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn on {self.port} not healthy:\n{self.log()[-3000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if getattr(self, "_log", None):
            self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class FormFields(HTMLParser):
    """Every POST form on a page: its action and the values a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._fields = {}
            self.forms.append((attrs.get("action") or "", self._fields))
            return
        fields = self._fields
        if fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    fields[name] = attrs.get("value", "on")
            elif kind not in {"submit", "button", "file"}:
                fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None and value:
                self._select_first = value
            if "selected" in attrs:
                fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_data(self, data):
        if self._textarea and self._fields is not None:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select" and self._select and self._fields is not None:
            # Like a person filling the form: an empty choice ("---------") becomes
            # the first real one.
            if not self._fields.get(self._select):
                self._fields[self._select] = self._select_first or ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str, action_contains: str = "", with_field: str = "") -> tuple[str, dict]:
    """The action and fields of the first POST form whose action contains
    ``action_contains`` and that has a field named ``with_field``."""
    parser = FormFields()
    parser.feed(html)
    for action, fields in parser.forms:
        if action_contains in action and (not with_field or with_field in fields):
            return action, fields
    raise AssertionError(f"no form posting to *{action_contains}* with field {with_field!r}")


class Browser:
    """A signed-in visitor behind the TLS proxy: sends what nginx would add
    (X-Forwarded-Proto, X-Real-IP) and keeps its cookies itself, because the
    production cookies are Secure and this client talks plain HTTP to gunicorn."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.client = httpx.Client(timeout=30, follow_redirects=False)

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        origin = re.match(r"https?://[^/]+", url).group(0).replace("http://", "https://")
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Real-IP": "127.0.0.1",
            "Referer": origin + "/",
            **kwargs.pop("headers", {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.client.request(method, url, headers=headers, **kwargs)
        for name, value in response.cookies.items():
            self.cookies[name] = value
        return response

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post_form(self, url: str, changes: dict[str, str], action_contains: str = ""):
        """GET the page, fill its form with the defaults plus ``changes``, POST it.

        The form is the first one whose action contains ``action_contains`` and that
        has the first field of ``changes`` (the sign-out button's form has none)."""
        page = self.get(url)
        assert page.status_code == 200, (url, page.status_code)
        with_field = next(iter(changes), "")
        action, fields = form_fields(page.text, action_contains, with_field)
        return self.request("POST", urljoin(url, action), data={**fields, **changes})

    def sign_in(self, server_url: str, username: str, password: str = DEMO_PASSWORD):
        response = self.post_form(
            f"{server_url}/accounts/login/", {"username": username, "password": password}
        )
        assert response.status_code == 302, response.text[:2000]
        assert "sessionid" in self.cookies
        return response

    def close(self):
        self.client.close()


def figure(html: str, testid: str) -> int:
    """The whole-number amount shown in the element with that data-testid."""
    match = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html)
    assert match, f"no {testid} on the page"
    digits = re.sub(r"[^\d.]", "", match.group(1)).split(".")[0]
    return int(digits or 0)


def form_errors(html: str) -> list[str]:
    """The error messages a form page shows (for assertion messages)."""
    found = re.findall(r"(?:invalid-feedback|errorlist|alert-danger)[^>]*>(.*?)</", html, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in found]
