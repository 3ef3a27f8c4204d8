"""A realistic demo directory: services across every Schedule 2 item, in and out of the area,
some temporarily closed, some past their review date, some with a provider's change waiting.

The postcodes are invented (the "DM" area does not exist) and placed around a made-up town
centre, since the real ONS Postcode Directory is not shipped; `import_postcodes` loads the real one.
Rows are written in bulk (with their history rows), so the same code seeds 300 services for
`make run` and 10,000 for `manage.py bench`.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ehc.models import User
from ehc.services.common import local_today
from local_offer import vocabulary as v
from local_offer.models import (
    Accessibility,
    Comment,
    Contact,
    CostOption,
    Language,
    Location,
    Organisation,
    Phone,
    Postcode,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Synonym,
)
from local_offer.roles import OFFICER_GROUP, PROVIDER_GROUP
from local_offer.search_index import services_reindex
from local_offer.services import search_text_for

CENTRE = (52.20, -1.50)  # a made-up town in the Midlands
DEMO_PROVIDER = "provider@example.com"
DEMO_PASSWORD = "demo-password-2026"


@dataclass(frozen=True)
class Kind:
    """A kind of service: names, what it does, who for, where it sits in the offer."""

    names: tuple[str, ...]
    description: str
    schedule2: str
    categories: tuple[str, ...]
    needs: tuple[str, ...]
    ages: tuple[int, int]
    free: bool = True
    referral: bool = False
    out_of_area_share: float = 0.1


KINDS: tuple[Kind, ...] = (
    Kind(
        ("{place} Nursery", "{place} Pre-school", "Little Steps {place}"),
        "An early years setting with a SENCO and small-group support for children with SEND.",
        "early_years",
        ("education", "childcare"),
        ("SLCN", "ASD", "MLD"),
        (0, 5),
    ),
    Kind(
        ("{place} Primary School", "St {saint}'s C of E Primary", "{place} Junior School"),
        "A mainstream primary school. SEN support in class, a SENCO and a nurture group.",
        "schools",
        ("education",),
        ("SPLD", "MLD", "SLCN", "ASD", "SEMH"),
        (4, 11),
    ),
    Kind(
        ("{place} Academy", "{place} High School"),
        "A mainstream secondary school with a resource base for autistic pupils.",
        "schools",
        ("education",),
        ("ASD", "SPLD", "SEMH"),
        (11, 18),
    ),
    Kind(
        ("{place} Special School", "{place} Park School", "The {tree} School"),
        "A special school for pupils with severe or profound and multiple learning difficulties.",
        "schools",
        ("education",),
        ("SLD", "PMLD", "MSI", "PD"),
        (2, 19),
        True,
        True,
        0.35,
    ),
    Kind(
        ("{place} College", "{place} Specialist College"),
        "Further education with supported internships, study programmes and life skills courses.",
        "post16",
        ("education", "adulthood"),
        ("MLD", "SLD", "ASD"),
        (16, 25),
        True,
        False,
        0.3,
    ),
    Kind(
        ("Supported Internships {place}", "{place} Traineeships"),
        "Work placements with a job coach for young people with an EHC plan.",
        "training",
        ("adulthood",),
        ("MLD", "ASD", "DS"),
        (16, 24),
    ),
    Kind(
        ("Accessibility strategy for schools",),
        "The council's plan to make schools more accessible to disabled pupils.",
        "accessibility_strategy",
        ("education",),
        (),
        (4, 19),
    ),
    Kind(
        ("{place} Independent Living Skills", "Moving On {place}"),
        "Cooking, money, travel and housing skills for young adults.",
        "preparing_adulthood",
        ("adulthood",),
        ("MLD", "SLD", "ASD", "DS"),
        (14, 25),
    ),
    Kind(
        ("Children's Speech and Language Therapy ({place})", "{place} SALT clinic"),
        "NHS speech and language therapy: assessment, therapy and advice for families and schools.",
        "health",
        ("health",),
        ("SLCN", "ASD", "DS"),
        (0, 18),
        True,
        True,
    ),
    Kind(
        ("Occupational Therapy ({place})", "Physiotherapy for children ({place})"),
        "NHS therapy for movement, posture, handwriting and everyday tasks.",
        "health",
        ("health",),
        ("PD", "MSI", "DS"),
        (0, 19),
        True,
        True,
    ),
    Kind(
        ("{place} CAMHS", "Emotional wellbeing team ({place})"),
        "Mental health support for children and young people.",
        "health",
        ("health",),
        ("SEMH",),
        (5, 18),
        True,
        True,
    ),
    Kind(
        ("Autism assessment service",),
        "Assessment and diagnosis of autism for children and young people.",
        "health",
        ("health",),
        ("ASD",),
        (2, 18),
        True,
        True,
        0.0,
    ),
    Kind(
        ("{place} Short Breaks", "Saturday club ({place})", "{place} overnight respite"),
        "Short breaks for disabled children: clubs, sitting and overnight stays.",
        "social_care",
        ("social_care",),
        ("PMLD", "SLD", "ASD", "PD"),
        (5, 18),
        False,
        True,
    ),
    Kind(
        ("Children with Disabilities Team",),
        "Social work assessments under section 17 of the Children Act 1989.",
        "social_care",
        ("social_care",),
        (),
        (0, 18),
        True,
        True,
        0.0,
    ),
    Kind(
        ("{place} Inclusive Childminders", "{place} After-school club"),
        "Childcare with staff trained to support children with SEND.",
        "childcare",
        ("childcare",),
        ("ASD", "SEMH", "DS"),
        (0, 14),
        False,
    ),
    Kind(
        (
            "{place} Inclusive Swimming",
            "{place} Youth Club",
            "{place} Autism-friendly cinema",
            "{place} Wheelchair Basketball",
        ),
        "Activities for children and young people with SEND and their families.",
        "leisure",
        ("leisure",),
        ("ASD", "PD", "SEMH", "HI", "VI"),
        (5, 25),
        False,
    ),
    Kind(
        ("Home to school transport", "Independent travel training"),
        "Transport to school or college for eligible children and young people, and training to travel alone.",
        "transport",
        ("transport",),
        (),
        (4, 25),
        True,
        True,
        0.0,
    ),
    Kind(
        ("SENDIASS", "{place} Parent Carer Forum", "Young people's advice line"),
        "Free, impartial information, advice and support about SEND.",
        "information_advice",
        ("advice",),
        (),
        (0, 25),
        True,
        False,
        0.0,
    ),
    Kind(
        ("Requesting an EHC needs assessment",),
        "How to ask the council for an Education, Health and Care needs assessment.",
        "ehc_assessment",
        ("advice",),
        (),
        (0, 25),
        True,
        False,
        0.0,
    ),
    Kind(
        ("Personal budgets policy",),
        "Whether a personal budget is available and how to ask for one.",
        "personal_budgets",
        ("advice",),
        (),
        (0, 25),
        True,
        False,
        0.0,
    ),
    Kind(
        ("SEND mediation service", "Disagreement resolution service"),
        "Independent mediation and disagreement resolution for families.",
        "mediation",
        ("advice",),
        (),
        (0, 25),
        True,
        False,
        0.0,
    ),
    Kind(
        ("Complaints about SEND services",),
        "How to complain about a service in the Local Offer.",
        "complaints",
        ("advice",),
        (),
        (0, 25),
        True,
        False,
        0.0,
    ),
)
PLACES = [
    "Northfield",
    "Ashby",
    "Kingsway",
    "Riverside",
    "Brookmead",
    "Oakley",
    "Hatherley",
    "Westgate",
    "Millbrook",
    "Thornton",
    "Elmhurst",
    "Castle Hill",
    "Fairfield",
    "Redmoor",
]
SAINTS = ["Mary", "John", "Peter", "Anne", "Luke", "Michael"]
TREES = ["Willow", "Beech", "Rowan", "Hazel", "Cedar"]
FAR_PLACES = ["Birmingham", "Leicester", "Coventry", "Nottingham", "Oxford"]
LANGUAGES = ["English", "British Sign Language", "Polish", "Urdu", "Punjabi", "Welsh"]
UNIQUE_SCHEDULE_2 = {"accessibility_strategy", "ehc_assessment", "personal_budgets", "complaints"}


def _postcodes(rng: random.Random, count: int) -> list[Postcode]:
    rows = []
    for i in range(count):
        district = 1 + i // 100
        code = f"DM{district}{i % 10}{chr(65 + (i // 10) % 10)}{chr(65 + i % 26)}"
        lat = CENTRE[0] + rng.uniform(-0.12, 0.12)
        lon = CENTRE[1] + rng.uniform(-0.2, 0.2)
        rows.append(
            Postcode(postcode=code, display=f"{code[:-3]} {code[-3:]}", latitude=lat, longitude=lon)
        )
    return rows


def _schedules(rng: random.Random, kind: Kind) -> list[tuple[str, time, time]]:
    if kind.schedule2 in ("schools", "early_years", "post16"):
        return [("MO,TU,WE,TH,FR", time(8, 45), time(15, 15))]
    if kind.schedule2 == "leisure":
        day = rng.choice(["SA", "SU", "WE", "TH"])
        start = rng.choice([10, 16, 17, 18])
        return [(day, time(start), time(start + 2))]
    return (
        [("MO,TU,WE,TH,FR", time(9), time(17))]
        if rng.random() < 0.8
        else [("MO,WE", time(9, 30), time(12, 30))]
    )


@transaction.atomic
def seed_directory(
    services: int = 300, *, seed: int = 16, today: date | None = None
) -> dict[str, int]:
    """Bulk-seed a directory of about `services` records (every Schedule 2 item at least once)."""
    today = today or local_today()
    rng = random.Random(seed)
    now = timezone.now()
    postcodes = _postcodes(rng, max(200, services // 5))
    Postcode.objects.bulk_create(postcodes, ignore_conflicts=True)
    council = Organisation(
        name="Demo Borough Council",
        description="The council's own services and policies.",
        email="localoffer@demo-borough.example",
        is_council=True,
    )
    orgs: list[Organisation] = [council]
    org_by_place: dict[str, Organisation] = {}
    terms = {
        (tax, code): v.term_uuid(tax, code)
        for tax in (v.TAXONOMY_NEED_TYPES, v.TAXONOMY_CATEGORIES)
        for code, _ in v.TAXONOMIES[tax][2]
    }
    service_rows: list[Service] = []
    schedule_rows: list[Schedule] = []
    locations: list[Location] = []
    sals: list[ServiceAtLocation] = []
    access: list[Accessibility] = []
    contacts: list[Contact] = []
    phones: list[Phone] = []
    costs: list[CostOption] = []
    languages: list[Language] = []
    areas: list[ServiceArea] = []
    links: list[tuple[uuid.UUID, uuid.UUID]] = []
    used_unique: set[str] = set()
    i = 0
    while len(service_rows) < services:
        kind = KINDS[i % len(KINDS)]
        i += 1
        if kind.schedule2 in UNIQUE_SCHEDULE_2 and kind.schedule2 in used_unique:
            continue
        used_unique.add(kind.schedule2)
        out_of_area = rng.random() < kind.out_of_area_share
        place = rng.choice(FAR_PLACES if out_of_area else PLACES)
        name = rng.choice(kind.names).format(
            place=place, saint=rng.choice(SAINTS), tree=rng.choice(TREES)
        )
        if len(service_rows) >= len(KINDS) * 2:
            name = f"{name} ({len(service_rows)})" if rng.random() < 0.5 else name
        if kind.schedule2 in UNIQUE_SCHEDULE_2 or kind.names[0].startswith(
            ("Children with", "Home to")
        ):
            org = council
        else:
            key = f"{kind.schedule2}:{place}"
            org = org_by_place.get(key)
            if org is None:
                org = Organisation(
                    name=f"{place} {kind.categories[0].replace('_', ' ').title()} Trust",
                    description=f"Provider of {kind.categories[0].replace('_', ' ')} services.",
                    email=f"info@{place.lower().replace(' ', '')}-{len(orgs)}.example",
                )
                org_by_place[key] = org
                orgs.append(org)
        needs = (
            tuple(rng.sample(kind.needs, k=min(len(kind.needs), rng.randint(1, 3))))
            if kind.needs
            else ()
        )
        lo, hi = kind.ages
        stale = rng.random() < 0.1
        review = (
            today - timedelta(days=rng.randint(1, 200))
            if stale
            else today + timedelta(days=rng.randint(30, 360))
        )
        checked = review - timedelta(days=365)
        status = Service.Status.TEMPORARILY_CLOSED if rng.random() < 0.03 else Service.Status.ACTIVE
        fees = (
            ""
            if kind.free
            else rng.choice(["£3 a session", "£5 a session", "£25 a night", "£4.50 an hour"])
        )
        term_names = (
            [v.NEED_TYPE_LABELS[c] for c in needs]
            + list(needs)
            + [v.CATEGORY_LABELS[c] for c in kind.categories]
            + [v.SCHEDULE_2_BY_CODE[kind.schedule2].title]
        )
        eligibility = (
            f"Children and young people aged {lo} to {hi}"
            + (f" with {', '.join(v.NEED_TYPE_LABELS[c].lower() for c in needs)}" if needs else "")
            + (
                ". Families living in the borough."
                if not out_of_area
                else ". Placement is agreed by the council."
            )
        )
        service = Service(
            id=uuid.uuid4(),
            organisation=org,
            name=name,
            description=kind.description,
            email=org.email,
            url=f"https://{org.email.split('@')[1]}/",
            status=status,
            alert="Closed for refurbishment until further notice."
            if status != Service.Status.ACTIVE
            else "",
            minimum_age=lo,
            maximum_age=hi,
            eligibility=eligibility,
            how_to_apply="Ask your GP, health visitor or school to refer you."
            if kind.referral
            else "Phone or email us; you can contact us yourself.",
            referral_needed=kind.referral,
            how_decisions_made="A panel meets monthly and writes to families with its decision and reasons."
            if kind.referral
            else "",
            is_free=kind.free,
            fees_description=fees,
            in_area=not out_of_area,
            schedule2_item=kind.schedule2,
            review_due_on=review,
            last_checked_on=checked,
            assurer_email="localoffer@demo-borough.example",
            created_at=now,
            last_modified=now,
            search_text=search_text_for(
                description=kind.description,
                eligibility=eligibility,
                organisation_name=org.name,
                term_names=term_names,
            ),
        )
        service_rows.append(service)
        links += [(service.id, terms[(v.TAXONOMY_NEED_TYPES, c)]) for c in needs]
        links += [(service.id, terms[(v.TAXONOMY_CATEGORIES, c)]) for c in kind.categories]
        for byday, opens, closes in _schedules(rng, kind):
            schedule_rows.append(
                Schedule(
                    id=uuid.uuid4(), service=service, byday=byday, opens_at=opens, closes_at=closes
                )
            )
        if kind.schedule2 not in UNIQUE_SCHEDULE_2:
            pc = rng.choice(postcodes)
            lat, lon = (
                (pc.latitude, pc.longitude)
                if not out_of_area
                else (CENTRE[0] + rng.uniform(-0.8, 0.8), CENTRE[1] + rng.uniform(-1.0, 1.0))
            )
            location = Location(
                id=uuid.uuid4(),
                organisation=org,
                name=f"{place} centre",
                address_1=f"{rng.randint(1, 200)} {rng.choice(['High', 'Station', 'Church', 'Mill'])} Street",
                city=place,
                postcode=pc.postcode if not out_of_area else "",
                latitude=lat,
                longitude=lon,
            )
            locations.append(location)
            sals.append(ServiceAtLocation(id=uuid.uuid4(), service=service, location=location))
            for feature in rng.sample([f for f, _ in v.ACCESS_FEATURES], k=rng.randint(0, 4)):
                access.append(Accessibility(id=uuid.uuid4(), location=location, feature=feature))
        contact = Contact(
            id=uuid.uuid4(), service=service, name=rng.choice(["Reception", "SENCO", "Duty worker"])
        )
        contacts.append(contact)
        phones.append(
            Phone(
                id=uuid.uuid4(),
                service=service,
                contact=contact,
                number=f"01632 {rng.randint(100000, 999999)}",
            )
        )
        if not kind.free:
            costs.append(CostOption(id=uuid.uuid4(), service=service, option=fees))
        languages.append(Language(id=uuid.uuid4(), service=service, name="English", code="en"))
        if rng.random() < 0.2:
            languages.append(
                Language(id=uuid.uuid4(), service=service, name=rng.choice(LANGUAGES[1:]))
            )
        areas.append(
            ServiceArea(
                id=uuid.uuid4(),
                service=service,
                name="Demo Borough" if not out_of_area else "Regional",
            )
        )
    bulk_create_with_history(orgs, Organisation, batch_size=500)
    bulk_create_with_history(locations, Location, batch_size=500)
    bulk_create_with_history(service_rows, Service, batch_size=500)
    Service.terms.through.objects.bulk_create(
        [Service.terms.through(service_id=s, taxonomyterm_id=t) for s, t in links], batch_size=1000
    )
    bulk_create_with_history(schedule_rows, Schedule, batch_size=1000)
    ServiceAtLocation.objects.bulk_create(sals, batch_size=1000)
    Accessibility.objects.bulk_create(access, batch_size=1000)
    bulk_create_with_history(contacts, Contact, batch_size=1000)
    Phone.objects.bulk_create(phones, batch_size=1000)
    CostOption.objects.bulk_create(costs, batch_size=1000)
    Language.objects.bulk_create(languages, batch_size=1000)
    ServiceArea.objects.bulk_create(areas, batch_size=1000)
    services_reindex()  # bulk inserts bypass the services that index each record
    return {"services": len(service_rows), "organisations": len(orgs), "postcodes": len(postcodes)}


def seed_people_and_activity(*, today: date | None = None) -> None:
    """Demo logins for the Local Offer, a few pending provider changes and some comments."""
    from local_offer import services

    today = today or local_today()
    provider, created = User.objects.get_or_create(
        username=DEMO_PROVIDER,
        defaults={"email": DEMO_PROVIDER, "first_name": "Priya", "last_name": "Provider"},
    )
    if created:
        provider.set_password(DEMO_PASSWORD)
        provider.save()
    provider.groups.add(Group.objects.get(name=PROVIDER_GROUP))
    orgs = list(Organisation.objects.filter(is_council=False).order_by("name")[:3])
    for org in orgs:
        org.members.add(provider)
    for manager in User.objects.filter(username__in=["manager", "admin"]):
        manager.groups.add(Group.objects.get(name=OFFICER_GROUP))
    officer = User.objects.filter(groups__name=OFFICER_GROUP).first()
    # Pending changes: new opening times from the provider, and a few more from others.
    candidates = list(Service.objects.filter(organisation__in=orgs).order_by("name")[:2]) + list(
        Service.objects.exclude(organisation__in=orgs)
        .filter(schedule2_item="leisure")
        .order_by("name")[:6]
    )
    for service in candidates:
        details = services.ServiceDetails.of(service)
        new = services.ServiceDetails(
            **{
                **details.__dict__,
                "schedules": (
                    services.ScheduleDetails(
                        byday=("SA", "SU"), opens_at=time(10), closes_at=time(13)
                    ),
                ),
            }
        )
        if not service.change_requests.filter(status="pending").exists():
            services.change_request_submit(service=service, details=new, acting_user=provider)
    if not Comment.objects.exists():
        examples = [
            ("content", "There is nothing about holiday clubs for teenagers with autism."),
            ("accessibility", "The directory was hard to use on my phone."),
            ("development", "How were parents involved in writing this?"),
            ("content", "Please list the independent special schools outside the borough."),
            ("accessibility", "Nid oes dim yn Gymraeg. (Nothing is in Welsh.)"),
        ]
        for about, text in examples:
            services.comment_submit(about=about, text=text)
        first = Comment.objects.order_by("received_at").first()
        if officer:
            services.comment_answer(
                comment=first,
                summary="A parent said there were no holiday clubs listed for autistic teenagers.",
                response="We agree this is a gap and asked leisure providers to add their clubs.",
                action="Contact every holiday activity provider in the borough",
                action_owner=officer,
                action_due_on=today + timedelta(days=60),
                anonymised_confirmed=True,
                acting_user=officer,
                today=today,
            )


def seed_synonyms_default() -> None:
    """The migration seeds the synonyms; this puts them back if someone emptied the table."""
    if not Synonym.objects.exists():
        Synonym.objects.create(words="ASD, autism, autistic")
