"""Local Offer fixtures: officers, providers, organisations and services made through services."""

from datetime import date, time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from ehc.models import User
from local_offer import services
from local_offer.postcodes import postcodes_import
from local_offer.roles import OFFICER_GROUP, PROVIDER_GROUP
from local_offer.services import CouncilDetails, LocationDetails, ScheduleDetails, ServiceDetails
from tests.notifications.conftest import (  # noqa: F401  (the alert tests' fixtures: clocks)
    eager_celery,
    frozen,
    outbox,
    queued,
    sweep_on,
)

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 11, 30)


@pytest.fixture
def officer(manager) -> User:
    manager.email = "officer@council.example"
    manager.save()
    manager.groups.add(Group.objects.get(name=OFFICER_GROUP))
    return manager


@pytest.fixture
def postcodes(db) -> None:
    postcodes_import(path=FIXTURES / "onspd_sample.csv")


@pytest.fixture
def organisation(officer):
    return services.organisation_create(
        name="Riverside Autism Trust",
        description="A parent-led charity for autistic children.",
        email="hello@riverside.example",
        acting_user=officer,
    )


@pytest.fixture
def other_organisation(officer):
    return services.organisation_create(
        name="Hillside Speech Clinic", description="Private speech therapy.", acting_user=officer
    )


@pytest.fixture
def provider(organisation) -> User:
    user = User.objects.create_user(
        username="provider@riverside.example",
        email="provider@riverside.example",
        password="test-password-1",
        first_name="Robin",
        last_name="Provider",
    )
    user.groups.add(Group.objects.get(name=PROVIDER_GROUP))
    organisation.members.add(user)
    return user


def details(**overrides) -> ServiceDetails:
    data = dict(
        name="Saturday autism club",
        description="Play and social time for autistic children and their brothers and sisters.",
        eligibility="Autistic children aged 5 to 12 who live in the borough. No diagnosis needed.",
        how_to_apply="Phone or email us to book a first visit.",
        minimum_age=5,
        maximum_age=12,
        schedules=(ScheduleDetails(byday=("SA",), opens_at=time(10), closes_at=time(12)),),
    )
    data.update(overrides)
    return ServiceDetails(**data)


def council(**overrides) -> CouncilDetails:
    data = dict(
        schedule2_item="leisure",
        need_types=("ASD",),
        categories=("leisure",),
        locations=(
            LocationDetails(
                name="Riverside Centre",
                address_1="1 River Road",
                city="Demo Town",
                postcode="DB1 2AB",
                access_features=("step_free", "hearing_loop"),
            ),
        ),
        contact_name="Alex",
        phone="01234 567890",
        review_due_on=date(2027, 6, 1),
    )
    data.update(overrides)
    return CouncilDetails(**data)


@pytest.fixture
def make_service(organisation, officer, postcodes):
    def make(org=None, details_kw=None, council_kw=None):
        return services.service_create(
            organisation=org or organisation,
            details=details(**(details_kw or {})),
            council=council(**(council_kw or {})),
            acting_user=officer,
            today=TODAY,
        )

    return make
