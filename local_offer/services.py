"""The only code that changes the Local Offer.

Each service is keyword-only, validates before it writes (raising ValidationError keyed by field,
so a refused change leaves nothing behind), runs in one transaction and records the acting user
in the history tables. The search text a service is found by is rebuilt here whenever a record
changes (and written to the core search index, local_offer.search_index).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ehc import timescales
from ehc.services.common import local_today, save_audited
from local_offer import clocks
from local_offer import vocabulary as v
from local_offer.models import (
    Accessibility,
    ChangeRequest,
    Comment,
    Contact,
    CostOption,
    Language,
    Location,
    Organisation,
    Phone,
    ProblemReport,
    Publication,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Synonym,
    TaxonomyTerm,
)
from local_offer.search_index import services_reindex

AGE_OUT_OF_RANGE = (
    "Enter an age from 0 to 25: the Local Offer covers children and young people aged 0 to 25."
)
MIN_ABOVE_MAX = "The youngest age must be the same as or lower than the oldest age."
UNKNOWN_DAY = "Choose days of the week from Monday to Sunday."
NO_DAYS = "Choose at least one day the service runs."
CLOSES_BEFORE_OPENS = "The closing time must be after the opening time."
UNKNOWN_NEED = "'{code}' is not a SEN2 need type."
UNKNOWN_CATEGORY = "'{code}' is not a directory category."
UNKNOWN_SCHEDULE_2 = "Choose the Schedule 2 item this service answers."
REVIEW_IN_PAST = "The next review date must be today or later."
NOTHING_CHANGED = "You have not changed anything."
CHANGE_ALREADY_PENDING = (
    "A change to this service is already waiting for approval. Wait for the council to decide "
    "on it before you send another."
)
CHANGE_NOT_PENDING = "This change has already been decided."
CHANGE_OUT_OF_DATE = (
    "The service has changed since this change was proposed, so approving it would overwrite "
    "newer information. Reject it and ask the provider to propose it again."
)
DEFAULT_REVIEW_MONTHS = 12


@dataclass(frozen=True)
class ScheduleDetails:
    byday: tuple[str, ...]
    opens_at: time
    closes_at: time
    description: str = ""

    def as_json(self) -> dict:
        return {
            "byday": ",".join(self.byday),
            "opens_at": self.opens_at.strftime("%H:%M"),
            "closes_at": self.closes_at.strftime("%H:%M"),
            "description": self.description,
        }

    @classmethod
    def from_json(cls, data: dict) -> ScheduleDetails:
        return cls(
            byday=tuple(d for d in data["byday"].split(",") if d),
            opens_at=time.fromisoformat(data["opens_at"]),
            closes_at=time.fromisoformat(data["closes_at"]),
            description=data.get("description", ""),
        )


@dataclass(frozen=True)
class ServiceDetails:
    """What a provider may change about a service (the council sets the rest)."""

    name: str
    description: str
    eligibility: str
    how_to_apply: str
    minimum_age: int = v.MIN_AGE
    maximum_age: int = v.MAX_AGE
    referral_needed: bool = False
    how_decisions_made: str = ""
    is_free: bool = True
    fees_description: str = ""
    url: str = ""
    email: str = ""
    status: str = Service.Status.ACTIVE
    alert: str = ""
    schedules: tuple[ScheduleDetails, ...] = ()

    def as_json(self) -> dict:
        data = asdict(self)
        data["schedules"] = [s.as_json() for s in self.schedules]
        return data

    @classmethod
    def from_json(cls, data: dict) -> ServiceDetails:
        data = dict(data)
        data["schedules"] = tuple(ScheduleDetails.from_json(s) for s in data.get("schedules", []))
        return cls(**data)

    @classmethod
    def of(cls, service: Service) -> ServiceDetails:
        return cls(
            name=service.name,
            description=service.description,
            eligibility=service.eligibility,
            how_to_apply=service.how_to_apply,
            minimum_age=service.minimum_age,
            maximum_age=service.maximum_age,
            referral_needed=service.referral_needed,
            how_decisions_made=service.how_decisions_made,
            is_free=service.is_free,
            fees_description=service.fees_description,
            url=service.url,
            email=service.email,
            status=service.status,
            alert=service.alert,
            schedules=tuple(
                ScheduleDetails(
                    byday=tuple(s.days()),
                    opens_at=s.opens_at,
                    closes_at=s.closes_at,
                    description=s.description,
                )
                for s in service.schedules.all()
            ),
        )


@dataclass(frozen=True)
class LocationDetails:
    name: str
    address_1: str = ""
    city: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    virtual: bool = False
    access_features: tuple[str, ...] = ()


@dataclass(frozen=True)
class CouncilDetails:
    """What only council officers set: where the record sits in the offer and its review."""

    schedule2_item: str
    in_area: bool = True
    need_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    review_due_on: date | None = None
    languages: tuple[str, ...] = ("English",)
    service_areas: tuple[str, ...] = ()
    locations: tuple[LocationDetails, ...] = ()
    contact_name: str = ""
    phone: str = ""
    cost_amount: float | None = None
    cost_option: str = ""
    extra_search_words: tuple[str, ...] = field(default=())


# -- validation ----------------------------------------------------------------------------------


def validate_ages(minimum_age: int, maximum_age: int) -> None:
    errors: dict[str, str] = {}
    if not v.MIN_AGE <= minimum_age <= v.MAX_AGE:
        errors["minimum_age"] = AGE_OUT_OF_RANGE
    if not v.MIN_AGE <= maximum_age <= v.MAX_AGE:
        errors["maximum_age"] = AGE_OUT_OF_RANGE
    if not errors and minimum_age > maximum_age:
        errors["minimum_age"] = MIN_ABOVE_MAX
    if errors:
        raise ValidationError(errors)


def validate_schedules(schedules: tuple[ScheduleDetails, ...]) -> None:
    for schedule in schedules:
        if not schedule.byday:
            raise ValidationError({"schedules": NO_DAYS})
        if any(day not in v.DAY_LABELS for day in schedule.byday):
            raise ValidationError({"schedules": UNKNOWN_DAY})
        if schedule.closes_at <= schedule.opens_at:
            raise ValidationError({"schedules": CLOSES_BEFORE_OPENS})


def validate_details(details: ServiceDetails) -> None:
    validate_ages(details.minimum_age, details.maximum_age)
    validate_schedules(details.schedules)
    if details.status not in Service.Status.values:
        raise ValidationError({"status": "Choose whether the service is open."})


def _terms_for(council: CouncilDetails) -> list[TaxonomyTerm]:
    for code in council.need_types:
        if code not in v.NEED_TYPE_LABELS:
            raise ValidationError({"need_types": UNKNOWN_NEED.format(code=code)})
    for code in council.categories:
        if code not in v.CATEGORY_LABELS:
            raise ValidationError({"categories": UNKNOWN_CATEGORY.format(code=code)})
    ids = [v.term_uuid(v.TAXONOMY_NEED_TYPES, c) for c in council.need_types] + [
        v.term_uuid(v.TAXONOMY_CATEGORIES, c) for c in council.categories
    ]
    return list(TaxonomyTerm.objects.filter(id__in=ids))


# -- search text ---------------------------------------------------------------------------------


def search_text_for(
    *,
    description: str,
    eligibility: str,
    organisation_name: str,
    term_names: list[str],
    extra: tuple[str, ...] = (),
) -> str:
    """What a service is found by besides its name (weighted lower than the name)."""
    return "\n".join([organisation_name, description, eligibility, " ".join(term_names), *extra])


def service_search_text_refresh(*, service: Service) -> None:
    """Rebuild the search text of one service from its current record."""
    names = []
    for term in service.terms.select_related("taxonomy"):
        names.append(term.name)
        if term.taxonomy.code == v.TAXONOMY_NEED_TYPES:
            names.append(term.code)
    names.append(v.SCHEDULE_2_BY_CODE[service.schedule2_item].title)
    text = search_text_for(
        description=service.description,
        eligibility=service.eligibility,
        organisation_name=service.organisation.name,
        term_names=names,
    )
    Service.objects.filter(pk=service.pk).update(search_text=text)
    service.search_text = text
    services_reindex([service.pk])


# -- writing a service ---------------------------------------------------------------------------


def _apply_details(service: Service, details: ServiceDetails) -> None:
    for name in (
        "name",
        "description",
        "eligibility",
        "how_to_apply",
        "minimum_age",
        "maximum_age",
        "referral_needed",
        "how_decisions_made",
        "is_free",
        "fees_description",
        "url",
        "email",
        "status",
        "alert",
    ):
        setattr(service, name, getattr(details, name))


def _replace_schedules(service: Service, schedules: tuple[ScheduleDetails, ...], user) -> None:
    service.schedules.all().delete()
    for s in schedules:
        row = Schedule(
            service=service,
            byday=",".join(s.byday),
            opens_at=s.opens_at,
            closes_at=s.closes_at,
            description=s.description,
        )
        save_audited(row, acting_user=user)


@transaction.atomic
def organisation_create(
    *,
    name: str,
    description: str,
    acting_user,
    email: str = "",
    website: str = "",
    is_council: bool = False,
) -> Organisation:
    organisation = Organisation(
        name=name, description=description, email=email, website=website, is_council=is_council
    )
    save_audited(organisation, acting_user=acting_user)
    return organisation


@transaction.atomic
def service_create(
    *,
    organisation: Organisation,
    details: ServiceDetails,
    council: CouncilDetails,
    acting_user,
    today: date | None = None,
) -> Service:
    """Add a service to the directory (council officers, imports and the demo)."""
    today = today or local_today()
    validate_details(details)
    if council.schedule2_item not in v.SCHEDULE_2_BY_CODE:
        raise ValidationError({"schedule2_item": UNKNOWN_SCHEDULE_2})
    terms = _terms_for(council)
    review_due_on = council.review_due_on or timescales.offer_record_review_due(today)
    service = Service(
        organisation=organisation,
        schedule2_item=council.schedule2_item,
        in_area=council.in_area,
        review_due_on=review_due_on,
        last_checked_on=today,
        last_checked_by=acting_user if getattr(acting_user, "pk", None) else None,
        assurer_email=getattr(acting_user, "email", "") or "",
    )
    _apply_details(service, details)
    save_audited(service, acting_user=acting_user)
    service.terms.set(terms)
    _replace_schedules(service, details.schedules, acting_user)
    for name in council.languages:
        Language.objects.create(service=service, name=name)
    for name in council.service_areas:
        ServiceArea.objects.create(service=service, name=name)
    if council.contact_name or council.phone:
        contact = Contact.objects.create(service=service, name=council.contact_name)
        if council.phone:
            Phone.objects.create(service=service, contact=contact, number=council.phone)
    if not details.is_free or council.cost_option:
        CostOption.objects.create(
            service=service,
            option=council.cost_option or details.fees_description or "Charge",
            amount=council.cost_amount,
        )
    for loc in council.locations:
        location = location_create(organisation=organisation, details=loc, acting_user=acting_user)
        ServiceAtLocation.objects.create(service=service, location=location)
    service_search_text_refresh(service=service)
    clocks.service_clock_track(service=service, today=today)
    clocks.report_clock_ensure(today=today)
    return service


@transaction.atomic
def location_create(
    *, organisation: Organisation, details: LocationDetails, acting_user
) -> Location:
    from local_offer.postcodes import normalise_postcode, postcode_find

    postcode = ""
    lat, lon = details.latitude, details.longitude
    if details.postcode:
        postcode = normalise_postcode(details.postcode)
        if lat is None:
            found = postcode_find(postcode)
            if found is not None:
                lat, lon = found.latitude, found.longitude
    location = Location(
        organisation=organisation,
        location_type=Location.Type.VIRTUAL if details.virtual else Location.Type.PHYSICAL,
        name=details.name,
        address_1=details.address_1,
        city=details.city,
        postcode=postcode,
        latitude=lat,
        longitude=lon,
    )
    save_audited(location, acting_user=acting_user)
    for feature in details.access_features:
        if feature not in v.ACCESS_FEATURE_LABELS:
            raise ValidationError({"access_features": f"'{feature}' is not an access feature."})
        Accessibility.objects.create(location=location, feature=feature)
    return location


@transaction.atomic
def service_update(
    *, service: Service, details: ServiceDetails, acting_user, today: date | None = None
) -> Service:
    """Change a service's provider-kept details (an officer directly, or by approving a change).

    Saving counts as a check of the record: the review date moves a year on."""
    today = today or local_today()
    validate_details(details)
    service = Service.objects.select_for_update().get(pk=service.pk)
    _apply_details(service, details)
    service.last_modified = timezone.now()
    service.last_checked_on = today
    service.last_checked_by = acting_user
    service.assurer_email = acting_user.email or ""
    service.review_due_on = max(service.review_due_on, timescales.offer_record_review_due(today))
    save_audited(service, acting_user=acting_user)
    if details.schedules != ServiceDetails.of(service).schedules:
        _replace_schedules(service, details.schedules, acting_user)
    service_search_text_refresh(service=service)
    clocks.service_clock_checked(service=service, today=today)
    return service


@transaction.atomic
def service_review_confirm(*, service: Service, acting_user, today: date | None = None) -> Service:
    """Record that the record was checked and is still right; the next review is a year on."""
    today = today or local_today()
    service = Service.objects.select_for_update().get(pk=service.pk)
    service.last_checked_on = today
    service.last_checked_by = acting_user
    service.assurer_email = acting_user.email or ""
    service.review_due_on = timescales.offer_record_review_due(today)
    save_audited(service, acting_user=acting_user)
    clocks.service_clock_checked(service=service, today=today)
    return service


# -- providers' changes --------------------------------------------------------------------------


def _json_equal(a: dict, b: dict) -> bool:
    return a == b


@transaction.atomic
def change_request_submit(
    *, service: Service, details: ServiceDetails, acting_user
) -> ChangeRequest:
    """A provider proposes a change; it waits for an officer's approval."""
    validate_details(details)
    service = Service.objects.select_for_update().get(pk=service.pk)
    before = ServiceDetails.of(service).as_json()
    proposed = details.as_json()
    if _json_equal(before, proposed):
        raise ValidationError(NOTHING_CHANGED)
    if service.change_requests.filter(status=ChangeRequest.Status.PENDING).exists():
        raise ValidationError(CHANGE_ALREADY_PENDING)
    change = ChangeRequest(
        service=service, before=before, proposed=proposed, submitted_by=acting_user
    )
    save_audited(change, acting_user=acting_user)
    return change


@transaction.atomic
def change_request_approve(*, change: ChangeRequest, acting_user) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeRequest.Status.PENDING:
        raise ValidationError(CHANGE_NOT_PENDING)
    current = ServiceDetails.of(change.service).as_json()
    if current != change.before:
        raise ValidationError(CHANGE_OUT_OF_DATE)
    service_update(
        service=change.service,
        details=ServiceDetails.from_json(change.proposed),
        acting_user=acting_user,
    )
    change.status = ChangeRequest.Status.APPROVED
    change.decided_by = acting_user
    change.decided_at = timezone.now()
    save_audited(change, acting_user=acting_user)
    return change


@transaction.atomic
def change_request_reject(*, change: ChangeRequest, note: str, acting_user) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeRequest.Status.PENDING:
        raise ValidationError(CHANGE_NOT_PENDING)
    if not note.strip():
        raise ValidationError({"note": "Tell the provider why the change was not approved."})
    change.status = ChangeRequest.Status.REJECTED
    change.decision_note = note.strip()
    change.decided_by = acting_user
    change.decided_at = timezone.now()
    save_audited(change, acting_user=acting_user)
    return change


# -- families: problems, comments, shortlists ---------------------------------------------------

COMMENT_EMPTY = "Enter your comment."
PUBLISH_NOTHING = "There are no answered comments to publish."
ANSWER_NEEDS_CONFIRMATION = (
    "Confirm the published comment identifies nobody before it can be published."
)
ACTION_NEEDS_OWNER_AND_DATE = "An action needs an owner and a due date."
ACTION_DUE_IN_PAST = "The action's due date must be today or later."
ACTION_NOT_OPEN = "This comment has no action waiting to be done."


def _safe_text(text: str) -> str:
    """Keep every alphabet; drop NUL and other control characters a database or email would
    choke on (tabs and new lines stay)."""
    return "".join(ch for ch in text if ch in "\t\n" or ch >= " " and ch != "\x7f").strip()


def _owner_emails(service: Service) -> list[str]:
    emails = [service.email, service.organisation.email]
    emails += list(service.organisation.members.exclude(email="").values_list("email", flat=True))
    seen: list[str] = []
    for email in emails:
        if email and email not in seen:
            seen.append(email)
    return seen


@transaction.atomic
def problem_report_submit(*, service: Service, kind: str, details: str) -> ProblemReport:
    """'Report a problem with this page': stored, and emailed to the record's owner."""
    from django.conf import settings
    from django.core.mail import send_mail

    details = _safe_text(details)
    if not details:
        raise ValidationError({"details": "Tell us what is wrong with this page"})
    recipients = _owner_emails(service) or [settings.DEFAULT_FROM_EMAIL]
    report = ProblemReport.objects.create(
        service=service, kind=kind, details=details, sent_to=", ".join(recipients)
    )
    body = (
        f"Someone reported a problem with the Local Offer page for {service.name}.\n\n"
        f"{report.get_kind_display()}\n\n{details}\n\n"
        "Sign in to propose a correction; the council approves changes before they are shown."
    )
    transaction.on_commit(
        lambda: send_mail(
            "A problem was reported with one of your Local Offer pages",
            body,
            None,
            recipients,
            fail_silently=True,
        )
    )
    return report


@transaction.atomic
def comment_submit(*, about: str, text: str) -> Comment:
    """A comment on the Local Offer from anyone (reg 56). Stored as written (any language or
    length up to the form's limit), never published until an officer has answered it."""

    text = _safe_text(text)
    if not text:
        raise ValidationError({"text": COMMENT_EMPTY})
    if about not in Comment.About.values:
        raise ValidationError({"about": "Select what your comment is about"})
    comment = Comment.objects.create(about=about, text=text)
    clocks.report_clock_ensure()
    return comment


@transaction.atomic
def comment_answer(
    *,
    comment: Comment,
    summary: str,
    response: str,
    action: str,
    action_owner,
    action_due_on: date | None,
    anonymised_confirmed: bool,
    acting_user,
    today: date | None = None,
) -> Comment:
    """An officer's answer: the comment as it will be published, the response, any action."""

    today = today or local_today()
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if action.strip() and not (action_owner and action_due_on):
        raise ValidationError({"action_owner": ACTION_NEEDS_OWNER_AND_DATE})
    if action_due_on and action_due_on < today and comment.action_due_on != action_due_on:
        raise ValidationError({"action_due_on": ACTION_DUE_IN_PAST})
    comment.summary = _safe_text(summary)
    comment.response = _safe_text(response)
    comment.action = _safe_text(action)
    comment.action_owner = action_owner if comment.action else None
    comment.action_due_on = action_due_on if comment.action else None
    comment.anonymised_confirmed = anonymised_confirmed
    comment.answered_by = acting_user
    comment.answered_at = timezone.now()
    comment.status = Comment.Status.ACTION_OPEN if comment.action else Comment.Status.ANSWERED
    if comment.action_done_on is not None and comment.status == Comment.Status.ACTION_OPEN:
        comment.action_done_on = None  # a new or changed action is not done yet
    save_audited(comment, acting_user=acting_user)
    clocks.comment_clock_track(comment=comment, today=today)
    return comment


@transaction.atomic
def comment_action_done(*, comment: Comment, acting_user, today: date | None = None) -> Comment:

    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status != Comment.Status.ACTION_OPEN:
        raise ValidationError(ACTION_NOT_OPEN)
    comment.action_done_on = today or local_today()
    comment.status = Comment.Status.ANSWERED
    save_audited(comment, acting_user=acting_user)
    clocks.comment_clock_track(comment=comment, today=today)
    return comment


def publishable_comments(since: date | None):
    """Answered comments since the last report, whose published wording an officer confirmed."""

    qs = Comment.objects.filter(
        status__in=[Comment.Status.ANSWERED, Comment.Status.ACTION_OPEN, Comment.Status.CLOSED],
        anonymised_confirmed=True,
    ).exclude(summary="")
    if since:
        qs = qs.filter(received_at__date__gt=since)
    return qs.order_by("received_at")


@transaction.atomic
def publication_publish(*, acting_user, today: date | None = None) -> Publication:
    """Publish 'you said, we did': only each comment's officer-confirmed anonymised summary,
    the response and the action, never the comment as written. The next is due a year on
    (reg 56; the clock is the offer's LO1 deadline)."""
    today = today or local_today()
    last = Publication.objects.order_by("-period_end").first()
    since = last.period_end if last else None
    comments = list(publishable_comments(since).select_for_update())
    if not comments:
        raise ValidationError(PUBLISH_NOTHING)
    entries = [
        {
            "about": c.get_about_display(),
            "you_said": c.summary,
            "we_said": c.response,
            "we_did": c.action,
            "action_due_on": c.action_due_on.isoformat() if c.action_due_on else "",
            "action_done_on": c.action_done_on.isoformat() if c.action_done_on else "",
        }
        for c in comments
    ]
    publication = Publication(
        period_start=since or min(c.received_at.date() for c in comments),
        period_end=today,
        published_on=today,
        next_due_on=timescales.offer_report_due(today),
        published_by=acting_user,
        entries=entries,
    )
    save_audited(publication, acting_user=acting_user)
    Comment.objects.filter(pk__in=[c.pk for c in comments], status=Comment.Status.ANSWERED).update(
        status=Comment.Status.CLOSED
    )
    clocks.report_clock_published(today=today)
    return publication


def shortlist_email_send(*, email: str, services: list[Service], base_url: str) -> None:
    """Email a family their shortlist. The address is used for this message only, not kept."""
    from django.core.mail import send_mail

    if not services:
        raise ValidationError("Your shortlist is empty.")
    lines = ["Your Local Offer shortlist", ""]
    for service in services:
        lines += [service.name, f"{base_url}/local-offer/services/{service.pk}/", ""]
    send_mail("Your Local Offer shortlist", "\n".join(lines), None, [email])


SYNONYM_NEEDS_TWO = "Enter at least two words or phrases, separated by commas."


@transaction.atomic
def synonym_add(*, words: str, acting_user) -> Synonym:
    """Add a group of words that mean the same to the search (takes effect at once)."""
    phrases = [w.strip() for w in _safe_text(words).split(",") if w.strip()]
    if len(phrases) < 2:
        raise ValidationError({"words": SYNONYM_NEEDS_TWO})
    synonym = Synonym(words=", ".join(phrases))
    save_audited(synonym, acting_user=acting_user)
    return synonym


@transaction.atomic
def synonym_delete(*, synonym: Synonym, acting_user) -> None:
    synonym._history_user = acting_user
    synonym.delete()
