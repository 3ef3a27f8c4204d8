"""`/healthz`: is this web process able to serve? Checks the database and Redis.

Answered by a middleware placed first, so a load balancer's probe (often sent to the machine's
address, over plain HTTP) needs no allowed host, no session, no TLS redirect, and is neither rate
limited nor logged unless it fails. The answer names each dependency and whether it answered;
it never carries personal data, versions or addresses.
"""

import json
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

HEALTH_PATH = "/healthz"


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "not healthy"; the reason goes to the log, not the probe
        return False


def redis_ok() -> bool:
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_timeout=settings.EHC_HEALTH_TIMEOUT_SECONDS,
            socket_connect_timeout=settings.EHC_HEALTH_TIMEOUT_SECONDS,
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


def health_report() -> tuple[bool, dict[str, str]]:
    checks = {
        "database": "ok" if database_ok() else "failing",
        "redis": "ok" if redis_ok() else "failing",
    }
    healthy = all(value == "ok" for value in checks.values())
    return healthy, {"status": "ok" if healthy else "failing", **checks}


class HealthCheckMiddleware:
    """Answers GET/HEAD /healthz before any other middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") != HEALTH_PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD"
            return response
        healthy, body = health_report()
        response = HttpResponse(
            json.dumps(body), status=200 if healthy else 503, content_type="application/json"
        )
        response["Cache-Control"] = "no-store"
        return response
