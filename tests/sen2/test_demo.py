"""Done when: for the demo data, the export writes a well-formed file whose counts match the
summary page and the timeliness dashboard, the checks list the deliberate errors by rule, and
fixing one record through its page removes its error."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from ehc import demo
from ehc.models import Child
from sen2.checks import run_checks
from sen2.collection import collection_for
from sen2.demo import DELIBERATE_ERRORS
from sen2.models import NeedType, PersonProfile, Placement, PlanDetail, RequestDetail
from tests.sen2.conftest import TODAY, error_summary, rendered_form

pytestmark = pytest.mark.django_db


def csv_table(client, table: str, **params) -> list[list[str]]:
    response = client.get(
        reverse("sen2:return"), {"year": "2027", "format": "csv", "table": table, **params}
    )
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_demo_return(client, manager, tmp_path):
    demo.seed_cases(300, today=TODAY)
    # Every item is filled somewhere in the demo data.
    assert PersonProfile.objects.exclude(uln="").exists()
    assert PersonProfile.objects.exclude(upn_unknown="").exists()
    assert Child.objects.exclude(upn="").exists()
    assert RequestDetail.objects.filter(request_mediation=True).exists()
    assert NeedType.objects.filter(rank=3).exists()
    assert (
        Placement.objects.exclude(sen_setting="").exists()
        and Placement.objects.filter(rank=2).exists()
    )
    assert PlanDetail.objects.exclude(cease_reason="").exists()
    assert PlanDetail.objects.filter(review_decided_on__isnull=False).exists()

    out = tmp_path / "sen2.xml"
    call_command("sen2_export", "--year", "2027", "--output", str(out), stdout=io.StringIO())
    root = ET.parse(out).getroot()  # well formed

    client.force_login(manager)
    overview = {row[0]: row[1] for row in csv_table(client, "overview")[1:]}
    assert int(overview["People in the return"]) == len(root.findall("Persons/Person"))
    assert int(overview["Requests in the return"]) == len(list(root.iter("Request")))
    assert int(overview["Assessments in the return"]) == len(list(root.iter("Assessment")))
    assert int(overview["Plans active on census day"]) == len(list(root.iter("ActivePlans")))
    period = collection_for(2027)
    issued_in_file = [
        a
        for a in root.iter("Assessment")
        if a.findtext("AssessmentOutcome") == "Y"
        and period.period_start
        <= date.fromisoformat(a.findtext("AssessmentOutcomeDate"))
        <= period.period_end
    ]
    assert int(overview["Plans issued in the year"]) == len(issued_in_file) > 0

    # The timeliness dashboard for calendar 2026 counts the same plans.
    board = client.get(
        reverse("dashboards:timeliness"),
        {"year": "2026", "format": "csv", "table": "timeliness_20_weeks"},
    )
    rows = list(csv.reader(io.StringIO(board.content.decode())))
    year_row = next(r for r in rows if r[0] == "Calendar year 2026")
    assert int(year_row[1]) == int(overview["Plans issued in the year"])
    assert int(year_row[2]) == int(overview["Issued within 20 weeks (including exceptions)"])
    assert int(year_row[4]) == int(overview["Plans issued with no exception"])
    assert int(year_row[5]) == int(overview["Issued within 20 weeks (excluding exceptions)"])

    # The checks find each deliberate error, by rule, on the manager's page.
    report = run_checks(collection_for(2027))
    for rule_id in DELIBERATE_ERRORS:
        assert report.result(rule_id).count >= 1, rule_id
    assert report.result("T01").count == 0
    page = client.get(reverse("sen2:return"), {"year": "2027"}).content.decode()
    for rule_id in DELIBERATE_ERRORS:
        assert f'id="rule-{rule_id}"' in page

    # Fix the person with no sex recorded, through the page the flag links to.
    [flag] = report.result("R01").flags
    form = rendered_form(client.get(flag.fix_url))
    shown = {name: f for name, f in form.fields.items()}
    values = {"sex": "F"}
    for name in ("ethnicity", "postcode", "upn", "uln", "upn_unknown"):
        values[name] = shown[name].value if shown[name].kind == "text" else ""
    profile = PersonProfile.objects.get(sex="")
    values["ethnicity"] = profile.ethnicity
    values["upn_unknown"] = profile.upn_unknown
    response = client.post(flag.fix_url, form.fill(values))
    assert response.status_code == 302, error_summary(response)
    after = run_checks(collection_for(2027))
    assert after.result("R01").count == 0
    assert after.errors == report.errors - 1
