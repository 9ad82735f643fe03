"""The benchmark behind ``bin/benchmark``: how fast the pages and imports are at the
size of a real installation, and how that grows with the data.

For each scale (default: 1, then large) it

1. gives the scale a database of its own: ``benchmark-s<scale>.sqlite3`` in the
   project, or, when ``DATABASE_URL`` names PostgreSQL, a database of that name
   with ``_s<scale>`` appended (created when missing), so the large set is built
   once and reused by later runs (``--regenerate`` builds it again);
2. migrates it and runs ``generate_synthetic`` (timed: rows per second);
3. requests every main page that exists, signed in as the first synthetic
   programme's users (``bench_p01_manager`` …; admin lists as ``bench_admin``),
   through Django's test client in a process running with DEBUG off: SQL queries
   per request, median and p95 over ``--requests`` requests, response size and
   the median as a multiple of ``/healthz`` measured in the same run. Pages that
   are not built yet are listed as missing;
4. with ``--http``, also serves the application as in production (gunicorn with
   ``deploy/gunicorn.conf.py``, DEBUG off, 2 workers, behind a pretend TLS proxy)
   and loads each page for a few seconds with ``wrk`` (Debian's package) from a
   separate process, as the same signed-in users: median, p95 and requests per
   second, and the median as a multiple of ``/healthz``'s;
5. imports rows through the import-export resources exactly as the admin does
   (preview = dry run, then confirm), inside a transaction that is rolled back:
   rows per second (and per CPU-second of the importing process, which a busy
   machine does not distort as much), SQL queries and peak memory (RSS).

``--pages none`` skips step 3, to time generation and the imports alone.

Every measuring step runs in a fresh subprocess, so each scale's settings read its
own ``DATABASE_URL`` and peak memory belongs to one task. The results go to the
screen and to ``benchmark-results.json``.

Timings are server-side (view, middleware, templates, database) without HTTP; the
machine's other load shows in them, so compare runs made on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# Targets from issue 7, at the large scale.
MAX_QUERIES = 20
MAX_MEDIAN_MS = 50.0
MAX_P95_MS = 100.0
MIN_IMPORT_ROWS_PER_SECOND = 2000.0
# Without DATABASE_URL (and without --sqlite): each scale a database on this server.
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jp_bench"

# (label, path; {outcome}, {meeting}, {organisation} are filled in, user)
PAGES = [
    ("health check", "/healthz", None),
    ("dashboard", "/", "manager"),
    ("results framework", "/outcomes/", "manager"),
    ("outcome", "/outcomes/{outcome}/", "manager"),
    ("alignment report", "/alignment/", "coordinator"),
    ("funding dashboard", "/funding/", "manager"),
    ("funding as donor", "/funding/", "donor"),
    ("funding, all programmes", "/funding/all/", "manager"),
    ("meetings", "/meetings/", "manager"),
    ("meeting", "/meetings/{meeting}/", "manager"),
    ("follow-up actions", "/meetings/actions/", "manager"),
    ("stakeholders", "/stakeholders/", "manager"),
    ("organisation", "/stakeholders/{organisation}/", "manager"),
]
# Admin change lists, measured when the model is registered.
ADMIN_LISTS = [
    "outcomes.outcome",
    "outcomes.indicator",
    "outcomes.result",
    "outcomes.alignment",
    "funding.pledge",
    "funding.payment",
    "meetings.meeting",
    "meetings.invitation",
    "stakeholders.organisation",
    "stakeholders.contact",
]
# (label, module, model label, rows, text field made unique per row)
IMPORTS = [
    ("organisations", "stakeholders.resources", "stakeholders.organisation", 5000, "name"),
    ("pledges", "funding.resources", "funding.pledge", 10000, "reference"),
]


# ---------------------------------------------------------------- orchestration


def scale_label(scale: int) -> str:
    from jointprogramme.synthetic import LARGE_SCALE

    return "large" if scale == LARGE_SCALE else str(scale)


def database_url_for(scale: int) -> str:
    """Each scale its own database, derived from DATABASE_URL (or SQLite files)."""
    suffix = f"_s{scale_label(scale)}"
    base = os.environ.get("DATABASE_URL", "")
    if not base:
        return f"sqlite:///{ROOT / f'benchmark-s{scale_label(scale)}.sqlite3'}"
    if base.startswith("sqlite"):
        import dj_database_url

        path = Path(dj_database_url.parse(base)["NAME"])
        return f"sqlite:///{path.with_name(path.stem + suffix + path.suffix)}"
    head, _, tail = base.rpartition("/")
    name, question, query = tail.partition("?")
    return f"{head}/{name}{suffix}{question}{query}"


def ensure_postgres_database(url: str) -> None:
    """Create the scale's PostgreSQL database when it does not exist."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    if "postgres" not in config["ENGINE"]:
        return
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
            print(f"  created database {config['NAME']}")
    connection.close()


def child_env(url: str, *, debug: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="jointprogramme.settings",
        DJANGO_DEBUG="true" if debug else "false",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or "benchmark-only-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
        # Templates find static files without collectstatic's manifest.
        DJANGO_STATIC_MANIFEST="false",
        DJANGO_LOG_LEVEL=env.get("DJANGO_LOG_LEVEL", "WARNING"),
    )
    env.pop("DJANGO_SECURE_SSL_REDIRECT", None)
    return env


def run(args: list[str], env: dict, *, capture: bool = False) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=ROOT, env=env, text=True, capture_output=capture, check=False)
    if result.returncode != 0:
        if capture:
            sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"benchmark: {' '.join(args[1:3])} failed (exit {result.returncode})")
    return result


def worker(task: str, url: str, options: dict, *, debug: bool = False) -> dict:
    """Run one measuring task in a fresh process and return its JSON result."""
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as out:
        path = out.name
    try:
        run(
            [PYTHON, "-m", "jointprogramme.benchmark", "--worker", task, "--worker-output", path,
             "--worker-options", json.dumps(options)],
            child_env(url, debug=debug),
        )  # fmt: skip
        with open(path, encoding="utf-8") as result:
            return json.load(result)
    finally:
        os.unlink(path)


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"non2xx": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float) -> bool:
    import urllib.request

    deadline = time.monotonic() + seconds
    # As nginx would: TLS ended in front of the application server.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def _first_requests(url: str, headers: dict[str, str], count: int) -> float:
    """The slowest of ``count`` requests in a row, in ms: each app server process
    builds the cached reports and files on its first request for them (with a
    shared Redis cache, the first process does it for all)."""
    import urllib.request

    request = urllib.request.Request(url, headers=headers)
    slowest = 0.0
    for _ in range(count):
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
        except OSError:
            pass
        slowest = max(slowest, (time.perf_counter() - started) * 1000)
    return slowest


def http_bench(url: str, rows: list[dict], args) -> list[str]:
    """Serve with gunicorn (DEBUG off, 2 workers) and load each page with wrk.

    Adds ``http`` figures to each row of ``rows``; returns notes.
    """
    import shutil

    wrk = shutil.which("wrk")
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    if not wrk:
        return ["--http: wrk is not installed (apt-get install wrk); HTTP figures skipped"]
    if not gunicorn.exists():
        return ["--http: gunicorn is not installed in .venv; HTTP figures skipped"]
    measured = [r for r in rows if r.get("status") == 200]
    sessions = worker(
        "sessions", url, {"users": sorted({r["user"] for r in measured} - {"anonymous"})}
    )
    port = _free_port()
    env = child_env(url, debug=False)
    env.update(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(args.http_workers),
        GUNICORN_ACCESS_LOG="",
        GUNICORN_LOG_LEVEL="warning",
        GUNICORN_PROC_NAME="jointprogramme-benchmark",
        GUNICORN_MAX_REQUESTS="0",
        # As behind nginx: TLS is terminated in front, the app sees X-Forwarded-Proto.
        DJANGO_SECURE_PROXY_SSL_HEADER="true",
    )
    config = ROOT / "deploy" / "gunicorn.conf.py"
    command = [str(gunicorn)]
    command += ["-c", str(config)] if config.exists() else [
        "jointprogramme.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(args.http_workers)
    ]  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    log = open(ROOT / "benchmark-gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    notes = []
    try:
        base = f"http://127.0.0.1:{port}"
        if not _wait_for(f"{base}/healthz", 60):
            return ["--http: gunicorn did not answer /healthz; see benchmark-gunicorn.log"]
        print(
            f"  gunicorn on {base}, {args.http_workers} workers; "
            f"wrk {args.http_seconds} s a page or more"
        )
        for row in measured:
            headers = ["-H", "X-Forwarded-Proto: https"]
            if row["user"] != "anonymous":
                cookie = sessions["cookies"][row["user"]]
                headers += ["-H", f"Cookie: {sessions['cookie_name']}={cookie}"]
            # A slow page gets time for a few requests; and no page starts while the
            # workers still finish the previous page's requests.
            seconds = min(60, max(args.http_seconds, math.ceil(3 * row["median_ms"] / 1000) + 1))
            _wait_for(f"{base}/healthz", 120)
            # Every worker's first request for the page (reports and files built and
            # cached) is timed apart: wrk measures the pages as they are served after.
            first_ms = _first_requests(
                base + row["path"], dict(h.split(": ", 1) for h in headers[1::2]),
                count=4 * args.http_workers,
            )  # fmt: skip
            result = subprocess.run(
                [wrk, "-t1", f"-c{args.http_connections}", f"-d{seconds}s",
                 "--timeout", "60s", "-s", script.name, *headers, base + row["path"]],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            summary = next(
                (json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")),
                None,
            )
            if summary is None or not summary["requests"]:
                error = result.stderr.strip()[:200] or f"no request completed in {seconds} s"
                row["http"] = {"note": error}
                continue
            row["http"] = {
                "seconds": seconds,
                "requests": summary["requests"],
                "median_ms": round(summary["p50_us"] / 1000, 2),
                "p95_ms": round(summary["p95_us"] / 1000, 2),
                "p99_ms": round(summary["p99_us"] / 1000, 2),
                "requests_per_second": round(
                    summary["requests"] / (summary["duration_us"] / 1e6), 1
                ),
                "non_2xx": summary["non2xx"],
                "socket_errors": summary["socket_errors"],
                "first_requests_max_ms": round(first_ms, 1),
            }
            print(
                f"    {row['page']:<34} {row['http']['median_ms']:>8} ms median "
                f"{row['http']['requests_per_second']:>8} req/s",
                flush=True,
            )
        health = next((r["http"] for r in measured if r["path"] == "/healthz"), None)
        for row in measured:
            http = row.get("http", {})
            if health and "median_ms" in http and health.get("median_ms"):
                http["times_healthz"] = round(http["median_ms"] / health["median_ms"], 1)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        os.unlink(script.name)
    return notes


def bench_scale(scale: int, args, *, time_imports: bool) -> dict:
    label = scale_label(scale)
    url = database_url_for(scale)
    shown = url.split("@")[-1]
    print(f"\n=== scale {label}: database {shown}")
    if not url.startswith("sqlite"):
        ensure_postgres_database(url)
    env = child_env(url, debug=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "--skip-checks", "-v0"], env)
    state = worker("state", url, {}, debug=True)
    wanted = {"scale": scale, "seed": args.seed}
    generation: dict
    if state.get("set") == wanted and not args.regenerate:
        print(f"  reusing the synthetic set already there (scale {label}, seed {args.seed})")
        generation = {"reused": True, **state}
    else:
        with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as out:
            report_path = out.name
        try:
            run(
                [PYTHON, "manage.py", "generate_synthetic", f"--scale={scale}",
                 f"--seed={args.seed}", f"--report-json={report_path}"],
                env,
            )  # fmt: skip
            with open(report_path, encoding="utf-8") as report:
                generation = {"reused": False, **json.load(report)}
        finally:
            os.unlink(report_path)
    if args.pages == "none":
        print("  pages not measured (--pages none)")
        vendor = "sqlite" if url.startswith("sqlite") else "postgresql"
        pages = {"database": vendor, "pages": [], "notes": ["pages not measured (--pages none)"]}
    else:
        print(f"  measuring pages ({args.requests} requests each)…")
        pages = worker("pages", url, {"requests": args.requests, "roles": args.roles})
    if args.http and pages["pages"]:
        print("  load over HTTP…")
        pages["notes"] += http_bench(url, pages["pages"], args)
    imports = []
    for name, module, model, rows, unique_field in IMPORTS if time_imports else []:
        rows = args.import_rows or rows
        print(f"  importing {rows:,} {name} through the admin's code path…")
        imports.append(
            worker(
                "import",
                url,
                {
                    "name": name,
                    "module": module,
                    "model": model,
                    "rows": rows,
                    "unique_field": unique_field,
                },
            )  # fmt: skip
        )
    return {
        "scale": scale,
        "label": label,
        "database": pages.get("database"),
        "generation": generation,
        "pages": pages["pages"],
        "notes": pages["notes"],
        "imports": imports,
    }


# -------------------------------------------------------------------- workers


def _django():
    import django

    django.setup()


def task_state(_options: dict) -> dict:
    from jointprogramme import synthetic

    return {"set": synthetic.current_set()}


def _percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least ``share`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(share * len(ordered)))) - 1]


def _measure(client, path: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, secure=True)
        size = (
            len(response.content)
            if not response.streaming
            else sum(len(chunk) for chunk in response.streaming_content)
        )
    except Exception as error:  # noqa: BLE001 - a broken page is a result, not a crash
        return {"status": "error", "note": f"{type(error).__name__}: {error}"[:200]}
    result = {"status": response.status_code, "queries": len(queries), "bytes": size}
    if response.status_code >= 300:
        result["note"] = response.get("Location", "") or f"HTTP {response.status_code}"
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path, secure=True)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        timings.append((time.perf_counter() - started) * 1000)
    result.update(
        median_ms=round(statistics.median(timings), 2),
        p95_ms=round(_percentile(timings, 0.95), 2),
        min_ms=round(min(timings), 2),
        requests_per_second=round(1000 / statistics.median(timings), 1),
    )
    return result


def _discovered_exports() -> list[tuple[str, str]]:
    """Report exports: URL patterns without parameters ending in .csv or .xlsx."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(patterns, prefix: str, namespace: str | None):
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith("admin/"):
                    continue
                walk(pattern.url_patterns, prefix + route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                full = prefix + route
                if "<" in full or full.startswith("^"):
                    continue
                if full.endswith((".csv", ".xlsx")):
                    found.append((f"export {namespace or ''}:{pattern.name}", "/" + full))

    walk(get_resolver().url_patterns, "", None)
    return found


def busiest_records() -> dict[str, int]:
    """Ids for the detail pages, in the first synthetic programme: the outcome with
    the most alignment links, the past meeting with the most invitations, and UNODC
    (invited everywhere)."""
    from django.db.models import Count

    from jointprogramme import synthetic
    from meetings.models import Meeting
    from outcomes.models import Outcome

    programme = synthetic.synthetic_programmes().order_by("title").first()
    if programme is None:
        raise SystemExit("benchmark: no synthetic programme in the database")
    outcome = (
        Outcome.objects.filter(programme=programme)
        .annotate(n=Count("alignments"))
        .order_by("-n", "order")
        .first()
    )
    meeting = (
        Meeting.objects.filter(programme=programme, start_date__lt=synthetic.ANCHOR)
        .annotate(n=Count("invitations"))
        .order_by("-n", "-start_date")
        .first()
    )
    organisation = synthetic.synthetic_organisations().filter(acronym="UNODC").first()
    return {
        "outcome": outcome.pk if outcome else 0,
        "meeting": meeting.pk if meeting else 0,
        "organisation": organisation.pk if organisation else 0,
    }


def signed_in_users() -> dict:
    """The first synthetic programme's users by role ("manager", "unodc" …), and "admin"."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    users = {
        u.username.rsplit("_", 1)[-1]: u
        for u in User.objects.filter(username__startswith="bench_p01_")
    }
    users["admin"] = User.objects.get(username="bench_admin")
    return users


def task_pages(options: dict) -> dict:
    from django.apps import apps
    from django.contrib import admin
    from django.db import connection
    from django.test import Client
    from django.urls import Resolver404, resolve

    from jointprogramme.memory import freeze_loaded_application

    ids = busiest_records()
    users = signed_in_users()
    # As every app server process does once loaded (wsgi.py).
    freeze_loaded_application()
    pages = [(label, path.format(**ids), who) for label, path, who in PAGES]
    pages += [(label, path, "manager") for label, path in _discovered_exports()]
    for model_label in ADMIN_LISTS:
        model = apps.get_model(model_label)
        if admin.site.is_registered(model):
            pages.append(
                (f"admin {model_label}", f"/admin/{model_label.replace('.', '/')}/", "admin")
            )
    roles = ["manager", "unodc", "coordinator", "donor"] if options["roles"] == "all" else None

    requests = options["requests"]
    results, notes, seen = [], [], set()
    clients: dict[str, Client] = {}
    for label, path, who in pages:
        if path in seen and (roles or label != "funding as donor"):
            continue
        seen.add(path)
        try:
            resolve(path.split("?")[0])
        except Resolver404:
            notes.append(f"{label} ({path}): not built yet, skipped")
            continue
        for user in roles if roles and who not in (None, "admin") else [who]:
            if user not in clients:
                clients[user] = Client()
                if user is not None:
                    clients[user].force_login(users[user])
            row = {"page": label, "path": path, "user": _username(user)}
            row.update(_measure(clients[user], path, requests))
            results.append(row)
            print(
                f"    {label:<34} {row.get('status')!s:>5} {row.get('queries', '-')!s:>5} q "
                f"{row.get('median_ms', '-')!s:>8} ms",
                flush=True,
            )
    health = next((r for r in results if r["path"] == "/healthz" and "median_ms" in r), None)
    for row in results:
        if health and "median_ms" in row:
            row["times_healthz"] = round(row["median_ms"] / health["median_ms"], 1)
    return {"database": connection.vendor, "pages": results, "notes": notes}


def task_import(options: dict) -> dict:
    import importlib
    import resource as rusage

    import tablib
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from import_export.resources import ModelResource

    name, rows = options["name"], options["rows"]
    model = apps.get_model(options["model"])
    result = {"name": name, "rows": rows}
    try:
        module = importlib.import_module(options["module"])
    except ImportError:
        return {**result, "note": f"{options['module']} not available yet"}
    classes = [
        c
        for c in vars(module).values()
        if isinstance(c, type)
        and issubclass(c, ModelResource)
        and getattr(c._meta, "model", None) is model
    ]
    if not classes:
        return {**result, "note": f"no resource for {options['model']} in {options['module']}"}
    resource_class = classes[0]
    template_rows = model.objects.order_by("pk")[: min(rows, 5000)]
    exported = resource_class().export(queryset=template_rows)
    if not exported.height:
        return {**result, "note": "nothing to copy rows from"}
    columns = {f.attribute: f.column_name for f in resource_class().get_import_fields()}
    unique_column = columns.get(options["unique_field"])
    dataset = tablib.Dataset(headers=exported.headers)
    unique_index = exported.headers.index(unique_column) if unique_column else None
    for i in range(rows):
        row = list(exported[i % exported.height])
        if unique_index is not None:
            row[unique_index] = f"{str(row[unique_index])[:150]} import {i:05d}"
        dataset.append(row)
    user = get_user_model().objects.get(username="bench_admin")
    result["resource"] = f"{resource_class.__module__}.{resource_class.__name__}"
    rss_before = rusage.getrusage(rusage.RUSAGE_SELF).ru_maxrss
    before = model.objects.count()

    queries = [0]

    def count_query(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    # The admin's two steps: a dry run to preview, then the import on confirmation.
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count_query):
        preview = resource_class().import_data(dataset, dry_run=True, raise_errors=False, user=user)
    result["preview_seconds"] = round(time.perf_counter() - started, 2)
    result["preview_cpu_seconds"] = round(time.process_time() - cpu, 2)
    result["preview_queries"], queries[0] = queries[0], 0
    errors = preview.has_errors() or preview.has_validation_errors()
    if errors:
        first = (preview.invalid_rows[:1] or preview.error_rows[:1] or [None])[0]
        detail = getattr(first, "error_dict", None) or getattr(first, "errors", None)
        result["note"] = f"rows refused in preview: {str(detail)[:200]}"
        return result
    with transaction.atomic(), connection.execute_wrapper(count_query):
        started, cpu = time.perf_counter(), time.process_time()
        confirm = resource_class().import_data(
            dataset, dry_run=False, raise_errors=False, user=user
        )
        result["confirm_seconds"] = round(time.perf_counter() - started, 2)
        result["confirm_cpu_seconds"] = round(time.process_time() - cpu, 2)
        result["confirm_queries"] = queries[0]
        result["imported"] = model.objects.count() - before
        transaction.set_rollback(True)  # leave the benchmark database as it was
    result["errors"] = confirm.has_errors() or confirm.has_validation_errors()
    result["preview_rows_per_second"] = round(rows / result["preview_seconds"], 1)
    result["confirm_rows_per_second"] = round(rows / result["confirm_seconds"], 1)
    result["peak_rss_mb"] = round(rusage.getrusage(rusage.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["rss_growth_mb"] = round(
        (rusage.getrusage(rusage.RUSAGE_SELF).ru_maxrss - rss_before) / 1024, 1
    )
    return result


def _username(role: str | None) -> str:
    if role is None:
        return "anonymous"
    return "bench_admin" if role == "admin" else f"bench_p01_{role}"


def task_sessions(options: dict) -> dict:
    """A session cookie for each user, so an HTTP load generator can sign in."""
    from django.conf import settings
    from django.test import Client

    users = signed_in_users()
    cookies = {}
    for name in options["users"]:
        role = "admin" if name == "bench_admin" else name.removeprefix("bench_p01_")
        client = Client()
        client.force_login(users[role])
        cookies[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "cookies": cookies}


TASKS = {
    "state": task_state,
    "pages": task_pages,
    "import": task_import,
    "sessions": task_sessions,
}


# -------------------------------------------------------------------- reporting


def _fmt(value, spec: str = "") -> str:
    if value is None or value == "":
        return "-"
    return format(value, spec) if spec else str(value)


def _verdict(figures: dict) -> str:
    misses = []
    if figures["queries"] > MAX_QUERIES:
        misses.append(f"queries>{MAX_QUERIES}")
    if figures["median_ms"] >= MAX_MEDIAN_MS:
        misses.append(f"median>={MAX_MEDIAN_MS:.0f}ms")
    if figures["p95_ms"] >= MAX_P95_MS:
        misses.append(f"p95>={MAX_P95_MS:.0f}ms")
    return "ok" if not misses else "MISS " + ", ".join(misses)


def _page_table(rows: list[dict], figures_of, *, large: bool) -> None:
    header = (
        f"{'page':<34} {'user':<22} {'HTTP':>5} {'queries':>7} {'median ms':>9} "
        f"{'p95 ms':>8} {'req/s':>7} {'x healthz':>9} {'KB':>6} {'first ms':>8}  "
        + ("target (<=20 q, median<50, p95<100)" if large else "")
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        figures = figures_of(row)
        measured = "median_ms" in figures and figures.get("queries") is not None
        verdict = _verdict(figures) if large and measured and row["path"] != "/healthz" else ""
        print(
            f"{row['page'][:34]:<34} {row['user'][:22]:<22} {_fmt(row.get('status')):>5} "
            f"{_fmt(figures.get('queries')):>7} {_fmt(figures.get('median_ms'), '.1f'):>9} "
            f"{_fmt(figures.get('p95_ms'), '.1f'):>8} "
            f"{_fmt(figures.get('requests_per_second'), '.0f'):>7} "
            f"{_fmt(figures.get('times_healthz'), '.1f'):>9} "
            f"{_fmt(figures.get('bytes') and figures['bytes'] / 1024, '.0f'):>6} "
            f"{_fmt(figures.get('first_requests_max_ms'), '.0f'):>8}  {verdict}"
        )
        note = figures.get("note") or (row.get("note") if row.get("status") != 200 else None)
        if note:
            print(f"{'':<34} note: {note}")


def print_scale(result: dict, *, large: bool) -> None:
    gen = result["generation"]
    print(f"\n## Scale {result['label']} ({result['database']})")
    if gen.get("reused"):
        print("generate_synthetic: reused the existing set (pass --regenerate to time it)")
    else:
        print(
            f"generate_synthetic: {gen['rows']:,} rows in {gen['seconds']:.1f} s "
            f"= {gen['rows_per_second']:,.0f} rows/s"
            + (
                f" (after removing the previous set, {gen['deleted_rows']:,} rows, "
                f"in {gen['delete_seconds']:.1f} s)"
                if gen.get("deleted_rows")
                else ""
            )
        )
        slowest = sorted(gen["steps"], key=lambda step: -step["seconds"])[:3]
        print(
            "  slowest: "
            + ", ".join(
                f"{s['model']} {s['rows']:,} rows {s['seconds']:.1f} s "
                f"({s['rows_per_second']:,.0f}/s)"
                for s in slowest
            )
        )
    if result["pages"]:
        print("\nIn process (Django test client, DEBUG off): queries and server-side time")
        _page_table(result["pages"], lambda row: row, large=large)
    if any("http" in row for row in result["pages"]):
        print("\nOver HTTP (gunicorn, DEBUG off; wrk from another process)")
        _page_table(
            [r for r in result["pages"] if "http" in r],
            lambda row: {**row["http"], "queries": row["queries"], "bytes": row["bytes"]},
            large=large,
        )
    for note in result["notes"]:
        print(f"  note: {note}")
    for imp in result["imports"]:
        if "confirm_rows_per_second" in imp:
            missed = [
                step
                for step in ("preview", "confirm")
                if imp[f"{step}_rows_per_second"] < MIN_IMPORT_ROWS_PER_SECOND
            ]
            print(
                f"import {imp['rows']:,} {imp['name']}: "
                f"preview {imp['preview_rows_per_second']:,.0f} rows/s, "
                f"confirm {imp['confirm_rows_per_second']:,.0f} rows/s, "
                f"queries {imp.get('preview_queries', '-')} + {imp.get('confirm_queries', '-')}, "
                f"peak RSS {imp['peak_rss_mb']} MB"
                + (
                    # The importing process's own CPU time: on a busy machine it shows
                    # what the wall-clock figures would be without the other work.
                    f" (CPU: preview {imp['rows'] / imp['preview_cpu_seconds']:,.0f}, "
                    f"confirm {imp['rows'] / imp['confirm_cpu_seconds']:,.0f} rows per CPU-second)"
                    if imp.get("preview_cpu_seconds") and imp.get("confirm_cpu_seconds")
                    else ""
                )
                + (
                    f"  target {MIN_IMPORT_ROWS_PER_SECOND:,.0f} rows/s "
                    + ("ok" if not missed else "MISS (" + ", ".join(missed) + ")")
                    if large
                    else ""
                )
            )
        else:
            print(f"import {imp['rows']:,} {imp['name']}: {imp.get('note')}")


def print_growth(results: list[dict]) -> None:
    """Query counts side by side: a page whose count grows with the data is flagged."""
    if len(results) < 2:
        return
    first, last = results[0], results[-1]
    print(f"\n## Growth from scale {first['label']} to scale {last['label']}")
    print(f"{'page':<36} {'user':<22} {'queries':>15} {'median ms':>17}")
    before = {(r["page"], r["user"]): r for r in first["pages"]}
    for row in last["pages"]:
        old = before.get((row["page"], row["user"]))
        if not old or "queries" not in old or "queries" not in row:
            continue
        flag = "  GROWS" if row["queries"] != old["queries"] else ""
        print(
            f"{row['page'][:36]:<36} {row['user'][:22]:<22} "
            f"{old['queries']:>6} -> {row['queries']:<6} "
            f"{_fmt(old.get('median_ms'), '.1f'):>7} -> {_fmt(row.get('median_ms'), '.1f'):<7}"
            f"{flag}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bin/benchmark",
        description="Generate synthetic data, then time the pages and imports.",
    )
    parser.add_argument(
        "--scales",
        default="1,large",
        help='Comma-separated scales, each a number or "large" (default: 1,large).',
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--requests", type=int, default=20, help="Timed requests per page.")
    parser.add_argument(
        "--pages",
        choices=["all", "none"],
        default="all",
        help="Time every page (default), or none: only generation and the imports.",
    )
    parser.add_argument(
        "--roles",
        choices=["one", "all"],
        default="one",
        help="one: each page as its usual user; all: as manager, agency, coordinator, donor.",
    )
    parser.add_argument(
        "--http",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Also serve with gunicorn (DEBUG off) and load every page with wrk (default; "
        "--no-http: only the in-process table).",
    )
    parser.add_argument(
        "--sqlite",
        action="store_true",
        help="SQLite files benchmark-s<scale>.sqlite3 instead of PostgreSQL (quick local runs).",
    )
    parser.add_argument("--http-workers", type=int, default=2, help="gunicorn workers (2).")
    parser.add_argument("--http-connections", type=int, default=2, help="wrk connections (2).")
    parser.add_argument("--http-seconds", type=int, default=5, help="wrk seconds a page (5).")
    parser.add_argument("--regenerate", action="store_true", help="Rebuild data sets that exist.")
    parser.add_argument(
        "--imports",
        choices=["last", "all", "none"],
        default="last",
        help="Time the imports at the last scale only (default), at every scale, or not.",
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=0,
        help="Rows per import (default: 5,000 organisations and 10,000 pledges).",
    )
    parser.add_argument("--output", default=str(ROOT / "benchmark-results.json"))
    parser.add_argument("--worker", choices=sorted(TASKS), help=argparse.SUPPRESS)
    parser.add_argument("--worker-output", help=argparse.SUPPRESS)
    parser.add_argument("--worker-options", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jointprogramme.settings")
    sys.path.insert(0, str(ROOT))
    if args.worker:
        _django()
        output = TASKS[args.worker](json.loads(args.worker_options))
        with open(args.worker_output, "w", encoding="utf-8") as out:
            json.dump(output, out)
        return 0

    if args.sqlite:
        os.environ.pop("DATABASE_URL", None)
    else:
        # PostgreSQL, as in production: DATABASE_URL, else the local server.
        os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    _django()  # for the synthetic module's scales; the database is the workers'
    from jointprogramme.synthetic import LARGE_SCALE, parse_scale

    scales = [parse_scale(s) for s in args.scales.split(",") if s.strip()]
    started = time.perf_counter()
    load_before = os.getloadavg()
    results = [
        bench_scale(
            scale,
            args,
            time_imports=args.imports == "all" or (args.imports == "last" and i == len(scales) - 1),
        )
        for i, scale in enumerate(scales)
    ]

    for result in results:
        print_scale(result, large=result["scale"] >= LARGE_SCALE)
    print_growth(results)
    document = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        },
        "method": "Django test client in a process with DEBUG off; server-side time, no HTTP",
        "requests_per_page": args.requests,
        "targets": {
            "max_queries": MAX_QUERIES,
            "max_median_ms": MAX_MEDIAN_MS,
            "max_p95_ms": MAX_P95_MS,
            "min_import_rows_per_second": MIN_IMPORT_ROWS_PER_SECOND,
        },
        "scales": results,
        "seconds": round(time.perf_counter() - started, 1),
    }
    with open(args.output, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=2)
    cpus = os.cpu_count() or 1
    busiest = max(load_before[0], document["machine"]["load_average_after"][0])
    if busiest > cpus:
        print(
            f"\nThe machine was busy (load average {busiest:.1f} on {cpus} CPUs): other "
            "work shares the CPUs, so the times above are longer than on a quiet machine."
        )
    print(f"\nResults written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
