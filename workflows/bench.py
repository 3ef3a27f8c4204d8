"""Benchmarks of the caseworker's pages: server time for the work queue and a case page."""

from django.test import Client
from django.urls import reverse

from ehc.bench import benchmark, staff_client, timed
from ehc.models import Case


def _get(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@benchmark
def staff_pages(cases: int) -> dict:
    client = staff_client("manager")
    queue = reverse("workflows:queue") + "?scope=all"
    _get(client, queue)  # warm caches once, as a running server would have them
    queue_s, queue_queries, _ = timed(lambda: _get(client, queue))
    busiest = Case.objects.filter(stage=Case.Stage.ASSESSING).order_by("id").first()
    page = reverse("ehc:case_detail", args=[busiest.pk])
    case_page_s, case_page_queries, _ = timed(lambda: _get(client, page))
    return {
        "queue_s": queue_s,
        "queue_queries": queue_queries,
        "case_page_s": case_page_s,
        "case_page_queries": case_page_queries,
    }
