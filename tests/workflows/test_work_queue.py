"""The one work queue: every flow's tasks, each sorted by its own statutory date, in a fixed
number of queries, scoped to the user's teams."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task

from conversions.flows import TransferReviewFlow, transfer_review_begin
from conversions.models import LegacyInstrument
from conversions.services import legacy_import_csv, transfer_notice_record
from disagreements.flows import DisagreementFlow, disagreement_start
from disagreements.models import Disagreement
from disagreements.services.mediation import adviser_contact_record, mediation_request_record
from ehc.models import Deadline
from personal_budgets.flows import PersonalBudgetFlow, budget_request_submit
from personal_budgets.models import PersonalBudget
from tests.conftest import london
from tests.conversions.conftest import csv_bytes, row
from tests.personal_budgets.conftest import drafting_case
from workflows.flows import EHCNeedsAssessmentFlow
from workflows.models import QueueEntry
from workflows.queue import queue_entries_backfill

pytestmark = pytest.mark.django_db


def _entry(flow_class, node_name: str) -> QueueEntry:
    task = Task.objects.get(
        process__flow_class=flow_class,
        flow_task=getattr(flow_class, node_name),
        status__in=["NEW", "ASSIGNED"],
    )
    return QueueEntry.objects.get(task=task)


class _Rows(HTMLParser):
    """Each body row's links: [(href, text), ...] per row, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[list[str]]] = []
        self.in_body, self.link = False, None

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append([])
        elif tag == "a" and self.in_body:
            self.link = [dict(attrs)["href"], ""]
            self.rows[-1].append(self.link)

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "a":
            self.link = None

    def handle_data(self, data):
        if self.link is not None:
            self.link[1] += data.strip()


def _queue_rows(client, scope: str = "all") -> list[tuple[str, str, str]]:
    """(task link, child link, task title) for each row, top to bottom."""
    page = client.get(reverse("workflows:queue") + f"?scope={scope}")
    assert page.status_code == 200
    parser = _Rows()
    parser.feed(page.content.decode())
    return [(links[1][0], links[0][0], links[1][1]) for links in parser.rows]


@pytest.fixture
def every_kind(register, make_case, caseworker, manager, team):
    """One open task of each kind of flow, each with a different own date."""
    assessment = register(received=london(2026, 10, 1))  # A2 due 12 Nov 2026

    drafting = drafting_case(make_case, caseworker)
    budget = budget_request_submit(
        case=drafting,
        context=PersonalBudget.Context.DRAFT,
        requested_on=date(2026, 10, 30),
        requested_by=PersonalBudget.Requester.PARENT,
        source=PersonalBudget.Source.CASEWORKER,
        acting_user=caseworker,
    )

    disputed = make_case(received_on=date(2026, 6, 1), first_name="Dee")
    disagreement = disagreement_start(
        case=disputed,
        opened_on=date(2026, 10, 20),
        decision=Disagreement.Decision.REFUSAL_TO_ASSESS,
        decision_sent_on=date(2026, 10, 12),
        acting_user=caseworker,
    )

    legacy_import_csv(
        content=csv_bytes([row()]),
        filename="legacy.csv",
        acting_user=manager,
        today=date(2026, 11, 2),
    )
    review = transfer_review_begin(
        instrument=LegacyInstrument.objects.get(), team=team, acting_user=manager
    )
    return {
        "assessment": assessment,
        "drafting": drafting,
        "budget": budget,
        "disagreement": disagreement,
        "review": review,
    }


def test_each_kind_of_task_carries_its_own_date(every_kind, caseworker):
    d = every_kind
    a2 = d["assessment"].deadlines.get(kind="A2")
    assert _entry(EHCNeedsAssessmentFlow, "notify_considering").due_on == a2.due_on
    # A budget asked for while the plan is drafted works to the final plan, not to A2.
    a13 = d["drafting"].deadlines.get(kind="A13")
    budget_entry = _entry(PersonalBudgetFlow, "prepare_budget")
    assert (budget_entry.due_on, budget_entry.deadline_id) == (a13.due_on, a13.pk)
    # No disagreement clock runs yet: no date, last in the queue.
    assert _entry(DisagreementFlow, "mediation").due_on is None
    # A transfer review with no start planned has no plan date yet.
    assert _entry(TransferReviewFlow, "give_notice").due_on is None


def test_dates_move_with_the_clocks(every_kind, caseworker, manager):
    d = every_kind
    disagreement = d["disagreement"]
    adviser_contact_record(
        disagreement=disagreement,
        contacted_on=date(2026, 10, 21),
        choice=Disagreement.Choice.MEDIATION,
        acting_user=caseworker,
    )
    mediation_request_record(
        disagreement=disagreement,
        la_informed_on=date(2026, 10, 22),
        issues="The school named.",
        health_issues="",
        acting_user=caseworker,
    )
    m5 = Deadline.objects.get(case=disagreement.case, kind="M5")
    entry = _entry(DisagreementFlow, "mediation")
    assert (entry.due_on, entry.deadline_id) == (m5.due_on, m5.pk)

    review = d["review"]
    transfer_notice_record(
        review=review,
        notice_given_on=date(2026, 10, 30),
        planned_start_on=date(2026, 11, 20),
        acting_user=manager,
    )
    review.refresh_from_db()
    assert review.plan_due_on is not None
    assert _entry(TransferReviewFlow, "give_notice").due_on == review.plan_due_on


def test_the_queue_lists_every_kind_nearest_own_date_first(every_kind, client, manager, team):
    d = every_kind
    adviser_contact_record(
        disagreement=d["disagreement"],
        contacted_on=date(2026, 10, 21),
        choice=Disagreement.Choice.MEDIATION,
        acting_user=manager,
    )
    mediation_request_record(
        disagreement=d["disagreement"],
        la_informed_on=date(2026, 10, 22),
        issues="The school named.",
        health_issues="",
        acting_user=manager,
    )
    client.force_login(manager)
    rows = _queue_rows(client)
    entries = list(
        QueueEntry.objects.filter(is_open=True)
        .order_by(F("due_on").asc(nulls_last=True), "task_id")
        .values_list("task_id", "due_on")
    )
    dated = [due for _, due in entries if due is not None]
    assert dated == sorted(dated) and len(rows) == len(entries)
    # Undated tasks come last.
    assert [due for _, due in entries][len(dated) :] == [None] * (len(entries) - len(dated))
    titles = [title for _, _, title in rows]
    for title in (
        "Tell the relevant people (A4)",
        "Prepare the personal budget (PB1)",
        "Mediation and the certificate (M2-M7)",
        "Give notice of the transfer review (T7)",
    ):
        assert title in titles
    # The transfer review's task is about the review, not a case: its own pages.
    review = d["review"]
    task_href, child_href, _ = rows[titles.index("Give notice of the transfer review (T7)")]
    assert child_href == reverse("conversions:review_detail", args=[review.pk])
    assert task_href.startswith(reverse("conversions:review_detail", args=[review.pk]) + "tasks/")
    assert client.get(task_href).status_code == 200
    # Top to bottom by each task's own date: A2 of 12 Nov before M5 (30 days from 22 Oct).
    assert titles.index("Tell the relevant people (A4)") < titles.index(
        "Mediation and the certificate (M2-M7)"
    )
    shown = [
        QueueEntry.objects.get(task_id=int(href.rstrip("/").split("/")[-1])).due_on
        for href, _, _ in rows
    ]
    assert [s for s in shown if s] == sorted(s for s in shown if s)


@pytest.mark.parametrize("scope", ["mine", "team", "all"])
def test_the_queue_takes_a_fixed_number_of_queries_with_every_kind(
    register, make_case, client, caseworker, manager, team, scope
):
    team.members.add(manager)
    client.force_login(manager if scope == "all" else caseworker)
    url = reverse("workflows:queue") + f"?scope={scope}"
    legacy_import_csv(
        content=csv_bytes([row(reference=f"ST-{i}") for i in range(6)]),
        filename="legacy.csv",
        acting_user=manager,
        today=date(2026, 11, 2),
    )
    instruments = list(LegacyInstrument.objects.order_by("pk"))

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            register(received=london(2026, 3, i + 1))
            case = make_case(received_on=date(2026, 6, i + 1), first_name=f"D{i}")
            disagreement_start(
                case=case,
                opened_on=date(2026, 10, 20),
                decision=Disagreement.Decision.REFUSAL_TO_ASSESS,
                decision_sent_on=date(2026, 10, 12),
                acting_user=caseworker,
            )
            transfer_review_begin(
                instrument=instruments[i],
                team=team,
                acting_user=caseworker if scope == "mine" else manager,
            )

    add(1, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(5, 1)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200
    assert len(many) == len(few)
    if scope != "team":  # the reviews' tasks go to whoever opened them
        assert b"Give notice of the transfer review" in page.content


def test_team_scope_shows_only_my_teams_unassigned_tasks(
    register, make_case, client, caseworker, other_caseworker, other_team, manager
):
    mine = register(received=london(2026, 3, 2))
    theirs = register(received=london(2026, 3, 3), team_=other_team)
    legacy_import_csv(
        content=csv_bytes([row(reference="ST-A"), row(reference="ST-B")]),
        filename="legacy.csv",
        acting_user=manager,
        today=date(2026, 11, 2),
    )
    a, b = LegacyInstrument.objects.order_by("reference")
    transfer_review_begin(instrument=a, team=other_team, acting_user=manager)
    Task.objects.update(owner=None, status="NEW")  # as if nobody had taken them yet
    QueueEntry.objects.update(owner=None)
    client.force_login(caseworker)
    page = client.get(reverse("workflows:queue") + "?scope=team").content.decode()
    assert mine.reference in page
    assert theirs.reference not in page
    assert "ST-A" not in page  # another team's transfer review
    client.force_login(other_caseworker)
    page = client.get(reverse("workflows:queue") + "?scope=team").content.decode()
    assert theirs.reference in page and "ST-A" in page and mine.reference not in page
    # 'all' is for managers: a caseworker asking for it gets their own tasks.
    page = client.get(reverse("workflows:queue") + "?scope=all").content.decode()
    assert mine.reference not in page


def test_taking_and_finishing_a_task_moves_its_entry(register, client, caseworker):
    case = register(received=london(2026, 3, 2))
    task = Task.objects.get(
        process__artifact_object_id=case.pk, flow_task=EHCNeedsAssessmentFlow.notify_considering
    )
    entry = QueueEntry.objects.get(task=task)
    assert entry.is_open and entry.owner_id is None
    client.force_login(caseworker)
    take = reverse("workflows:task_action", args=[case.pk, task.pk, "take"])
    assert client.post(take).status_code == 302
    entry.refresh_from_db()
    assert entry.owner_id == caseworker.pk and entry.is_open
    release = reverse("workflows:task_action", args=[case.pk, task.pk, "release"])
    assert client.post(release).status_code == 302
    entry.refresh_from_db()
    assert entry.owner_id is None and entry.is_open
    EHCNeedsAssessmentFlow.instance.cancel(task.process)
    entry.refresh_from_db()
    assert not entry.is_open


def test_open_tasks_without_an_entry_get_one_after_migrate(every_kind):
    before = dict(QueueEntry.objects.values_list("task_id", "due_on"))
    QueueEntry.objects.all().delete()
    assert queue_entries_backfill() == len(before)
    assert dict(QueueEntry.objects.values_list("task_id", "due_on")) == before
    assert queue_entries_backfill() == 0


def test_the_queue_pages_through_every_task_once_in_date_order(register, client, caseworker):
    """The page's task ids come from the index before the rows are joined: page 2 goes on where
    page 1 stopped, nothing twice, nothing missed, and a page out of range shows the last."""
    cases = [register(received=london(2026, 1, 5) + timedelta(days=n)) for n in range(30)]
    Task.objects.update(owner=None, status="NEW")  # all in the team's queue
    QueueEntry.objects.update(owner=None)
    open_ids = set(QueueEntry.objects.filter(is_open=True).values_list("task_id", flat=True))
    assert len(open_ids) > 25
    client.force_login(caseworker)
    url = reverse("workflows:queue") + "?scope=team&page="
    first, second = (client.get(url + str(n)).content.decode() for n in (1, 2))
    task_ids = [
        [int(i) for i in re.findall(r'href="/staff/cases/\d+/tasks/(\d+)/"', page)]
        for page in (first, second)
    ]
    assert len(set(task_ids[0])) == 25
    assert not set(task_ids[0]) & set(task_ids[1])
    assert set(task_ids[0]) | set(task_ids[1]) == open_ids
    # Nearest date first across the two pages: the earliest request's case leads page 1 and
    # the latest's is on page 2.
    assert first.index(cases[0].reference) < first.index(cases[1].reference)
    assert cases[-1].reference in second and cases[-1].reference not in first
    assert client.get(url + "999").content.decode().count("/tasks/") == second.count("/tasks/")
    assert client.get(url + "abc").status_code == 200
