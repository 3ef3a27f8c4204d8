"""Small things a person noticed on the pages: each checked on the page itself."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ehc.models import Deadline, Notice
from ehc.templatetags.ehc_tags import in_sentence
from tests.pages.walker import read_page
from tests.personal_budgets.conftest import drafting_case

pytestmark = pytest.mark.django_db


def test_labels_inside_sentences_keep_their_acronyms():
    assert in_sentence("Final EHC plan") == "final EHC plan"
    assert in_sentence("Decision not to issue an EHC plan") == "decision not to issue an EHC plan"
    assert in_sentence("Online form") == "online form"


def test_the_family_disagree_page_writes_ehc_in_capitals(
    client, make_case, caseworker, parent_user
):
    from tests.personal_budgets.conftest import plan_issued_case

    case = plan_issued_case(make_case, caseworker, parent_user)
    assert Notice.objects.filter(case=case, kind=Notice.Kind.FINAL_PLAN).exists()
    client.force_login(parent_user)
    body = client.get(f"/my-cases/{case.pk}/if-you-disagree/").content.decode()
    assert "final EHC plan" in body
    assert "ehc plan" not in body


def test_time_received_is_a_govuk_input(client, caseworker):
    client.force_login(caseworker)
    page = read_page("/staff/cases/new/", client.get("/staff/cases/new/").content.decode())
    form = next(f for f in page.forms if "received_time" in f.names)
    box = next(c for c in form.controls if c.name == "received_time")
    assert "govuk-input" in box.classes.split()


def test_after_deciding_to_issue_the_family_sees_that_decision_not_a_refusal_met(
    client, make_case, caseworker, parent_user
):
    case = drafting_case(make_case, caseworker, parent_user)
    a7 = Deadline.objects.get(case=case, kind="A7")
    assert a7.status == Deadline.Status.MET
    assert "decided to issue" in a7.title
    client.force_login(parent_user)
    body = " ".join(client.get(f"/my-cases/{case.pk}/").content.decode().split())
    assert "Decision not to issue" not in body
    assert "we decided to issue one" in body
    # The staff case page says the same.
    client.force_login(caseworker)
    staff = " ".join(client.get(f"/staff/cases/{case.pk}/").content.decode().split())
    assert "Decision not to issue a plan after assessment" not in staff
    assert timezone.localdate() - timedelta(days=60) == a7.met_on
