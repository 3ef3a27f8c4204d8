"""The demo directory covers the whole offer, and the bench's queries run."""

from datetime import date

import pytest
from django.core.management import call_command

from local_offer import bench
from local_offer import vocabulary as v
from local_offer.bench import FEED, QUERIES, DirectoryFilters
from local_offer.demo import seed_directory, seed_people_and_activity
from local_offer.models import ChangeRequest, Comment, Service
from local_offer.selectors import schedule2_completeness
from tests.local_offer.oruk_schema import validate

TODAY = date(2026, 11, 30)


def test_demo_directory_covers_every_schedule_2_item(db, manager, client):
    figures = seed_directory(120, today=TODAY)
    assert figures["services"] == Service.objects.count() == 120
    assert {r.item.code for r in schedule2_completeness() if r.in_area + r.out_of_area} == {
        i.code for i in v.SCHEDULE_2
    }
    assert Service.objects.filter(in_area=False).exists()
    assert Service.objects.filter(review_due_on__lt=TODAY).exists()
    seed_people_and_activity(today=TODAY)
    assert ChangeRequest.objects.filter(status="pending").count() >= 2
    assert Comment.objects.count() == 5
    for service in Service.objects.exclude(status="inactive")[:20]:
        validate("/services/{id}", client.get(f"/openreferral/services/{service.pk}").json())
    validate("/services", client.get("/openreferral/services", {"per_page": 200}).json())


def test_seed_command_if_empty(db, capsys, manager):
    call_command("seed_local_offer", "--services", "40")
    call_command("seed_local_offer", "--services", "40", "--if-empty")
    assert Service.objects.count() == 40
    assert "nothing seeded" in capsys.readouterr().out


def test_the_demo_keeps_its_clocks_as_deadlines(db, officer):
    from ehc.models import SubjectDeadline
    from ehc.services.common import local_today

    call_command("seed_local_offer", "--services", "80")
    listed = Service.objects.exclude(status="inactive")
    open_clocks = SubjectDeadline.objects.filter(is_open=True)
    reviews = open_clocks.filter(kind="LO2")
    assert reviews.count() == listed.count()
    stale = listed.filter(review_due_on__lt=local_today()).count()
    assert stale and reviews.filter(due_on__lt=local_today()).count() == stale
    assert open_clocks.filter(kind="LO3").count() == 1  # the demo's answered comment
    assert open_clocks.filter(kind="LO1").count() == 1
    assert all(clock.owners.exists() for clock in open_clocks)


def test_bench_floors_answer_what_the_pages_answer(db, client):
    """Each floor is checked against its page (same services, same order, same total) on both
    databases; a floor that read fewer rows than the page would fail here."""
    seed_directory(300, today=TODAY)
    statements = bench._floor_statements()
    assert set(statements) == set(QUERIES)
    feed = bench._feed_floor_statements()
    for url, _, _ in FEED:
        assert client.get(url).status_code == 200
        bench._floor_run(feed[url])


def test_a_floor_that_answers_differently_is_refused(db, monkeypatch):
    seed_directory(60, today=TODAY)

    by_hand = bench._floor_statement

    def all_services(filters, *, page, per_page):
        return by_hand(DirectoryFilters(), page=page, per_page=per_page)

    monkeypatch.setattr(bench, "_floor_statement", all_services)
    with pytest.raises(RuntimeError, match="does not answer what the page does"):
        bench._floor_checked(DirectoryFilters(q="autism"), page=1, per_page=20)
