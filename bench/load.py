"""Load test: signed-in users on every main page, many connections at once.

    .venv/bin/python bench/load.py --serve                 # everything, as in production
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --connections 64 --duration 60

``--serve`` builds what the runbook builds — a PostgreSQL database of its own
(``jp_deploy_bench``, dropped afterwards), migrated, with the demo programme (or
``--scale N`` synthetic programmes), static files collected, gunicorn started with
``deploy/gunicorn.conf.py`` in production mode — then loads it. Without ``--serve``
it loads a server that is already running (loopback addresses only).

Each of ``--connections`` workers is one person: it signs in (the demo accounts, or
the synthetic ``bench_p01_*`` ones with ``--scale``), finds the pages its role may
see (dashboard, results framework, outcomes, funding, pledges, meetings,
stakeholders, alignment where built), then asks for them one after another as fast
as the server answers, until ``--duration`` seconds or ``--max-requests`` in all.

It reports requests, requests per second, answers by status, errors (5xx, failed
connections, timeouts) and latency (p50, p95, p99, max) overall and per page, and
exits 1 if there was any error: zero 5xx is the bar. ``--json FILE`` writes the
same figures. Requests go as from nginx (X-Forwarded-Proto: https), so gunicorn
runs exactly as behind the proxy.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import httpx

BASE_DIR = Path(__file__).resolve().parent.parent
DEMO_USERS = ["manager", "unodc", "unhcr", "iom", "coordinator", "donor"]
DEMO_PASSWORD = "demo12345"  # the demo's published password (load_demo): test data only
SYNTHETIC_USERS = ["manager", "unodc", "unhcr", "iom", "coordinator", "donor"]
SYNTHETIC_PASSWORD = "bench12345"  # generate_synthetic's published password
LIST_PAGES = ["/", "/outcomes/", "/alignment/", "/funding/", "/meetings/", "/stakeholders/"]
DETAIL_LINKS = re.compile(r'href="(/(?:outcomes|meetings|funding/pledges)/\d+/)"')
PAGE_TIMEOUT = 30.0


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def page_group(path: str) -> str:
    """/outcomes/12/ → /outcomes/<id>/, to report per page kind."""
    return re.sub(r"/\d+/", "/<id>/", path)


class Person:
    """One signed-in visitor with its own cookies (the production cookies are Secure,
    so they are sent by hand to gunicorn's plain HTTP, as nginx would)."""

    def __init__(self, client: httpx.AsyncClient, base: str, username: str, password: str):
        self.client, self.base = client, base
        self.username, self.password = username, password
        self.cookies: dict[str, str] = {}
        self.pages: list[str] = []

    async def get(self, path: str, **kwargs) -> httpx.Response:
        return await self.request("GET", path, **kwargs)

    async def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Real-IP": "127.0.0.1",
            "Referer": self.base.replace("http://", "https://") + path,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = await self.client.request(
            method, self.base + path, headers=headers, timeout=PAGE_TIMEOUT, **kwargs
        )
        self.cookies.update(response.cookies.items())
        return response

    async def sign_in(self) -> None:
        page = await self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status_code != 200 or not token:
            raise RuntimeError(f"login page answered {page.status_code}")
        response = await self.request(
            "POST",
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": self.username,
                "password": self.password,
            },
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in ({response.status_code})")

    async def discover(self) -> None:
        """The pages this person may see: list pages and a few of their details."""
        found: list[str] = []
        for path in LIST_PAGES:
            response = await self.get(path)
            if response.status_code != 200:
                continue
            found.append(path)
            details = list(dict.fromkeys(DETAIL_LINKS.findall(response.text)))[:3]
            found += [d for d in details if d not in found]
        self.pages = found


class Results:
    def __init__(self):
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self.failures: Counter = Counter()
        self.requests = 0

    def record(self, path: str, status: int | None, seconds: float, failure: str = ""):
        self.requests += 1
        if status is not None:
            self.statuses[status] += 1
            self.latencies[page_group(path)].append(seconds * 1000)
        if failure:
            self.failures[failure] += 1

    @property
    def errors(self) -> int:
        return sum(n for s, n in self.statuses.items() if s >= 500) + sum(self.failures.values())


async def run_load(args) -> dict:
    users, password = (
        ([f"bench_p01_{u}" for u in SYNTHETIC_USERS], SYNTHETIC_PASSWORD)
        if args.scale
        else (DEMO_USERS, DEMO_PASSWORD)
    )
    limits = httpx.Limits(
        max_connections=args.connections, max_keepalive_connections=args.connections
    )
    results = Results()
    async with httpx.AsyncClient(limits=limits, follow_redirects=False) as client:
        people = [
            Person(client, args.url, users[i % len(users)], password)
            for i in range(args.connections)
        ]
        for person in people:  # one at a time: sign-in is not what is measured
            await person.sign_in()
        pages_by_user: dict[str, list[str]] = {}
        for person in people:
            if person.username not in pages_by_user:
                await person.discover()
                pages_by_user[person.username] = person.pages
            person.pages = pages_by_user[person.username]
        started = time.monotonic()
        deadline = started + args.duration
        budget = {"left": args.max_requests}

        async def visit(person: Person, offset: int):
            index = offset
            while time.monotonic() < deadline and budget["left"] > 0:
                budget["left"] -= 1
                path = person.pages[index % len(person.pages)]
                index += 1
                began = time.monotonic()
                try:
                    response = await person.get(path)
                    results.record(path, response.status_code, time.monotonic() - began)
                except httpx.TimeoutException:
                    results.record(path, None, 0, "timeout")
                except httpx.HTTPError as error:
                    results.record(path, None, 0, type(error).__name__)

        await asyncio.gather(*(visit(p, i) for i, p in enumerate(people)))
        elapsed = time.monotonic() - started
    all_latencies = [ms for values in results.latencies.values() for ms in values]
    return {
        "url": args.url,
        "connections": args.connections,
        "duration_s": round(elapsed, 1),
        "requests": results.requests,
        "requests_per_s": round(results.requests / elapsed, 1) if elapsed else 0,
        "statuses": {str(k): v for k, v in sorted(results.statuses.items())},
        "failures": dict(results.failures),
        "errors": results.errors,
        "latency_ms": summary(all_latencies),
        "pages": {path: summary(values) for path, values in sorted(results.latencies.items())},
        "pages_per_user": pages_by_user,
    }


def summary(values: list[float]) -> dict:
    return {
        "count": len(values),
        "p50": round(percentile(values, 0.50), 1),
        "p95": round(percentile(values, 0.95), 1),
        "p99": round(percentile(values, 0.99), 1),
        "max": round(max(values), 1) if values else 0.0,
    }


def print_report(report: dict) -> None:
    latency = report["latency_ms"]
    print(
        f"\n{report['requests']} requests in {report['duration_s']} s over "
        f"{report['connections']} connections: {report['requests_per_s']} requests/s"
    )
    print(f"answers: {report['statuses']}; failures: {report['failures'] or 'none'}")
    print(
        f"latency ms: p50 {latency['p50']}  p95 {latency['p95']}  p99 {latency['p99']}  "
        f"max {latency['max']}"
    )
    print(f"{'page':32} {'count':>7} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}")
    for path, figures in report["pages"].items():
        print(
            f"{path:32} {figures['count']:>7} {figures['p50']:>8} {figures['p95']:>8} "
            f"{figures['p99']:>8} {figures['max']:>8}"
        )
    verdict = "PASS: no 5xx, no failed request" if not report["errors"] else "FAIL"
    print(f"errors: {report['errors']} — {verdict}")


def require_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        sys.exit(f"Refusing to load {host}: this script only sends traffic to loopback addresses.")


# --serve: the application as deployed, on this machine


def serve(args):
    """Database, static files and gunicorn as in docs/runbook.md; returns a stop function."""
    import psycopg2

    name = "jp_deploy_bench"
    admin = psycopg2.connect(f"{args.postgres}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    work = Path(tempfile.mkdtemp(prefix="jp-bench-"))
    base_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "GUNICORN_"))
    }
    base_env.update(DATABASE_URL=f"{args.postgres}/{name}", DJANGO_LOG_LEVEL="WARNING")
    production = dict(
        base_env,
        DJANGO_PRODUCTION="true",
        DJANGO_SECRET_KEY="bench-only-secret-" + "x9" * 25,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_PROXY_SSL_HEADER="true",
        DJANGO_STATIC_ROOT=str(work / "static"),
        DJANGO_MEDIA_ROOT=str(work / "media"),
        GUNICORN_BIND=f"127.0.0.1:{args.port}",
        GUNICORN_ACCESS_LOG="",  # the application's own line per request is enough
        DJANGO_LOG_LEVEL="INFO",
    )
    if args.workers:
        production["GUNICORN_WORKERS"] = str(args.workers)
    if args.redis:
        production["REDIS_URL"] = args.redis

    def manage(env, *command):
        print("$ manage.py", " ".join(command), flush=True)
        subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True)

    manage(base_env, "migrate", "--noinput", "-v0")
    if args.scale:
        manage(base_env, "generate_synthetic", "--scale", str(args.scale))
    else:
        manage(base_env, "load_demo")
    manage(production, "collectstatic", "--noinput", "-v0")
    log = (work / "gunicorn.log").open("wb")
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "deploy/gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=production,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(120):
        try:
            if httpx.get(f"{args.url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        gunicorn.kill()
        sys.exit(f"gunicorn did not start; see {work / 'gunicorn.log'}")
    print(f"gunicorn (pid {gunicorn.pid}) serving {args.url}; log in {work / 'gunicorn.log'}")

    def stop():
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=40)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
        log.close()
        errors = [
            line
            for line in (work / "gunicorn.log").read_text(errors="replace").splitlines()
            if '"level": "ERROR"' in line or "[CRITICAL]" in line or "WORKER TIMEOUT" in line
        ]
        print(f"\nserver log: {len(errors)} error lines")
        for line in errors[:5]:
            print("  ", line[:300])
        server_times = request_durations(work / "gunicorn.log")
        if server_times:
            print(
                f"time in Django per request (its own log line): "
                f"p50 {percentile(server_times, 0.5):.1f} ms, "
                f"p95 {percentile(server_times, 0.95):.1f} ms over {len(server_times)} requests"
            )
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
            admin = psycopg2.connect(f"{args.postgres}/postgres")
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()

    return stop


def request_durations(log_path: Path) -> list[float]:
    durations = []
    for line in log_path.read_text(errors="replace").splitlines():
        if '"jointprogramme.request"' in line:
            durations.append(json.loads(line)["duration_ms"])
    return durations


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="Server to load (loopback only). Default with --serve.")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=float, default=60, help="Seconds (at most 600).")
    parser.add_argument("--max-requests", type=int, default=500_000)
    parser.add_argument("--json", help="Also write the figures to this file.")
    parser.add_argument("--serve", action="store_true", help="Set up and run gunicorn first.")
    parser.add_argument("--scale", type=int, default=0, help="--serve: synthetic data scale.")
    parser.add_argument("--workers", type=int, default=0, help="--serve: gunicorn workers.")
    parser.add_argument("--port", type=int, default=8811, help="--serve: port.")
    parser.add_argument("--redis", default="", help="--serve: REDIS_URL for the cache.")
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432", help="--serve: server."
    )
    parser.add_argument("--keep", action="store_true", help="--serve: keep the database.")
    args = parser.parse_args(argv)
    args.duration = min(args.duration, 600)
    if args.serve and not args.url:
        args.url = f"http://127.0.0.1:{args.port}"
    if not args.url:
        parser.error("give --url, or --serve")
    args.url = args.url.rstrip("/")
    require_loopback(args.url)
    stop = serve(args) if args.serve else None
    try:
        print(
            f"Loading {args.url} with {args.connections} connections for {args.duration:g} s …",
            flush=True,
        )
        report = asyncio.run(run_load(args))
    finally:
        if stop:
            stop()
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
