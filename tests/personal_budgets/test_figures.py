"""Budgets in place by mechanism and domain, and by kind, on the manager's page and as CSV, in a
fixed number of queries; and the first-review deadline reaching alerts through the shared sweep."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from personal_budgets import selectors, services
from tests.personal_budgets.conftest import (
    TODAY,
    agree_mixed,
    ask,
    drafting_case,
    teaching_assistant_managed,
)

pytestmark = pytest.mark.django_db


def row(rows, domain, mechanism):
    return next(r for r in rows if r["domain"] == domain and r["mechanism"] == mechanism)


@pytest.fixture
def three_budgets(make_case, caseworker, agreed):
    """A mixed budget (agreed), a managed-only budget, and one still being prepared."""
    managed = ask(drafting_case(make_case, caseworker), caseworker)
    services.component_save(
        budget=managed,
        details=teaching_assistant_managed(amount=Decimal("1000.00")),
        acting_user=caseworker,
    )
    services.budget_agree(budget=managed, agreed_on=TODAY, acting_user=caseworker)
    ask(drafting_case(make_case, caseworker), caseworker)
    return agreed, managed


def test_budgets_in_place_by_mechanism_and_domain(three_budgets):
    rows = selectors.budgets_in_place_by_mechanism_and_domain()
    assert len(rows) == 12  # every domain and mechanism, zeros included
    dp = row(rows, "Education", "Direct payment")
    assert (dp["budgets"], dp["parts"], dp["amount"]) == (1, 1, Decimal("3120.00"))
    managed = row(rows, "Education", "Managed by the council")
    assert (managed["budgets"], managed["parts"], managed["amount"]) == (2, 2, Decimal("10500.50"))
    assert row(rows, "Health", "Third-party arrangement")["budgets"] == 0


def test_budgets_in_place_by_kind(three_budgets, caseworker):
    kinds = {r["kind"]: r["budgets"] for r in selectors.budgets_in_place_by_kind()}
    assert kinds == {
        "Direct payments only": 0,
        "Arrangements managed by the council, school or college only": 1,
        "Third-party arrangements only": 0,
        "A combination": 1,
    }
    # Stopped direct payments are no longer in place: the mixed budget becomes arrangements only.
    agreed, _ = three_budgets
    services.direct_payments_stop(
        budget=agreed,
        decided_on=TODAY,
        takes_effect_on=TODAY,
        ground="consent_withdrawn",
        reasons="Consent withdrawn.",
        acting_user=caseworker,
    )
    kinds = {r["kind"]: r["budgets"] for r in selectors.budgets_in_place_by_kind()}
    assert kinds["A combination"] == 0
    assert kinds["Arrangements managed by the council, school or college only"] == 2
    dp = row(selectors.budgets_in_place_by_mechanism_and_domain(), "Education", "Direct payment")
    assert dp["budgets"] == 0


def test_figures_filter_by_team(three_budgets, other_team):
    assert all(r["budgets"] == 0 for r in selectors.budgets_in_place_by_kind(team_id=other_team.pk))


def test_requests_by_status(three_budgets):
    by_status = {r["status"]: r for r in selectors.requests_by_status()}
    assert by_status["Agreed"]["draft"] == 2
    assert by_status["Requested: the council is preparing it"]["total"] == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_managers_page_and_csv(client, manager, caseworker, make_case, three_budgets):
    url = reverse("personal_budgets:figures")
    client.force_login(caseworker)
    assert client.get(url).status_code == 403  # managers only
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert "Budgets in place, by domain and mechanism" in page and "£10,500.50" in page
    dashboards = client.get(reverse("dashboards:at_risk")).content.decode()
    assert url in dashboards  # linked from the dashboards' navigation

    response = client.get(url + "?format=csv&table=by_mechanism_and_domain")
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["Domain", "Mechanism", "Budgets", "Parts", "Amount a year (GBP)"]
    assert ["Education", "Direct payment", "1", "1", "3120.00"] in lines
    kinds = list(
        csv.reader(io.StringIO(client.get(url + "?format=csv&table=by_kind").content.decode()))
    )
    assert ["A combination", "1"] in kinds

    # A fixed number of queries, however many budgets there are.
    few = _queries(client, url)
    for _ in range(3):
        budget = ask(drafting_case(make_case, caseworker), caseworker)
        agree_mixed(budget, caseworker)
    assert _queries(client, url) == few


def test_the_first_review_deadline_reaches_the_alert_sweep(agreed, caseworker):
    """PB13 rows are ordinary deadlines: a rule covering PB13 alerts the caseworker."""
    from notifications.models import AlertRule, Notification
    from notifications.services import deadlines_sweep
    from tests.notifications.conftest import morning

    AlertRule.objects.all().delete()
    rule = AlertRule(
        name="DP reviews",
        trigger="due_soon",
        audience="caseworker",
        working_days_before=10,
        deadline_kinds=["PB13"],
    )
    rule.full_clean()
    rule.save()
    deadlines_sweep(now=morning(date(2027, 2, 3)))
    sent = Notification.objects.filter(deadline__kind="PB13")
    assert sent.exists()
    assert {n.deadline.subject_key for n in sent} == {f"budget:{agreed.pk}"}
