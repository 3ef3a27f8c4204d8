"""The production runner's pieces: /healthz, the request log and its request id."""

import json
import logging

import pytest
from django.urls import resolve, reverse

from config import devservers
from config.request_log import REQUEST_ID_HEADER, JsonFormatter


@pytest.fixture
def live_redis(tmp_path, settings):
    port = devservers.free_port()
    proc = devservers.start_redis(port, tmp_path / "redis")
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    yield settings.REDIS_URL
    proc.kill()
    proc.wait()


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_and_redis_answer(client, live_redis, settings):
    settings.ALLOWED_HOSTS = ["ehc.example.gov.uk"]
    # A load balancer probes the machine's own address: no allowed host needed.
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_fails_with_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{devservers.free_port()}/0"
    settings.EHC_HEALTH_TIMEOUT_SECONDS = 0.5
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "database": "ok", "redis": "failing"}


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    response = client.post("/healthz")
    assert response.status_code == 405


def _request_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "ehc.request"]


@pytest.mark.django_db
def test_each_request_logs_one_line_with_its_id_user_status_and_duration(
    client, caseworker, make_case, caplog
):
    case = make_case(first_name="Zephyrine", last_name="Quillfeather")
    case_url = reverse("ehc:case_detail", args=[case.pk])
    client.force_login(caseworker)
    with caplog.at_level(logging.INFO, logger="ehc.request"):
        response = client.get(case_url + "?q=Zephyrine", HTTP_X_REQUEST_ID="lb-1234abcd")
    assert response.status_code == 200
    assert b"Zephyrine" in response.content  # the page shows the name; the log must not
    assert response[REQUEST_ID_HEADER] == "lb-1234abcd"
    [record] = _request_lines(caplog)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "lb-1234abcd"
    assert line["user_id"] == caseworker.pk
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["path"] == case_url
    assert line["route"] == resolve(case_url).view_name
    assert isinstance(line["duration_ms"], float)
    text = JsonFormatter().format(record)
    assert "Zephyrine" not in text and "Quillfeather" not in text and "q=" not in text


@pytest.mark.django_db
def test_a_request_id_that_does_not_look_like_one_is_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="ehc.request"):
        response = client.get("/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    new_id = response[REQUEST_ID_HEADER]
    assert len(new_id) == 32 and "\n" not in new_id
    [record] = _request_lines(caplog)
    assert record.request_id == new_id
    assert record.user_id is None


@pytest.mark.django_db
def test_healthy_probes_are_not_logged_but_failures_are(client, live_redis, caplog, settings):
    with caplog.at_level(logging.INFO, logger="ehc.request"):
        client.get("/healthz")
        assert _request_lines(caplog) == []
        settings.REDIS_URL = f"redis://127.0.0.1:{devservers.free_port()}/0"
        client.get("/healthz")
    [record] = _request_lines(caplog)
    assert record.status == 503


def test_records_logged_during_a_request_carry_its_id():
    from config.request_log import RequestIdFilter, current_request_id

    record = logging.LogRecord("ehc.x", logging.WARNING, __file__, 1, "careful", None, None)
    token = current_request_id.set("abc12345")
    try:
        RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc12345" and line["message"] == "careful"


@pytest.mark.django_db
def test_error_pages_are_our_own_and_need_nothing_from_viewflow(client):
    """viewflow ships 404/500 templates naming its own static files; ours must win."""
    from django.template import loader

    response = client.get("/no-such-page-here/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "govuk-template" in page and "viewflow" not in page
    # 500.html is rendered with no request and no context processors.
    html = loader.get_template("500.html").render()
    assert "Sorry, there is a problem with the service" in html and "viewflow" not in html
    for name in ("400.html", "403.html", "404.html", "500.html"):
        assert "ehc/templates" in loader.get_template(name).origin.name
