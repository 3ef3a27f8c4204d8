"""The deadline sweep: which alerts are due now, recorded once each, delivered after commit.

One INSERT ... SELECT per active rule over the open-deadline index, never a loop over cases, so
the sweep costs the same number of queries for ten cases or a hundred thousand. Sweeps are
serialised by locking the one SweepState row; the unique key on notifications would keep two
overlapping sweeps from duplicating anything even without that lock.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from ehc.models import CaseEvent, Deadline, SubjectDeadline
from ehc.services.subject_deadlines import subject_deadlines_owners_refresh
from notifications import windows
from notifications.models import AlertRule, SweepState
from notifications.recipients import record_notifications
from notifications.services.queueing import claim_stale_pending, deliver_on_commit

Trigger = AlertRule.Trigger

# Alerts are news. A deadline missed weeks ago belongs on the managers' dashboard, not in their
# inbox, and this bound stops the first sweep after installing from emailing every past miss.
OVERDUE_RECENT_DAYS = 28
# Likewise families are told about recent news only: a decision recorded months after the fact
# has already reached them by letter, and an email about it would confuse more than help.
FAMILY_EVENT_RECENT_DAYS = 28
# Events recorded longer ago than this are taken as committed; the event cursor never passes
# a newer one, so a slow transaction's event is still caught by a later sweep.
EVENT_SETTLE_TIME = timedelta(hours=1)


@dataclass(frozen=True)
class SweepResult:
    created: int
    requeued: int


def deadlines_sweep(*, now: datetime | None = None) -> SweepResult:
    """Record every alert due now under the active rules, and queue new and lost ones."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        state = _lock_sweep_state()
        rules = list(AlertRule.objects.filter(is_active=True))
        created: list[int] = []
        for rule in rules:
            source = _sources(rule, rules, state, today)
            if source.model is SubjectDeadline:
                # Their owners as the subject's app says now (a provider account added since).
                subject_deadlines_owners_refresh(deadlines=list(source))
            created += record_notifications(rule, source, now=now)
        _advance_event_cursor(state, now)
        requeued = claim_stale_pending(now)
        deliver_on_commit(created + requeued)
    return SweepResult(created=len(created), requeued=len(requeued))


def family_event_notify(*, event: CaseEvent, now: datetime | None = None) -> list[int]:
    """Tell the family about an event they were waiting for, at once rather than at the next
    sweep. `ehc.services.case_event_record` calls it for every event it saves (the hook is
    registered in NotificationsConfig.ready), so a decision, a draft or a final plan reaches the
    family as the caseworker records it; events written another way wait for the sweep.

    Safe to call more than once, or not at all: the sweep catches events nobody notified.
    Returns the ids of the notifications created by this call.
    """
    now = now or timezone.now()
    if event.occurred_on < timezone.localdate(now) - timedelta(days=FAMILY_EVENT_RECENT_DAYS):
        return []  # as the sweep: an event recorded long after it happened is old news
    rules = AlertRule.objects.filter(is_active=True, trigger=Trigger.FAMILY_EVENT)
    created: list[int] = []
    with transaction.atomic():
        for rule in rules:
            if event.kind in rule.event_kinds:
                source = CaseEvent.objects.filter(pk=event.pk)
                created += record_notifications(rule, source, now=now)
        deliver_on_commit(created)
    return created


def family_event_hook(event: CaseEvent) -> None:
    """The `ehc.services.events.on_event_recorded` hook: tell the family as the event is saved."""
    family_event_notify(event=event)


def _sources(rule: AlertRule, rules: list[AlertRule], state: SweepState, today: date) -> QuerySet:
    if rule.trigger == Trigger.FAMILY_EVENT:
        return _unnotified_family_events(rule, state, today)
    if rule.trigger == Trigger.OVERDUE:
        return _overdue_deadlines(rule, today)
    return _deadlines_due_soon(rule, rules, today)


def _open_deadlines(rule: AlertRule) -> QuerySet:
    """Open deadlines of the rule's kinds, read through the (is_open, due_on) index.

    The window is a few days of due dates, so that index reads only what is due. Two details
    keep SQLite's planner on it: `is_open__in=[True]` becomes `is_open IN (1)`, which can use
    the index, where `is_open=True` becomes a bare `is_open`, which cannot; and the kind is
    compared through a no-op expression, so the (kind, status) index, which would read every
    running deadline of those kinds however far off, is not a candidate. PostgreSQL, given
    its statistics, chooses the (is_open, due_on) index for this query too.

    A rule for whoever keeps the record (audience "owners") reads the clocks without a case
    (SubjectDeadline), through their own (is_open, due_on) index, the same way.
    """
    model = SubjectDeadline if rule.audience == AlertRule.Audience.OWNERS else Deadline
    deadlines = model.objects.filter(is_open__in=[True])
    if rule.deadline_kinds:
        deadlines = deadlines.alias(kind_code=Concat("kind", Value(""))).filter(
            kind_code__in=rule.deadline_kinds
        )
    return deadlines


def _deadlines_due_soon(rule: AlertRule, rules: list[AlertRule], today: date) -> QuerySet:
    window = windows.due_soon_window(today, rule.working_days_before, nearer_lead(rule, rules))
    return _open_deadlines(rule).filter(
        status=Deadline.Status.RUNNING,
        due_on__gte=window.on_or_after,
        due_on__lt=window.before,
    )


def _overdue_deadlines(rule: AlertRule, today: date) -> QuerySet:
    # A family's own window running out is not overdue work; a disapplied limit is excused.
    window = windows.overdue_window(today)
    deadlines = _open_deadlines(rule).filter(
        status__in=[Deadline.Status.RUNNING, Deadline.Status.BREACHED]
    )
    if deadlines.model is Deadline:
        deadlines = deadlines.filter(is_family_window=False)
    return deadlines.filter(
        due_on__gte=today - timedelta(days=OVERDUE_RECENT_DAYS),
        due_on__lt=window.before,
    )


def _unnotified_family_events(rule: AlertRule, state: SweepState, today: date) -> QuerySet:
    # Only events past the cursor are read (a primary-key range), so the scan stays small.
    return CaseEvent.objects.filter(
        pk__gt=state.events_checked_to_id,
        kind__in=rule.event_kinds,
        occurred_on__gte=today - timedelta(days=FAMILY_EVENT_RECENT_DAYS),
    )


def nearer_lead(rule: AlertRule, rules: list[AlertRule]) -> int | None:
    """The largest smaller lead of another coming-up rule for the same people and kinds.

    That rule takes over nearer the deadline, so this one stops where it starts.
    """
    leads = [
        other.working_days_before
        for other in rules
        if other.pk != rule.pk
        and other.trigger == Trigger.DUE_SOON
        and other.audience == rule.audience
        and other.working_days_before < rule.working_days_before
        and other.covers_kinds_of(rule)
    ]
    return max(leads, default=None)


def _lock_sweep_state() -> SweepState:
    state, _ = SweepState.objects.select_for_update().get_or_create(pk=SweepState.SINGLETON_ID)
    return state


def _advance_event_cursor(state: SweepState, now: datetime) -> None:
    settled = CaseEvent.objects.filter(
        pk__gt=state.events_checked_to_id, recorded_at__lt=now - EVENT_SETTLE_TIME
    ).aggregate(last=Max("pk"))["last"]
    if settled is not None:
        state.events_checked_to_id = settled
    state.last_swept_at = now
    state.save(update_fields=["events_checked_to_id", "last_swept_at"])


def treat_events_as_history(cases, events) -> None:
    """Move the event cursor past these events, so the sweep never tells families about them.

    For bulk loads of past records (the demo seeder calls it for each batch it inserts).
    """
    newest = max((event.pk for event in events if event.pk is not None), default=None)
    if newest is None:
        return
    state, _ = SweepState.objects.get_or_create(pk=SweepState.SINGLETON_ID)
    SweepState.objects.filter(pk=state.pk, events_checked_to_id__lt=newest).update(
        events_checked_to_id=newest
    )
