"""Each rule flags the record that breaks it, with a link to fix it, and not a good record; bad
data is reported by a rule, never a crash."""

from datetime import date

import pytest

from ehc.models import CaseEvent, Deadline
from sen2 import services
from sen2.checks import RULES, run_checks
from sen2.collection import Collection, collection_for
from sen2.models import NeedType, PersonProfile, Placement, PlanDetail
from tests.sen2.test_return import fill_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def good(issue_plan, caseworker, school):
    case = issue_plan(date(2026, 1, 5), 18, first_name="Ada", last_name="Byron")
    fill_items(case, caseworker, school)
    return case


def flagged(rule_id: str, year: int = 2027) -> list:
    return run_checks(collection_for(year)).result(rule_id).flags


def test_a_fully_recorded_case_passes_every_rule(good):
    report = run_checks(collection_for(2027))
    assert report.errors == 0 and report.warnings == 0, [
        (r.rule.id, r.flags) for r in report.flagged
    ]


def test_every_rule_has_an_id_message_and_severity():
    assert {
        "Y01",
        "R01",
        "R02",
        "R03",
        "R04",
        "D01",
        "D02",
        "D03",
        "A01",
        "N01",
        "P01",
        "P02",
        "C01",
        "U01",
        "U02",
        "M01",
        "T01",
    } <= set(RULES)
    for rule in RULES.values():
        assert rule.message and rule.severity in ("error", "warning")
        assert (rule.person is None) != (rule.query is None)


def test_required_person_items(good):
    PersonProfile.objects.filter(child=good.child).update(sex="", ethnicity="")
    [flag] = flagged("R01")
    assert flag.detail == "Missing: Sex, Ethnicity"
    assert flag.fix_url == f"/staff/sen2/cases/{good.pk}/person/"


def test_a_upn_or_the_reason_there_is_none(good):
    good.child.upn = ""
    good.child.save()
    assert len(flagged("R02")) == 1
    PersonProfile.objects.filter(child=good.child).update(upn_unknown="UN2")
    assert flagged("R02") == []


def test_request_source_required(good):
    good.sen2_request.request_source = ""
    good.sen2_request.save()
    [flag] = flagged("R03")
    assert "RequestSource" in flag.detail and flag.fix_url.endswith("#request")


def test_active_plans_need_needs_and_placements(good):
    NeedType.objects.filter(case=good).delete()
    Placement.objects.filter(case=good).delete()
    [flag] = flagged("R04")
    assert flag.detail == "Missing: SENneed, PlacementDetail"


def test_dates_out_of_order(good):
    CaseEvent.objects.filter(case=good, kind="decided_to_assess").update(
        occurred_on=date(2025, 12, 1)
    )
    [flag] = flagged("D01")
    assert "request decision (01 Dec 2025) is before the received" in flag.detail


def test_review_decision_before_meeting_and_late(good):
    PlanDetail.objects.filter(case=good).update(
        review_meeting_on=date(2026, 10, 1), review_decided_on=date(2026, 9, 20)
    )
    assert len(flagged("D02")) == 1
    PlanDetail.objects.filter(case=good).update(review_decided_on=date(2026, 10, 30))
    assert flagged("D02") == []
    [late] = flagged("D03")
    assert "due by 29 Oct 2026" in late.detail


def test_age_outside_0_to_25_on_the_received_date(good):
    good.child.date_of_birth = date(1999, 1, 1)
    good.child.save()
    [flag] = flagged("A01")
    assert "Aged 27" in flag.detail


def test_exactly_one_primary_need(good):
    NeedType.objects.create(case=good, sen_type="SEMH", rank=1)
    [flag] = flagged("N01")
    assert flag.detail == "2 needs ranked 1" and flag.fix_url.endswith("#needs")
    NeedType.objects.filter(case=good, rank=1).delete()
    assert flagged("N01")[0].detail == "0 needs ranked 1"


def test_a_placement_with_no_urn_ukprn_or_code(good):
    Placement.objects.filter(case=good).update(setting=None, sen_setting="")
    [flag] = flagged("P01")
    placement = Placement.objects.get(case=good)
    assert flag.fix_url == f"/staff/sen2/cases/{good.pk}/placements/{placement.pk}/"


def test_overlapping_placements_of_the_same_rank(good):
    Placement.objects.create(case=good, sen_setting="OLA", rank=1, entry_date=date(2026, 6, 1))
    [flag] = flagged("P02")
    assert "overlap from 01 Jun 2026" in flag.detail
    Placement.objects.filter(case=good, sen_setting="").update(leaving_date=date(2026, 5, 31))
    assert flagged("P02") == []
    Placement.objects.create(case=good, sen_setting="OPA", rank=2, entry_date=date(2026, 6, 1))
    assert flagged("P02") == []  # a dual placement of another rank is not an overlap


def test_cease_reason_for_ceased_plans_and_none_for_active_ones(good):
    PlanDetail.objects.filter(case=good).update(cease_date=date(2026, 10, 1), cease_reason="")
    assert "with no reason" in flagged("C01")[0].detail
    PlanDetail.objects.filter(case=good).update(cease_date=None, cease_reason="2")
    assert "no cease date" in flagged("C01")[0].detail


def test_unknown_codes_are_reported_not_crashed_on(good):
    NeedType.objects.filter(case=good, rank=2).update(sen_type="XYZ")
    PersonProfile.objects.filter(child=good.child).update(ethnicity="ZZZZ")
    details = sorted(f.detail for f in flagged("U01"))
    assert details == [
        "Ethnicity 'ZZZZ' is not a 2027 code",
        "SENtype 'XYZ' is not a 2027 code",
    ]


def test_a_upn_failing_its_check_letter(good):
    good.child.upn = "A801200001001"
    good.child.save()
    [flag] = flagged("U02")
    assert flag.detail == "UPN A801200001001 has check letter A, but its digits give H"


def test_possible_duplicate_people(good, make_case):
    make_case(first_name="ADA", last_name="byron", date_of_birth=good.child.date_of_birth)
    [flag] = flagged("M01")
    assert flag.detail == "2 records share this name and date of birth"
    assert run_checks(collection_for(2027)).result("M01").rule.severity == "warning"


def test_twenty_week_figures_must_agree_with_the_dashboard(good):
    assert flagged("T01") == []
    Deadline.objects.filter(case=good, kind="A13").delete()
    details = [f.detail for f in flagged("T01")]
    assert "The return counts 1 plans issued; the timeliness dashboard counts 0" in details
    assert "A final plan was issued but the case has no 20-week deadline (A13)" in details


def test_a_year_with_no_census_date_is_reported_by_a_rule(good):
    report = run_checks(
        Collection(year=2031, census_date=None, deadline=None, period_start=None, period_end=None)
    )
    [flag] = report.result("Y01").flags
    assert flag.detail == "The SEN2 collection 2031 has no census date configured."
    assert report.errors == 1


def test_rules_can_be_limited_to_some_years(good, monkeypatch):
    from sen2 import checks

    monkeypatch.setitem(
        checks.RULES,
        "X99",
        checks.Rule(
            id="X99",
            message="Only in 2026",
            severity="error",
            years=frozenset({2026}),
            person=lambda c, p: [checks.Flag("x", "y", "")],
        ),
    )
    assert "X99" not in [r.rule.id for r in run_checks(collection_for(2027)).results]
    assert "X99" in [r.rule.id for r in run_checks(collection_for(2026)).results]


def test_services_refuse_what_the_rules_would_flag(good, caseworker, school):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.placement_save(
            case=good,
            items=services.PlacementItems(
                setting=None, sen_setting="OLA", rank=1, entry_date=date(2026, 6, 1)
            ),
            acting_user=caseworker,
        )
    assert "overlaps the placement ranked 1" in str(error.value)
    with pytest.raises(ValidationError):
        services.need_types_save(case=good, ranked=["ASD", "ASD"], acting_user=caseworker)
    with pytest.raises(ValidationError):
        services.need_types_save(case=good, ranked=["XYZ"], acting_user=caseworker)
    assert list(NeedType.objects.filter(case=good).values_list("sen_type", flat=True)) == [
        "ASD",
        "SLCN",
    ]
    with pytest.raises(ValidationError):
        services.plan_detail_save(
            case=good,
            items=services.PlanItems(cease_date=date(2026, 10, 1)),
            acting_user=caseworker,
        )
    with pytest.raises(ValidationError):
        services.person_profile_save(
            child=good.child,
            items=services.PersonItems(sex="F", ethnicity="WBRI", upn="A801200001001"),
            acting_user=caseworker,
        )
    good.child.refresh_from_db()
    assert good.child.upn == "H801200001001"
