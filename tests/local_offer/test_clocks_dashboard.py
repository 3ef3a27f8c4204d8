"""The managers' dashboard shows the Local Offer's clocks as figures with a drill-down: the next
'you said, we did' and whether it is overdue, stale records, overdue actions."""

from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from local_offer import services
from tests.conftest import london
from tests.local_offer.conftest import TODAY

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboards:subject_deadlines")
LIST = reverse("dashboards:subject_deadline_list")


class Tables(HTMLParser):
    """Each table row as [(cell text, [link hrefs])], and every link on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, list[str]]]] = []
        self.links: list[tuple[str, str]] = []
        self._cell: list[str] | None = None
        self._hrefs: list[str] = []
        self._link: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self._cell, self._hrefs = [], []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif tag == "a":
            self._link, self._href = [], a.get("href", "")
            if self._cell is not None:
                self._hrefs.append(self._href)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append((" ".join("".join(self._cell).split()), self._hrefs))
            self._cell = None
        elif tag == "a" and self._link is not None:
            self.links.append((" ".join("".join(self._link).split()), self._href))
            self._link = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link.append(data)


def parse(html: str) -> Tables:
    tables = Tables()
    tables.feed(html)
    return tables


def row_for(tables: Tables, code: str) -> list[tuple[str, list[str]]]:
    [row] = [r for r in tables.rows if r and r[0][0].endswith(f"({code})")]
    return row


def figures(row: list[tuple[str, list[str]]]) -> list[str]:
    """The counts by band and the total (each link's visible number, not its hidden words)."""
    return [text.split()[0] for text, _ in row[1:6]]


@pytest.fixture
def local_offer_with_clocks(frozen, make_service, officer):
    """On 30 November 2026: two stale records and one fresh, an overdue action and one on time,
    and the first 'you said, we did' a year after the offer began (a year ago)."""
    frozen(london(2025, 11, 3, 12))
    services.comment_submit(about="content", text="The offer began with this comment.")
    frozen(london(2026, 11, 1, 12))
    for name, due in (("Stale one", date(2026, 11, 20)), ("Stale two", date(2026, 11, 25))):
        make_service(details_kw={"name": name}, council_kw={"review_due_on": due})
    make_service(details_kw={"name": "Fresh"}, council_kw={"review_due_on": date(2027, 6, 1)})
    for due in (date(2026, 11, 10), date(2027, 2, 1)):
        comment = services.comment_submit(about="content", text="More clubs please.")
        services.comment_answer(
            comment=comment,
            summary="More clubs were asked for.",
            response="We agree.",
            action=f"Ask clubs by {due}",
            action_owner=officer,
            action_due_on=due,
            anonymised_confirmed=True,
            acting_user=officer,
            today=date(2026, 11, 1),
        )
    frozen(london(2026, 11, 30, 12))
    return officer


def test_a_manager_sees_the_local_offer_clocks_and_follows_a_figure_to_the_records(
    client, local_offer_with_clocks
):
    client.force_login(local_offer_with_clocks)
    at_risk = parse(client.get(reverse("dashboards:at_risk")).content.decode())
    assert ("Deadlines without a case", DASHBOARD) in at_risk.links  # a dashboards tab

    page = parse(client.get(DASHBOARD).content.decode())
    report = row_for(page, "LO1")
    # Deadline, Overdue, this week, two weeks, on track, total, next due
    assert figures(report) == ["1", "0", "0", "0", "1"]
    assert report[6][0] == "3 Nov 2026 Overdue"
    stale = row_for(page, "LO2")
    assert figures(stale) == ["2", "0", "0", "1", "3"]
    assert stale[6][0] == "20 Nov 2026 Overdue"
    actions = row_for(page, "LO3")
    assert figures(actions) == ["1", "0", "0", "1", "2"]

    [overdue_link] = stale[1][1]
    assert urlsplit(overdue_link).path == LIST
    drill = parse(client.get(overdue_link).content.decode())
    records = [r for r in drill.rows if r and r[0][1]]
    assert [r[0][0] for r in records] == [
        "Stale one Local Offer record",
        "Stale two Local Offer record",
    ]
    assert [r[3][0] for r in records] == ["10", "5"]  # days late
    assert "hello@riverside.example" in records[0][4][0]  # the owners
    record_page = client.get(records[0][0][1][0])
    assert record_page.status_code == 200 and "Stale one" in record_page.content.decode()

    [action_link] = actions[1][1]
    action_rows = [r for r in parse(client.get(action_link).content.decode()).rows if r and r[0][1]]
    assert len(action_rows) == 1 and "Ask clubs by 2026-11-10" in action_rows[0][0][0]
    assert local_offer_with_clocks.display_name() in action_rows[0][4][0]
    answer_page = client.get(action_rows[0][0][1][0])
    assert answer_page.status_code == 200


def test_both_pages_download_as_csv(client, local_offer_with_clocks):
    client.force_login(local_offer_with_clocks)
    summary = client.get(DASHBOARD, {"format": "csv", "table": "deadlines_without_a_case"})
    lines = summary.content.decode().splitlines()
    assert lines[0].startswith("Code,Deadline,Overdue")
    assert any(line.startswith("LO2,") and line.endswith(",2026-11-20") for line in lines)
    listing = client.get(
        LIST,
        {
            "kind": "LO2",
            "band": "overdue",
            "format": "csv",
            "table": "deadlines_without_a_case_list",
        },
    )
    rows = listing.content.decode().splitlines()
    assert len(rows) == 3 and "Stale one" in rows[1] and "hello@riverside.example" in rows[1]


def test_each_page_runs_a_fixed_number_of_queries(client, local_offer_with_clocks, make_service):
    client.force_login(local_offer_with_clocks)
    urls = [DASHBOARD, f"{LIST}?kind=LO2", f"{LIST}?band=overdue", LIST]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            found.append(len(captured))
        return found

    few = counts()
    for n in range(12):
        make_service(
            details_kw={"name": f"Club {n}"},
            council_kw={"review_due_on": TODAY - timedelta(days=n + 1)},
        )
    assert counts() == few


def test_bad_parameters_are_ignored_and_others_are_refused(
    client, local_offer_with_clocks, caseworker
):
    client.force_login(local_offer_with_clocks)
    for params in (
        {"band": "nonsense"},
        {"kind": "<script>"},
        {"page": "999"},
        {"kind": "LO2\x00"},
    ):
        response = client.get(LIST, params)
        assert response.status_code == 200, params
        assert "<script>" not in response.content.decode()
    client.force_login(caseworker)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(LIST).status_code == 403
