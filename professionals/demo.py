"""Demo organisations, members and advice requests in every state (``manage.py
seed_professionals_demo``; ``make run`` calls it). Everything is made through the services, on
cases of its own registered through the one entry point for new requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.status import STATUS

from ehc import roles
from ehc.demo import DEMO_PASSWORD
from ehc.models import Case, Setting, Team, User
from ehc.security.second_factor import demo_authenticator_add
from ehc.services import ChildDetails, ContactDetails, case_assign
from ehc.services.assessment import assessment_decision_record, considering_notified_record
from ehc.services.common import local_today
from professionals import flows, services
from professionals.models import AdviceRequest, Membership, Organisation
from workflows.flows import EHCNeedsAssessmentFlow
from workflows.services import assessment_process_for, case_close_with_flow, request_register

#: (username, what the login is) for the README and `make run`'s welcome.
DEMO_LOGINS = [
    ("eps.admin@example.org", "educational psychology service administrator"),
    ("psychologist@example.org", "educational psychologist (a member)"),
    ("senco@example.org", "school SENCO (and the school's administrator)"),
    ("health@example.org", "health provider (NHS trust) administrator"),
]
DEMO_CASE_SURNAME = "Demoadvice"

# A tiny PDF, enough for the demo document.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0"
    b">>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class DemoPeople:
    eps: Organisation
    health: Organisation
    social_care: Organisation
    private: Organisation
    school: Organisation
    eps_admin: User
    psychologist: User
    senco: User
    health_admin: User


def _member(username: str, full_name: str, organisation: Organisation, **flags) -> User:
    first, _, last = full_name.partition(" ")
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": username, "first_name": first, "last_name": last}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get(name=roles.PROFESSIONAL))
    Membership.objects.get_or_create(organisation=organisation, user=user, defaults=flags)
    demo_authenticator_add(user=user)
    return user


def _organisation(name: str, kind: str, acting_user: User, setting: Setting | None = None):
    found = (
        Organisation.objects.filter(name=name).first()
        if not setting
        else (Organisation.objects.filter(setting=setting).first())
    )
    return found or services.organisation_create(
        name=name, kind=kind, setting=setting, email="", acting_user=acting_user
    )


def ensure_people(manager: User) -> DemoPeople:
    setting = (
        Setting.objects.filter(kind=Setting.Kind.SCHOOL).exclude(urn="").order_by("id").first()
    )
    if setting is None:
        setting = Setting.objects.create(
            name="Brookfield Primary School",
            kind=Setting.Kind.SCHOOL,
            phase="primary",
            urn="100001",
        )
    eps = _organisation("Northshire Educational Psychology Service", "ep_service", manager)
    health = _organisation("Riverside NHS Foundation Trust", "health", manager)
    social = _organisation("Northshire Children's Social Care", "social_care", manager)
    private = _organisation("Dr Ada Quill, Educational Psychologist", "private", manager)
    school = _organisation(setting.name, "school", manager, setting=setting)
    return DemoPeople(
        eps=eps,
        health=health,
        social_care=social,
        private=private,
        school=school,
        eps_admin=_member("eps.admin@example.org", "Erin Ellis", eps, is_admin=True),
        psychologist=_member("psychologist@example.org", "Priya Shah", eps),
        senco=_member("senco@example.org", "Sam Okoro", school, is_admin=True, is_senco=True),
        health_admin=_member("health@example.org", "Hari Patel", health, is_admin=True),
    )


def _complete(case: Case, node_name: str, user: User) -> None:
    process = assessment_process_for(case)
    if process is None:
        raise LookupError(f"Case {case.pk} has no assessment process.")
    task = process.task_set.filter(
        flow_task=getattr(EHCNeedsAssessmentFlow, node_name),
        status__in=(STATUS.NEW, STATUS.ASSIGNED),
    ).first()
    if task is None:
        return
    activation = task.flow_task.activation_class(task)
    if task.status == STATUS.NEW:
        activation.assign(user)
    activation.start(None)
    activation.execute()


def assessing_case(
    *, first_name: str, team: Team, caseworker: User, received: date, decided: date
) -> Case:
    """A case the council decided to assess on `decided`: its advice tasks are open."""
    case = request_register(
        child_details=ChildDetails(
            first_name=first_name, last_name=DEMO_CASE_SURNAME, date_of_birth=date(2017, 3, 9)
        ),
        contacts=[
            ContactDetails(
                full_name=f"Alex {DEMO_CASE_SURNAME}",
                relationship="parent",
                email="family.demo@example.com",
            )
        ],
        team=team,
        requester_type="parent",
        request_channel="email",
        received_at=datetime.combine(received, time(10), tzinfo=timezone.get_current_timezone()),
        acting_user=caseworker,
    )
    case_assign(case=case, caseworker=caseworker, acting_user=caseworker)
    considering_notified_record(
        case=case,
        notified_on=received,
        recipients="ICB, social care, school",
        acting_user=caseworker,
    )
    _complete(case, "notify_considering", caseworker)
    assessment_decision_record(
        case=case, decided_on=decided, assess=True, reasons="", acting_user=caseworker
    )
    process = assessment_process_for(case)
    if process is None:
        raise LookupError(f"Case {case.pk} has no assessment process.")
    process.decided_to_assess = True
    process.save()
    _complete(case, "decide_to_assess", caseworker)
    case.refresh_from_db()
    return case


def _send(case, organisation, adviser, caseworker, sent_on) -> AdviceRequest:
    return services.advice_request_send(
        case=case,
        adviser=adviser,
        organisation=organisation,
        questions="The child's cognition and learning, communication and interaction, and what "
        "would help in class.",
        why="The council is carrying out an EHC needs assessment and must ask for this advice "
        "(SEND Regulations 2014 reg 6).",
        details=["name", "date_of_birth", "current_setting", "contact"],
        acting_user=caseworker,
        sent_on=sent_on,
    )


@transaction.atomic
def seed_demo(*, caseworker: User, manager: User, team: Team, today: date | None = None) -> dict:
    """Organisations, members, and advice requests in every state; returns counts."""
    today = today or local_today()
    people = ensure_people(manager)
    if AdviceRequest.objects.filter(case__child__last_name=DEMO_CASE_SURNAME).exists():
        return {"requests": 0}

    def case(name: str, decided_days_ago: int) -> Case:
        decided = today - timedelta(days=decided_days_ago)
        return assessing_case(
            first_name=name,
            team=team,
            caseworker=caseworker,
            received=decided - timedelta(days=14),
            decided=decided,
        )

    made = []
    # Waiting to be accepted (new) and not accepted within the week (chased).
    made.append(_send(case("Noor", 2), people.eps, "psychological", caseworker, today))
    made.append(
        _send(case("Theo", 12), people.eps, "psychological", caseworker, today - timedelta(days=10))
    )
    # Accepted, assigned to a colleague, a draft written.
    accepted = _send(
        case("Maya", 22), people.eps, "psychological", caseworker, today - timedelta(days=20)
    )
    services.advice_request_accept(advice=accepted, acting_user=people.eps_admin)
    services.advice_request_assign(
        advice=accepted, assignee=people.psychologist, acting_user=people.eps_admin
    )
    services.advice_draft_save(
        advice=accepted,
        needs="Working memory well below age expectations.",
        outcomes="",
        provision="",
        other_comments="",
        acting_user=people.psychologist,
    )
    services.advice_question_ask(
        advice=accepted,
        text="Can we observe in class before half term?",
        acting_user=people.psychologist,
    )
    made.append(accepted)
    # Accepted but the advice is overdue (health).
    late = _send(case("Leo", 50), people.health, "medical", caseworker, today - timedelta(days=48))
    services.advice_request_accept(advice=late, acting_user=people.health_admin)
    made.append(late)
    # Sent on time, with a report; and sent late.
    on_time = _send(
        case("Ivy", 32), people.eps, "psychological", caseworker, today - timedelta(days=30)
    )
    services.advice_request_accept(advice=on_time, acting_user=people.psychologist)
    services.advice_document_upload(
        advice=on_time,
        upload=SimpleUploadedFile("EP report.pdf", DEMO_PDF, "application/pdf"),
        acting_user=people.psychologist,
    )
    services.advice_draft_save(
        advice=on_time,
        needs="Specific learning difficulty (dyslexia).",
        outcomes="Reads age-appropriate texts with support by the end of Year 5.",
        provision="Daily structured phonics, 20 minutes, by a trained teaching assistant.",
        other_comments="",
        acting_user=people.psychologist,
    )
    flows.advice_send(
        advice=on_time, acting_user=people.psychologist, today=today - timedelta(days=5)
    )
    made.append(on_time)
    sent_late = _send(
        case("Finn", 60), people.health, "medical", caseworker, today - timedelta(days=58)
    )
    services.advice_request_accept(advice=sent_late, acting_user=people.health_admin)
    services.advice_draft_save(
        advice=sent_late,
        needs="Hearing loss, moderate, both ears.",
        outcomes="",
        provision="Radio aid in class.",
        other_comments="",
        acting_user=people.health_admin,
    )
    flows.advice_send(
        advice=sent_late, acting_user=people.health_admin, today=today - timedelta(days=2)
    )
    made.append(sent_late)
    # Closed without advice: the family withdrew the request.
    withdrawn = case("Ruby", 8)
    made.append(
        _send(withdrawn, people.social_care, "social_care", caseworker, today - timedelta(days=6))
    )
    case_close_with_flow(
        case=withdrawn,
        kind="withdrawn",
        closed_on=today,
        reason="The family withdrew the request.",
        acting_user=caseworker,
    )
    # A school's request, the parent not yet answered.
    services.school_request_submit(
        organisation=people.school,
        pupil=services.PupilDetails(
            first_name="Zara",
            last_name=DEMO_CASE_SURNAME,
            date_of_birth=date(2016, 6, 1),
            parent_name=f"Jo {DEMO_CASE_SURNAME}",
            parent_email="family.demo@example.com",
            reasons="Little progress in reading and writing despite two years of SEN support.",
            support_so_far="Small-group phonics; speech and language therapy referral.",
        ),
        acting_user=people.senco,
    )
    # A contribution to an open annual review (R5), if the reviews demo made one.
    from reviews.models import AnnualReview

    review = AnnualReview.objects.filter(outcome=AnnualReview.Outcome.OPEN).order_by("id").first()
    if review is not None:
        services.review_contribution_request(
            review=review,
            organisation=people.school,
            questions="Progress towards the outcomes in the plan, and anything that should change.",
            acting_user=caseworker,
        )
    return {"requests": len(made), "organisations": Organisation.objects.count()}


def walk_users(*, caseworker: User, manager: User) -> dict[str, User]:
    """The demo's professionals seeded on the caseworker's team, by the role names page walks
    use (tests/pages, and any walk of every URL as every role)."""
    team = Team.objects.filter(members=caseworker).order_by("id").first()
    if team is None:
        raise LookupError(f"User {caseworker.pk} is on no team.")
    seed_demo(caseworker=caseworker, manager=manager, team=team)
    people = ensure_people(manager)
    return {
        "ep_admin": people.eps_admin,
        "psychologist": people.psychologist,
        "senco": people.senco,
        "health_admin": people.health_admin,
    }
