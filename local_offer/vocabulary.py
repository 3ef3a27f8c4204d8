"""The fixed lists the Local Offer uses: Schedule 2 items, SEN2 need codes, venue access features.

Each taxonomy the open data feed publishes has a fixed UUID (uuid5 of a name in this project's
namespace), so ids are the same in every deployment and survive a rebuilt database.
"""

import uuid
from dataclasses import dataclass

NAMESPACE = uuid.UUID("6f1c7c2e-4d0a-5b7e-9a55-3c1e4f0b2d11")


def stable_uuid(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


MIN_AGE = 0
MAX_AGE = 25


@dataclass(frozen=True)
class Schedule2Item:
    code: str
    title: str
    detail: str
    page: str = ""  # the fixed statutory page that answers it, if any


# SEND Regulations 2014, Schedule 2 (the information a Local Offer must include), in plain words.
SCHEDULE_2: tuple[Schedule2Item, ...] = (
    Schedule2Item(
        "early_years",
        "Special educational provision in early years settings",
        "Nurseries, childminders and pre-schools, and the support they give (Sch 2 para 1).",
    ),
    Schedule2Item(
        "schools",
        "Special educational provision in schools",
        "Mainstream, special and independent schools, in and out of the area (Sch 2 paras 1-3).",
    ),
    Schedule2Item(
        "post16",
        "Special educational provision in colleges and post-16 institutions",
        "Further education colleges, sixth forms and specialist colleges (Sch 2 paras 1-3).",
    ),
    Schedule2Item(
        "training",
        "Training provision",
        "Apprenticeships, traineeships and supported internships (Sch 2 para 4).",
    ),
    Schedule2Item(
        "accessibility_strategy",
        "Accessibility strategy",
        "Where the council's accessibility strategy under the Equality Act 2010 is published "
        "(Sch 2 para 5).",
    ),
    Schedule2Item(
        "preparing_adulthood",
        "Preparing for adulthood and independent living",
        "Finding work, somewhere to live, friends and a place in the community (Sch 2 para 6).",
    ),
    Schedule2Item(
        "health",
        "Health provision",
        "Health services beyond those available to all: therapies, specialist nursing, CAMHS "
        "(Sch 2 para 7).",
    ),
    Schedule2Item(
        "social_care",
        "Social care provision",
        "Children Act 1989 s.17 services, short breaks, moving to adult services, and Care Act "
        "2014 information and advice (Sch 2 para 8).",
    ),
    Schedule2Item(
        "childcare",
        "Childcare",
        "Childcare for children with SEN or disabilities (Sch 2 para 9).",
    ),
    Schedule2Item(
        "leisure",
        "Leisure activities",
        "Clubs, sport, play and holiday activities (Sch 2 para 10).",
    ),
    Schedule2Item(
        "transport",
        "Travel and transport",
        "Home to school and college transport and travel training (Sch 2 para 11).",
    ),
    Schedule2Item(
        "information_advice",
        "Information, advice and support",
        "The information, advice and support service (IASS) and other sources of help "
        "(Sch 2 para 12).",
        page="information-advice",
    ),
    Schedule2Item(
        "ehc_assessment",
        "Requesting an EHC needs assessment",
        "How to ask for an Education, Health and Care needs assessment (Sch 2 para 13).",
        page="ehc-needs-assessment",
    ),
    Schedule2Item(
        "personal_budgets",
        "Personal budgets",
        "Whether personal budgets are available and how to ask for one (Sch 2 para 14).",
        page="personal-budgets",
    ),
    Schedule2Item(
        "mediation",
        "Mediation, disagreement resolution and appeals",
        "Mediation, disagreement resolution and appeals to the Tribunal (Sch 2 para 15).",
        page="mediation-and-appeals",
    ),
    Schedule2Item(
        "complaints",
        "Complaints",
        "How to complain about any provision in the Local Offer (Sch 2 para 16).",
        page="complaints",
    ),
)
SCHEDULE_2_BY_CODE = {item.code: item for item in SCHEDULE_2}
SCHEDULE_2_CHOICES = [(item.code, item.title) for item in SCHEDULE_2]

# SEN2 primary need codes (the statutory return), so a filter matches an EHC plan's need.
NEED_TYPES: tuple[tuple[str, str], ...] = (
    ("SPLD", "Specific learning difficulty"),
    ("MLD", "Moderate learning difficulty"),
    ("SLD", "Severe learning difficulty"),
    ("PMLD", "Profound and multiple learning difficulty"),
    ("SEMH", "Social, emotional and mental health"),
    ("SLCN", "Speech, language and communication needs"),
    ("HI", "Hearing impairment"),
    ("VI", "Vision impairment"),
    ("MSI", "Multi-sensory impairment"),
    ("PD", "Physical disability"),
    ("ASD", "Autistic spectrum disorder"),
    ("DS", "Down syndrome"),
    ("OTH", "Other difficulty or disability"),
)
NEED_TYPE_LABELS = dict(NEED_TYPES)

# Venue accessibility families ask about (ORUK accessibility, per location).
ACCESS_FEATURES: tuple[tuple[str, str], ...] = (
    ("step_free", "Step-free access"),
    ("lift", "Lift"),
    ("hearing_loop", "Hearing loop"),
    ("hoist", "Hoist"),
    ("changing_places", "Changing Places toilet"),
    ("accessible_toilet", "Accessible toilet"),
    ("bsl", "British Sign Language"),
    ("quiet_space", "Quiet or sensory space"),
    ("parking", "Disabled parking"),
)
ACCESS_FEATURE_LABELS = dict(ACCESS_FEATURES)

# Directory categories staff set (Outpost's lesson: providers choosing their own went wrong).
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("education", "Education"),
    ("health", "Health and therapies"),
    ("social_care", "Social care and short breaks"),
    ("leisure", "Things to do"),
    ("advice", "Advice and support"),
    ("adulthood", "Preparing for adulthood"),
    ("transport", "Travel and transport"),
    ("childcare", "Childcare"),
)
CATEGORY_LABELS = dict(CATEGORIES)

DAYS: tuple[tuple[str, str], ...] = (
    ("MO", "Monday"),
    ("TU", "Tuesday"),
    ("WE", "Wednesday"),
    ("TH", "Thursday"),
    ("FR", "Friday"),
    ("SA", "Saturday"),
    ("SU", "Sunday"),
)
DAY_LABELS = dict(DAYS)

# Taxonomies published on /openreferral/taxonomies, each with a fixed id.
TAXONOMY_SCHEDULE_2 = "schedule-2"
TAXONOMY_NEED_TYPES = "sen2-primary-need"
TAXONOMY_CATEGORIES = "local-offer-category"
TAXONOMIES: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    TAXONOMY_SCHEDULE_2: (
        "SEND Regulations 2014 Schedule 2",
        "The information a Local Offer must publish.",
        tuple((i.code, i.title) for i in SCHEDULE_2),
    ),
    TAXONOMY_NEED_TYPES: (
        "SEN2 primary need",
        "Types of special educational need, as coded in the SEN2 statutory return.",
        NEED_TYPES,
    ),
    TAXONOMY_CATEGORIES: (
        "Local Offer categories",
        "The directory's categories, set by council staff.",
        CATEGORIES,
    ),
}


def taxonomy_uuid(taxonomy: str) -> uuid.UUID:
    return stable_uuid(f"taxonomy:{taxonomy}")


def term_uuid(taxonomy: str, code: str) -> uuid.UUID:
    return stable_uuid(f"term:{taxonomy}:{code}")
