"""The workflow tells the family as it records what they wait for, not only at the next sweep."""

from datetime import date

import pytest
import time_machine
from django.core import mail

from ehc.models import CaseEvent
from notifications import tasks
from notifications.models import Notification
from notifications.services import deadlines_sweep, notification_deliver
from notifications.services.sweep import EVENT_SETTLE_TIME
from tests.conftest import london
from tests.workflows.conftest import date_fields

pytestmark = pytest.mark.django_db

ADVISERS = ["parent", "educational", "medical", "psychological", "social_care"]


@pytest.fixture
def delivered(monkeypatch):
    """Deliveries run when their transaction commits, as a Celery worker would; the outbox."""
    mail.outbox = []
    monkeypatch.setattr(
        tasks.notification_deliver, "delay", lambda pk: notification_deliver(notification_id=pk)
    )
    return mail.outbox


NEWS = (
    "The council has decided to carry out an EHC needs assessment.",
    "A draft EHC plan has been sent to you.",
    "The final EHC plan has been issued.",
)


def family_emails(outbox) -> list[tuple[str, str]]:
    """(to, the news) for each email, the news as the family reads it."""
    return [(m.to[0], news) for m in outbox for news in NEWS if news in " ".join(m.body.split())]


def test_decision_draft_and_final_plan_each_email_the_family_once(
    register, walker_for, delivered, django_capture_on_commit_callbacks
):
    case = register(received=london(2026, 9, 25))
    walk = walker_for(case)
    walk.post(
        "notify_considering",
        {**date_fields("notified_on", date(2026, 9, 27)), "recipients": "ICB, head teacher"},
    )
    with django_capture_on_commit_callbacks(execute=True):  # the page's transaction commits
        walk.post(
            "decide_to_assess", {"decision": "yes", **date_fields("decided_on", date(2026, 10, 6))}
        )
    assert family_emails(delivered) == [("ann@example.com", NEWS[0])]
    for adviser in ADVISERS:
        walk.post(
            f"advice_{adviser}",
            {**date_fields("asked_on", date(2026, 10, 7)), "adviser_name": f"{adviser} service"},
        )
        walk.post(
            f"advice_{adviser}",
            {"action": "received", **date_fields("on", date(2026, 10, 8)), "summary": "Attached"},
        )
    walk.post(
        "decide_to_issue", {"decision": "yes", **date_fields("decided_on", date(2026, 10, 9))}
    )
    walk.post("draft_plan", {"section_a": "Loves trains", "section_f": "Weekly teaching"})
    with django_capture_on_commit_callbacks(execute=True):
        walk.post("serve_draft", date_fields("served_on", date(2026, 10, 12)))
    assert family_emails(delivered)[1:] == [("ann@example.com", NEWS[1])]
    walk.post("consult_settings", {"action": "done"})
    with django_capture_on_commit_callbacks(execute=True):
        walk.post(
            "issue_final_plan",
            {**date_fields("issued_on", date(2026, 10, 28)), "setting_type": "Mainstream primary"},
        )

    told = Notification.objects.filter(reason=Notification.Reason.FAMILY)
    assert sorted(told.values_list("event__kind", flat=True)) == sorted(
        [
            CaseEvent.Kind.DECIDED_TO_ASSESS,
            CaseEvent.Kind.DRAFT_SERVED,
            CaseEvent.Kind.FINAL_PLAN_ISSUED,
        ]
    )
    assert set(told.values_list("status", flat=True)) == {Notification.Status.SENT}
    assert family_emails(delivered) == [("ann@example.com", news) for news in NEWS]

    # The sweep, once the events have settled, finds nothing left to tell.
    with time_machine.travel(london(2026, 11, 2, 12) + EVENT_SETTLE_TIME, tick=False):
        assert deadlines_sweep().created == 0
    assert len(delivered) == 3 and told.count() == 3
