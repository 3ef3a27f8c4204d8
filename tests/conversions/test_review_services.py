"""The transfer-review services directly: the dated T8-T10 versions on the case."""

from datetime import date

import pytest
import time_machine

from conversions.flows import transfer_review_begin
from conversions.models import LegacyInstrument
from conversions.services import transfer_notice_record, transfer_review_start
from ehc import timescales
from ehc.models import Deadline
from tests.conftest import london
from tests.conversions.conftest import row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(london(2016, 2, 1, 12), tick=False):
        yield


@pytest.mark.parametrize(
    ("notice", "start", "kind", "clock_from", "due"),
    [
        (date(2015, 3, 2), date(2015, 3, 31), "T8", date(2015, 3, 2), date(2015, 6, 8)),
        (date(2015, 3, 2), date(2015, 4, 1), "T9", date(2015, 4, 1), date(2015, 7, 8)),
        (date(2015, 8, 3), date(2015, 8, 31), "T9", date(2015, 8, 31), date(2015, 12, 7)),
        (date(2015, 8, 3), date(2015, 9, 1), "T10", date(2015, 9, 1), date(2016, 1, 5)),
    ],
)
def test_the_version_in_force_at_the_start_decides_the_deadline(
    import_rows, caseworker, team, notice, start, kind, clock_from, due
):
    import_rows([row(reference="ST-1")], today=date(2016, 2, 1))
    instrument = LegacyInstrument.objects.get(reference="ST-1")
    review = transfer_review_begin(instrument=instrument, team=team, acting_user=caseworker)
    transfer_notice_record(
        review=review, notice_given_on=notice, planned_start_on=start, acting_user=caseworker
    )
    case = transfer_review_start(review=review, started_on=start, acting_user=caseworker)
    tracked = Deadline.objects.get(case=case, source="conversions")
    assert (tracked.kind, tracked.starts_on, tracked.due_on) == (kind, clock_from, due)
    assert tracked.due_on == timescales.transfer_review_plan_due(start, notice)
    assert tracked.title == timescales.RULES[kind].title


def test_withdrawing_a_transfer_review_case_cancels_the_reviews_tasks(
    import_rows, caseworker, team
):
    from viewflow.workflow.status import PROCESS

    from conversions.flows import TransferReviewFlow
    from conversions.models import TransferReviewProcess
    from workflows.services import case_close_with_flow

    import_rows([row(reference="ST-9")], today=date(2016, 2, 1))
    review = transfer_review_begin(
        instrument=LegacyInstrument.objects.get(reference="ST-9"), team=team, acting_user=caseworker
    )
    transfer_notice_record(
        review=review,
        notice_given_on=date(2015, 10, 1),
        planned_start_on=date(2015, 10, 20),
        acting_user=caseworker,
    )
    case = transfer_review_start(
        review=review, started_on=date(2015, 10, 20), acting_user=caseworker
    )
    assert not case.deadlines.filter(kind__in=["A2", "A7", "A13"]).exists()
    case_close_with_flow(
        case=case,
        kind="withdrawn",
        closed_on=date(2015, 11, 1),
        reason="Family moved abroad",
        acting_user=caseworker,
    )
    processes = TransferReviewProcess.objects.filter(
        flow_class=TransferReviewFlow, artifact_object_id=review.pk
    )
    assert processes.exists() and not processes.filter(status=PROCESS.NEW).exists()
