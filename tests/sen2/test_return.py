"""The return for a year: who is in it, every module's items, the streamed file (never a half
file), a fixed number of queries, and a summary that agrees with the file and the dashboard."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import selectors as dashboards
from ehc.services import case_event_record
from sen2 import services
from sen2.collection import collection_for
from sen2.export import export_to_path, write_return
from sen2.selectors import return_people, return_summary
from tests.conftest import london

pytestmark = pytest.mark.django_db


def fill_items(case, caseworker, school, *, needs=("ASD", "SLCN"), entry=None, plan=None):
    services.person_profile_save(
        child=case.child,
        items=services.PersonItems(
            sex="F", ethnicity="WBRI", postcode="ne1 4st", upn="H801200001001"
        ),
        acting_user=caseworker,
    )
    services.request_detail_save(
        case=case,
        items=services.RequestItems(request_source="PA", request_mediation=True),
        acting_user=caseworker,
    )
    services.need_types_save(case=case, ranked=list(needs), acting_user=caseworker)
    services.placement_save(
        case=case,
        items=services.PlacementItems(
            setting=school, sen_setting="", rank=1, entry_date=entry or date(2026, 5, 1)
        ),
        acting_user=caseworker,
    )
    services.plan_detail_save(
        case=case, items=plan or services.PlanItems(personal_budget=True), acting_user=caseworker
    )


@pytest.fixture
def year_cases(issue_plan, make_case, caseworker, school):
    """Five cases around the 2027 collection (period 2026, census 21 January 2027)."""
    on_time = issue_plan(date(2026, 1, 5), 18, first_name="Ada", last_name="Byron")
    fill_items(on_time, caseworker, school)
    late_excused = issue_plan(date(2026, 2, 2), 24, excuse=True, first_name="Bo", last_name="Chen")
    refused = make_case(received_at=london(2026, 3, 2), first_name="Cy", last_name="Dunn")
    case_event_record(
        case=refused,
        kind="decided_not_to_assess",
        occurred_on=date(2026, 4, 6),
        acting_user=caseworker,
    )
    older = issue_plan(date(2025, 3, 3), 19, first_name="Di", last_name="Eze")  # active on census
    ceased_2025 = issue_plan(date(2025, 1, 6), 19, first_name="Ed", last_name="Fox")
    services.plan_detail_save(
        case=ceased_2025,
        items=services.PlanItems(cease_date=date(2025, 12, 1), cease_reason="7"),
        acting_user=caseworker,
    )
    return {
        "on_time": on_time,
        "late_excused": late_excused,
        "refused": refused,
        "older": older,
        "ceased_2025": ceased_2025,
    }


def export(tmp_path, year=2027) -> ET.Element:
    path = tmp_path / "sen2.xml"
    export_to_path(path, collection_for(year))
    return ET.parse(path).getroot()


def test_who_is_in_the_return(year_cases, tmp_path):
    root = export(tmp_path)
    names = sorted(p.findtext("Forename") for p in root.iter("Person"))
    # A plan that ceased before the period began is not in the return.
    assert names == ["Ada", "Bo", "Cy", "Di"]


def test_every_module_in_the_specs_structure(year_cases, tmp_path):
    root = export(tmp_path)
    header = root.find("Header/CollectionDetails")
    assert header.findtext("Year") == "2027" and header.findtext("ReferenceDate") == "2027-01-21"
    ada = next(p for p in root.iter("Person") if p.findtext("Forename") == "Ada")
    assert ada.findtext("Surname") == "Byron" and ada.findtext("Sex") == "F"
    assert ada.findtext("UPN") == "H801200001001" and ada.findtext("Postcode") == "NE1 4ST"
    request = ada.find("Requests/Request")
    assert request.findtext("ReceivedDate") == "2026-01-05"
    assert request.findtext("RequestSource") == "PA"
    assert request.findtext("RequestOutcome") == "A"
    assert request.findtext("RequestOutcomeDate") == "2026-02-04"
    assert request.findtext("RequestMediation") == "1"
    assessment = request.find("Assessment")
    assert assessment.findtext("AssessmentOutcome") == "Y"
    assert assessment.findtext("AssessmentOutcomeDate") == "2026-05-11"
    assert assessment.findtext("Week20") == "0"
    plan = request.find("NamedPlan")
    assert plan.findtext("StartDate") == "2026-05-11" and plan.findtext("PB") == "1"
    assert plan.findtext("PlanDetail/URN") == "123456"
    active = request.find("ActivePlans")
    assert active.findtext("PlacementDetail/URN") == "123456"
    assert active.findtext("PlacementDetail/EntryDate") == "2026-05-01"
    needs = [(n.findtext("SENtype"), n.findtext("SENtypeRank")) for n in active.iter("SENneed")]
    assert needs == [("ASD", "1"), ("SLCN", "2")]
    bo = next(p for p in root.iter("Person") if p.findtext("Forename") == "Bo")
    assert bo.findtext("Requests/Request/Assessment/Week20") == "1"
    cy = next(p for p in root.iter("Person") if p.findtext("Forename") == "Cy")
    assert cy.findtext("Requests/Request/RequestOutcome") == "N"
    assert cy.find("Requests/Request/Assessment") is None


def test_the_summary_counts_what_the_file_holds_and_agrees_with_the_dashboard(year_cases, tmp_path):
    root = export(tmp_path)
    summary = return_summary(collection_for(2027))
    assert summary.people == len(root.findall("Persons/Person")) == 4
    assert summary.requests_in_return == len(list(root.iter("Request")))
    assert summary.assessments_in_return == len(list(root.iter("Assessment")))
    assert summary.active_plans == len(list(root.iter("ActivePlans"))) == 3
    assert summary.requests_received == 3  # Ada, Bo, Cy in 2026
    assert summary.request_outcomes == {"A": 2, "N": 1}
    board = dashboards.timeliness(
        kind="A13", start=date(2026, 1, 1), end=date(2026, 12, 31), label=""
    )
    assert (summary.plans_issued, summary.plans_within) == (board.issued, board.within) == (2, 1)
    assert (
        (summary.plans_issued_no_exception, summary.plans_within_no_exception)
        == (
            board.issued_ex,
            board.within_ex,
        )
        == (1, 1)
    )
    assert summary.active_by_need == {"ASD": 1, "None recorded": 2}
    assert summary.active_by_setting["School (URN): Special"] == 1
    last = return_summary(collection_for(2026))
    assert last.ceased_by_reason == {"7": 1}  # Ed's plan ceased in 2025


def test_a_failed_export_leaves_no_half_file(year_cases, tmp_path):
    path = tmp_path / "sen2.xml"
    path.write_text("the previous file")

    def breaks_half_way(out, collection):
        out.write("<Message><Persons>")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        export_to_path(path, collection_for(2027), writer=breaks_half_way)
    assert path.read_text() == "the previous file"
    assert [p.name for p in tmp_path.iterdir()] == ["sen2.xml"]


def test_the_export_runs_a_fixed_number_of_queries(issue_plan, caseworker, school, tmp_path):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export_to_path(tmp_path / "sen2.xml", collection_for(2027))
        return len(captured)

    fill_items(issue_plan(date(2026, 1, 5), 18, first_name="A"), caseworker, school)
    few = queries()
    for n in range(6):
        fill_items(issue_plan(date(2026, 2, 2 + n), 19, first_name=f"B{n}"), caseworker, school)
    assert queries() == few


def test_people_are_streamed_one_at_a_time(year_cases):
    people = return_people(collection_for(2027))
    first = next(people)
    assert first.requests  # a generator: nothing else has been built yet
    assert len(list(people)) == 3


def test_the_command_writes_a_draft_and_refuses_a_final_while_errors_remain(year_cases, tmp_path):
    out = tmp_path / "draft.xml"
    call_command("sen2_export", "--year", "2027", "--output", str(out))
    ET.parse(out)  # well formed
    # Bo, Cy and Di have no sex, ethnicity or request source recorded: errors.
    with pytest.raises(CommandError, match="errors remain"):
        call_command(
            "sen2_export", "--year", "2027", "--output", str(tmp_path / "final.xml"), "--final"
        )
    assert not (tmp_path / "final.xml").exists()


def test_the_command_says_clearly_when_a_year_has_no_census_date(tmp_path, settings):
    settings.SEN2_YEARS_DIR = tmp_path
    (tmp_path / "2031").mkdir()
    (tmp_path / "2031" / "collection.toml").write_text("year = 2031\n")
    with pytest.raises(CommandError, match="no census date configured"):
        call_command("sen2_export", "--year", "2031", "--output", str(tmp_path / "x.xml"))
    with pytest.raises(CommandError, match="no SEN2 collection 2032"):
        call_command("sen2_export", "--year", "2032", "--output", str(tmp_path / "x.xml"))
    assert not (tmp_path / "x.xml").exists()


def test_write_return_takes_any_stream_of_people(tmp_path):
    import io

    out = io.StringIO()
    counts = write_return(out, collection_for(2027), iter([]))
    assert counts.people == 0 and "<Persons/>" in out.getvalue()


def test_the_checks_run_a_fixed_number_of_queries(issue_plan, caseworker, school):
    """However many records a rule flags (here possible duplicates), the checks ask the same."""
    from sen2.checks import run_checks

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            run_checks(collection_for(2027))
        return len(captured)

    for n in range(2):
        issue_plan(date(2026, 1, 5 + n), 18, first_name="Twin", last_name="Once")
    few = queries()
    for n in range(4):
        for _ in range(2):
            issue_plan(date(2026, 2, 2 + n), 19, first_name=f"Twin{n}", last_name="Again")
    assert run_checks(collection_for(2027)).result("M01").count == 5
    assert queries() == few
