"""conversions.progress: the transition as it stood on a given day (pure)."""

from datetime import date

from conversions import progress as pg
from conversions import timetable as tt


def record(ref="S1", kind=tt.STATEMENT, made=date(2010, 1, 1), moving=None, **dates):
    moving_on, moving_type = moving or (None, "")
    return pg.Record(
        instrument_id=hash(ref) % 10_000,
        facts=tt.InstrumentFacts(ref, kind, None, None, moving_on, moving_type),
        made_on=made,
        child_name="Ada Lovelace",
        **dates,
    )


POST16_2015 = (date(2015, 9, 1), tt.SECONDARY_TO_POST16)


def test_status_reads_only_facts_dated_on_or_before_as_of():
    r = record(
        notice_given_on=date(2015, 1, 5),
        planned_start_on=date(2015, 1, 19),
        started_on=date(2015, 1, 19),
        concluded_on=date(2015, 4, 20),
        outcome="plan_issued",
    )
    assert pg.status_on(r, date(2015, 1, 4)) == pg.NOT_STARTED
    assert pg.status_on(r, date(2015, 1, 5)) == pg.IN_PROGRESS
    assert pg.status_on(r, date(2015, 4, 19)) == pg.IN_PROGRESS
    assert pg.status_on(r, date(2015, 4, 20)) == pg.CONVERTED
    assert pg.status_on(record(ceased_on=date(2016, 1, 1)), date(2016, 1, 1)) == pg.CEASED


def test_by_cohort_counts_and_on_time_share():
    records = [
        record(
            "A",
            moving=POST16_2015,
            started_on=date(2015, 1, 5),
            notice_given_on=date(2014, 12, 1),
            concluded_on=date(2015, 3, 1),
        ),  # on time
        record(
            "B",
            moving=POST16_2015,
            started_on=date(2015, 1, 5),
            notice_given_on=date(2014, 12, 1),
            concluded_on=date(2015, 6, 15),
        ),  # late
        record(
            "C",
            moving=POST16_2015,
            notice_given_on=date(2015, 5, 1),
            planned_start_on=date(2015, 5, 18),
        ),  # in progress from 1 May
        record("D", moving=POST16_2015),
        record("E", made=date(2016, 1, 1)),  # did not exist yet on the days below
        record("L", kind=tt.LDA, started_on=date(2015, 2, 2), concluded_on=date(2015, 6, 1)),
    ]
    rows = {r.cohort_code: r for r in pg.by_cohort(records, date(2015, 7, 1))}
    post16 = rows["POST16_2015"]
    assert (
        post16.total,
        post16.converted,
        post16.converted_on_time,
        post16.converted_late,
        post16.in_progress,
        post16.not_started,
    ) == (4, 2, 1, 1, 1, 1)
    assert post16.on_time_share == 0.5 and post16.deadline_passed
    assert post16.at_risk == 2  # C and D missed the passed deadline
    assert rows["REMAINING"].total == 0
    assert (rows["LDA"].converted, rows["LDA"].on_time_share) == (1, 1.0)
    assert list(rows) == list(tt.COHORTS)  # every cohort, in deadline order

    early = {r.cohort_code: r for r in pg.by_cohort(records, date(2015, 2, 1))}["POST16_2015"]
    assert (early.converted, early.in_progress, early.not_started) == (0, 2, 2)
    assert early.on_time_share is None

    total = pg.totals(pg.by_cohort(records, date(2015, 7, 1)))
    assert (total.total, total.converted) == (5, 3)


def test_risk_reasons():
    as_of = date(2015, 2, 16)
    # Not started; the 30 May 2015 deadline needs a start by 7 March, so notice by 21 February.
    soon = pg.risk_on(record(moving=POST16_2015), as_of)
    assert soon.act_by == date(2015, 2, 21) and "Give notice by 21 February 2015" in soon.reason
    # Too late even if started now.
    hopeless = pg.risk_on(record(moving=POST16_2015), date(2015, 3, 1))
    assert "even if the transfer starts now" in hopeless.reason
    # In progress: a start on 30 March is still under the 2014 order (T8: 14 weeks from the
    # notice, so 11 May); a start on 6 April is under SI 2015/505 (T9: 13 July, too late).
    fine = record(
        moving=POST16_2015, notice_given_on=date(2015, 2, 2), planned_start_on=date(2015, 3, 30)
    )
    assert pg.risk_on(fine, as_of) is None
    slow = record(
        moving=POST16_2015, notice_given_on=date(2015, 2, 2), planned_start_on=date(2015, 4, 6)
    )
    assert "Plan due 13 July 2015, after the cohort deadline" in pg.risk_on(slow, as_of).reason
    # Plenty of time: no risk.
    assert pg.risk_on(record(), as_of) is None
    # Done or ceased: no risk.
    assert (
        pg.risk_on(
            record(moving=POST16_2015, started_on=date(2015, 1, 1), concluded_on=date(2015, 2, 1)),
            as_of,
        )
        is None
    )
    assert pg.risk_on(record(kind=tt.NON_STATUTORY), as_of) is None


def test_at_risk_list_is_soonest_deadline_first():
    records = [
        record("R", made=date(2010, 1, 1)),
        record("P", moving=POST16_2015),
        record("L", kind=tt.LDA),
    ]
    rows = pg.at_risk(records, date(2016, 8, 1))
    assert [r.reference for r in rows] == ["P", "L"]
    assert rows[0].status == pg.NOT_STARTED and rows[0].deadline == date(2015, 5, 30)


def test_schedule_items_leave_out_what_is_under_way_and_fix_notified_starts():
    records = [
        record("N"),
        record("F", notice_given_on=date(2015, 1, 5), planned_start_on=date(2015, 1, 19)),
        record("S", notice_given_on=date(2015, 1, 5), started_on=date(2015, 1, 19)),
        record("C", started_on=date(2014, 10, 1), concluded_on=date(2015, 1, 1)),
        record("X", ceased_on=date(2014, 12, 1)),
    ]
    items = {i.reference: i for i in pg.schedule_items(records, date(2015, 1, 10))}
    assert set(items) == {"N", "F"}
    assert items["F"].fixed_start == date(2015, 1, 19) and items["N"].fixed_start is None
    # Before the notice, F is free to move; before the start, S is still to schedule.
    earlier = {i.reference: i for i in pg.schedule_items(records, date(2015, 1, 1))}
    assert earlier["F"].fixed_start is None and "S" in earlier and "C" not in earlier
