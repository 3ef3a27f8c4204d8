"""One JSON line per request, and a request id that follows the request through the logs.

`RequestLogMiddleware` (outermost) takes the proxy's `X-Request-ID` when it looks like one, or
makes a new one, returns it in the response's `X-Request-ID` header, and logs one line on the
`ehc.request` logger: request id, method, path (never the query string, which can carry a
searched name), the route's name, status, duration and the signed-in user's id. Nothing else
about the user or the case is logged: no names, no emails, no form data.

`JsonFormatter` writes every log record as one JSON object per line; `RequestIdFilter` stamps
the current request id on every record logged while the request runs, so a warning from deep in
a service can be tied to its request line.
"""

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from config.health import HEALTH_PATH

REQUEST_ID_HEADER = "X-Request-ID"
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")
logger = logging.getLogger("ehc.request")

# Fields a record may carry (through `extra=`) that the JSON formatter writes out.
LOG_FIELDS = (
    "request_id",
    "method",
    "path",
    "route",
    "status",
    "duration_ms",
    "user_id",
)


def request_id_from(request: HttpRequest) -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if _INCOMING_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    """The user's id if the request already loaded the user; never loads it just to log it."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        duration_ms = round((time.perf_counter() - start) * 1000, 1)
        response[REQUEST_ID_HEADER] = request_id
        if request.path_info.rstrip("/") == HEALTH_PATH and response.status_code == 200:
            return response  # probes every few seconds would drown the log
        match = getattr(request, "resolver_match", None)
        fields = {
            "request_id": request_id,
            "method": request.method,
            "path": request.path,
            "route": match.view_name if match else "",
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": _user_id(request),
        }
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        logger.log(
            level, "%s %s %s", request.method, request.path, response.status_code, extra=fields
        )
        return response


class RequestIdFilter(logging.Filter):
    """Adds the running request's id to every record that lacks one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # django.request logs 4xx/5xx after the middleware has returned, with the request.
            request = getattr(record, "request", None)
            record.request_id = current_request_id.get() or getattr(request, "request_id", "")
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in LOG_FIELDS:
            value = getattr(record, field, None)
            if value not in (None, ""):
                line[field] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)
