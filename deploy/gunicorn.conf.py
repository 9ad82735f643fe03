"""gunicorn settings for one app server: ``gunicorn -c deploy/gunicorn.conf.py``.

Every value can be overridden from the environment (the systemd unit reads
/etc/jointprogramme/env), so the same file serves a 2-core and a 16-core machine and
the tests in tests/deploy/ run it on other ports with fewer workers.

Zero-downtime upgrade: ``systemctl reload jointprogramme`` sends HUP; gunicorn starts
new workers with the new code, then stops the old ones gracefully. That only works
because the application is not preloaded in the master (``preload_app = False``).
"""

import multiprocessing
import os

wsgi_app = "jointprogramme.wsgi:application"

# Behind nginx on the same machine: loopback only. An app server that nginx reaches
# over the network binds to its private address (GUNICORN_BIND=10.0.0.12:8000) and is
# firewalled so that only the nginx machine can reach it.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Synchronous workers, (2 x cores) + 1: the classic figure for a database-bound Django
# application. Each worker holds at most one PostgreSQL connection (kept for
# DJANGO_CONN_MAX_AGE seconds), so workers x app servers must stay below PostgreSQL's
# max_connections (100 by default) with room for the scheduled jobs and psql.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# A request taking longer than this is killed and answered 502 by nginx (and logged
# by gunicorn with the worker's traceback). Exports of big reports are the slowest pages.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On reload or stop, workers get this long to finish the requests they are serving.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# nginx keeps connections to the app server open between requests.
keepalive = 5

# Recycle each worker after about a thousand requests: bounds any slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10

# Heartbeat files in memory, not on a disk that may stall under load.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Access log on standard output (journald under systemd): one line per request as the
# server saw it, including requests Django never finished (timeouts). The path is
# logged without its query string, and no client address or user agent: the
# application's own line (jointprogramme.middleware) adds the user id.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = (
    '{"logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"request_id": "%({x-request-id}i)s"}'
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Trust X-Forwarded-* headers only from nginx on this machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Reloads go through signals (systemctl reload = HUP), not gunicorn's control socket,
# whose default path under $HOME would be shared by two servers on one machine.
control_socket_disable = True

proc_name = os.environ.get("GUNICORN_PROC_NAME", "jointprogramme")
