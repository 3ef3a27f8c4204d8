"""Who may see which transition page, the pages themselves, CSV, and fixed query counts."""

import csv
import io
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conversions.flows import transfer_review_begin
from conversions.models import LegacyInstrument
from conversions.selectors import progress_by_cohort
from tests.conftest import london
from tests.conversions.conftest import csv_bytes, row

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["conversions:instruments"]
MANAGER_PAGES = ["conversions:import", "conversions:timetable", "conversions:progress"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(london(2016, 2, 1, 12), tick=False):
        yield


def many_rows(n: int, start: int = 0) -> list[dict]:
    rows = []
    for i in range(start, start + n):
        extra = {}
        if i % 3 == 0:
            extra = {
                "expected_transfer_on": "2016-09-05",
                "expected_transfer_type": "primary_to_secondary",
                "year_group": "5",
            }
        if i % 4 == 0:
            extra.update(
                notice_given_on="2015-01-05",
                review_started_on="2015-01-19",
                concluded_on="2015-05-01",
                outcome="plan_issued",
            )
        rows.append(row(reference=f"ST-{i:04}", last_name=f"Name{i}", **extra))
    return rows


def test_parent_gets_403_on_every_transition_page(client, parent_user, import_rows):
    import_rows([row()], today=date(2016, 2, 1))
    instrument = LegacyInstrument.objects.get()
    client.force_login(parent_user)
    for name in STAFF_PAGES + MANAGER_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    detail = reverse("conversions:instrument_detail", args=[instrument.pk])
    assert client.get(detail).status_code == 403
    assert client.post(detail, {"team": 1}).status_code == 403


def test_caseworker_gets_403_on_manager_pages_and_managers_get_in(client, caseworker, manager):
    client.force_login(caseworker)
    for name in MANAGER_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    upload = SimpleUploadedFile("x.csv", csv_bytes([row()]), content_type="text/csv")
    assert client.post(reverse("conversions:import"), {"file": upload}).status_code == 403
    assert not LegacyInstrument.objects.exists()
    for name in STAFF_PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    client.force_login(manager)
    for name in STAFF_PAGES + MANAGER_PAGES:
        assert client.get(reverse(name)).status_code == 200, name


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("conversions:instruments"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_another_teams_review_and_task_are_not_found(
    client, import_rows, caseworker, team, other_caseworker
):
    import_rows([row()], today=date(2016, 2, 1))
    review = transfer_review_begin(
        instrument=LegacyInstrument.objects.get(), team=team, acting_user=caseworker
    )
    from tests.conversions.test_transfer_flow import Walker

    task = Walker(client, review.instrument, team)
    task.review = review
    open_task = task.task("give_notice")
    client.force_login(other_caseworker)
    assert client.get(reverse("conversions:review_detail", args=[review.pk])).status_code == 404
    assert (
        client.get(reverse("conversions:task", args=[review.pk, open_task.pk])).status_code == 404
    )
    take = reverse("conversions:task_action", args=[review.pk, open_task.pk, "release"])
    assert client.post(take).status_code == 404


def test_import_page_shows_every_bad_line_and_imports_nothing(client, manager):
    client.force_login(manager)
    content = csv_bytes(
        [
            row(reference="A"),
            row(reference="B", date_of_birth="2005-02-30"),
            row(reference="C", instrument_type="Plan"),
        ]
    )
    response = client.post(
        reverse("conversions:import"), {"file": SimpleUploadedFile("legacy.csv", content)}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was imported" in page
    assert "2 rows of 3 need correcting" in page
    assert '<td class="govuk-table__cell">3</td>' in page and "is not a real date" in page
    assert '<td class="govuk-table__cell">4</td>' in page and "Unknown instrument type" in page
    assert not LegacyInstrument.objects.exists()
    good = csv_bytes([row(reference="A")])
    page = client.post(
        reverse("conversions:import"), {"file": SimpleUploadedFile("legacy.csv", good)}
    ).content.decode()
    assert "Import complete" in page and "1 imported" in page
    page = client.post(
        reverse("conversions:import"), {"file": SimpleUploadedFile("legacy.csv", good)}
    ).content.decode()
    assert "0 imported" in page and "1 already imported and unchanged" in page


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name",
    [
        "conversions:instruments",
        "conversions:timetable",
        "conversions:progress",
        "workflows:queue",  # where transfer-review tasks are listed
    ],
)
def test_list_pages_take_a_fixed_number_of_queries(client, manager, team, import_rows, name):
    team.members.add(manager)
    client.force_login(manager)
    url = reverse(name) + ("?scope=all" if name == "workflows:queue" else "")
    import_rows(many_rows(5), today=date(2016, 2, 1))
    for instrument in LegacyInstrument.objects.filter(transfer_review__isnull=True)[:2]:
        transfer_review_begin(instrument=instrument, team=team, acting_user=manager)
    small = _count_queries(client, url)
    import_rows(many_rows(60, start=5), today=date(2016, 2, 1))
    for instrument in LegacyInstrument.objects.filter(transfer_review__isnull=True)[:20]:
        transfer_review_begin(instrument=instrument, team=team, acting_user=manager)
    assert _count_queries(client, url) == small


def test_instrument_list_search_and_filter(client, caseworker, import_rows):
    import_rows(
        [
            row(reference="ST-1", last_name="Okafor"),
            row(
                reference="LDA-9",
                instrument_type="LDA",
                date_of_birth="1997-01-01",
                made_on="2013-01-01",
                year_group="",
                year_group_year="",
            ),
        ],
        today=date(2016, 2, 1),
    )
    client.force_login(caseworker)
    page = client.get(reverse("conversions:instruments") + "?q=okaf").content.decode()
    assert "ST-1" in page and "LDA-9" not in page
    page = client.get(reverse("conversions:instruments") + "?type=lda").content.decode()
    assert "LDA-9" in page and "ST-1" not in page


def test_timetable_page_and_csv_as_of_a_date(client, manager, import_rows):
    import_rows(
        [
            row(
                reference=f"P{i}",
                expected_transfer_on="2015-09-01",
                expected_transfer_type="secondary_to_post16",
                year_group="11",
            )
            for i in range(8)
        ]
        + [row(reference="R1")],
        today=date(2016, 2, 1),
    )
    client.force_login(manager)
    url = reverse("conversions:timetable")
    query = "?as_of_0=12&as_of_1=1&as_of_2=2015&reviews_per_caseworker=1&caseworkers=1"
    page = client.get(url + query).content.decode()
    assert "as of 12 January 2015" in page
    assert "2 transfers cannot meet their cohort deadline" in page
    response = client.get(url + query + "&format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv") and len(rows) == 9
    assert sum(r["meets_deadline"] == "no" for r in rows) == 2
    first = rows[0]
    assert (first["reference"], first["give_notice_by"], first["start_on"]) == (
        "P0",
        "2015-01-12",
        "2015-01-26",
    )
    # With two caseworkers every deadline is met.
    page = client.get(url + query.replace("caseworkers=1", "caseworkers=2")).content.decode()
    assert "Every cohort deadline can be met with this capacity" in page


def test_progress_page_and_csv_as_of_a_date(client, manager, import_rows):
    import_rows(many_rows(12), today=date(2016, 2, 1))
    client.force_login(manager)
    url = reverse("conversions:progress")
    page = client.get(url + "?as_of_0=1&as_of_1=6&as_of_2=2015").content.decode()
    assert "as of 1 June 2015" in page
    response = client.get(url + "?as_of_0=1&as_of_1=6&as_of_2=2015&format=csv&table=cohorts")
    rows = {r["cohort"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["ALL"]["total"] == "12" and rows["ALL"]["converted"] == "3"
    assert rows["ALL"]["on_time_share"] == "1.000"
    before = client.get(url + "?as_of_0=1&as_of_1=1&as_of_2=2015&format=csv").content.decode()
    assert {r["cohort"]: r for r in csv.DictReader(io.StringIO(before))}["ALL"]["converted"] == "0"
    risk = client.get(url + "?as_of_0=1&as_of_1=1&as_of_2=2016&format=csv&table=at_risk")
    risk_rows = list(csv.DictReader(io.StringIO(risk.content.decode())))
    assert risk_rows and all(r["cohort"] == "PHASE_2016" for r in risk_rows)


def test_progress_selector_returns_plain_rows_for_the_dashboard(import_rows):
    import_rows(many_rows(4), today=date(2016, 2, 1))
    rows = progress_by_cohort(as_of=date(2015, 6, 1))
    by_code = {r.cohort_code: r for r in rows}
    phase = by_code["PHASE_2016"]  # ST-0000 (converted 1 May 2015) and ST-0003
    assert (phase.total, phase.converted, phase.on_time_share, phase.not_started) == (2, 1, 1.0, 1)
    assert (by_code["REMAINING"].total, by_code["REMAINING"].converted) == (2, 0)
    assert [r.cohort_code for r in rows][0] == "POST16_2015"


def test_csv_cells_cannot_run_as_formulas(client, manager, import_rows):
    import_rows([row(reference="=HYPERLINK(1)")], today=date(2016, 2, 1))
    client.force_login(manager)
    body = client.get(reverse("conversions:timetable") + "?format=csv").content.decode()
    assert "'=HYPERLINK(1)" in body


def test_another_teams_child_is_not_in_the_register_nor_found(
    client, import_rows, caseworker, team, other_caseworker, manager
):
    """A North caseworker cannot open a South child's Statement once South has taken it up."""
    import_rows([row()], today=date(2016, 2, 1))
    instrument = LegacyInstrument.objects.get()
    url = reverse("conversions:instrument_detail", args=[instrument.pk])
    client.force_login(other_caseworker)
    assert client.get(url).status_code == 200  # not yet taken up by any team
    transfer_review_begin(instrument=instrument, team=team, acting_user=caseworker)
    assert client.get(url).status_code == 404
    listing = client.get(reverse("conversions:instruments")).content.decode()
    assert instrument.reference not in listing
    client.force_login(caseworker)
    assert client.get(url).status_code == 200
    assert instrument.reference in client.get(reverse("conversions:instruments")).content.decode()
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_the_old_transfer_review_task_list_sends_staff_to_the_work_queue(client, caseworker):
    client.force_login(caseworker)
    response = client.get(reverse("conversions:reviews") + "?scope=team")
    assert response.status_code == 302
    assert response["Location"] == reverse("workflows:queue") + "?scope=team"
    response = client.get(reverse("conversions:reviews") + "?scope=../evil")
    assert response["Location"] == reverse("workflows:queue")
