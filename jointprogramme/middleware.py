"""One structured log line per request, 503 while the database is unreachable, and
the client's address behind the proxy."""

import logging
import re
import time

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.functional import empty

logger = logging.getLogger("jointprogramme.request")

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestLogMiddleware:
    """Logs method, path (without the query string, which may hold search terms),
    status, duration in milliseconds, the user's id and nginx's request id.

    The user is read only if the request already loaded it, so a page that never
    looks at the user (``/healthz``, static files) costs no extra query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        request_id = request.META.get("HTTP_X_REQUEST_ID", "")
        logger.log(
            logging.ERROR if response.status_code >= 500 else logging.INFO,
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": loaded_user_id(request),
                "request_id": request_id if REQUEST_ID.match(request_id) else None,
            },
        )
        return response


def loaded_user_id(request) -> int | None:
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


def client_ip(request) -> str | None:
    """The client's address for sign-in throttling (django-axes).

    Behind nginx every request comes from nginx's address; nginx puts the client's in
    X-Real-IP, overwriting whatever the client sent. The header is trusted only when
    the settings say the app is behind the proxy (DJANGO_SECURE_PROXY_SSL_HEADER)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        real_ip = request.META.get("HTTP_X_REAL_IP", "").strip()
        if real_ip:
            return real_ip
    return request.META.get("REMOTE_ADDR")


class DatabaseUnavailableMiddleware:
    """503 "try again shortly", not 500, when the database cannot be reached (a restart,
    a fail-over, SQLite's "database is locked"): monitoring and nginx see a temporary
    outage, people see a page that says so. The error is still logged with its
    traceback; the next request reconnects (CONN_HEALTH_CHECKS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logging.getLogger("django.request").error(
            "Database unavailable: %s", request.path, exc_info=exception
        )
        response = HttpResponse(
            "The service is briefly unavailable. Please try again in a minute.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "10"
        return response
