"""What the access walk (test_access_walk.py) found, each fixed and pinned down here."""

import uuid

import pytest
from django.urls import reverse

from ehc.models import FormSubmission

pytestmark = pytest.mark.django_db


def test_a_possible_duplicate_in_another_team_is_not_named_to_a_caseworker_who_cannot_see_it(
    client, make_case, other_team, other_caseworker, manager
):
    north = make_case(first_name="Nia", last_name="Twin")
    south = make_case(first_name="Nia", last_name="Twin", team=other_team)
    assert south.possible_duplicate_of == north

    client.force_login(other_caseworker)
    page = client.get(reverse("ehc:case_detail", args=[south.pk])).content.decode()
    assert north.reference not in page
    assert reverse("ehc:case_detail", args=[north.pk]) not in page
    assert "an open case of another team" in page

    client.force_login(manager)
    page = client.get(reverse("ehc:case_detail", args=[south.pk])).content.decode()
    assert north.reference in page


def test_a_post_refused_for_want_of_signing_in_keeps_no_submission_record(client, make_case):
    case = make_case()
    url = reverse("workflows:close", args=[case.pk])
    response = client.post(url, {"submission_token": str(uuid.uuid4())})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert not FormSubmission.objects.exists()


def test_only_managers_import_plans_since_a_reimport_moves_a_case_between_teams(
    client, caseworker, manager
):
    client.force_login(caseworker)
    assert client.get(reverse("reviews:import")).status_code == 403
    assert client.post(reverse("reviews:import"), {}).status_code == 403
    client.force_login(manager)
    assert client.get(reverse("reviews:import")).status_code == 200
