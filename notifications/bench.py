"""Figures for `manage.py bench`: the deadline sweep over the seeded cases, against a floor.

Two floors. The SELECT floor is one hand-written SELECT finding the same due (deadline,
person) pairs as the default rules, with no insert. The fair floor is one hand-written
INSERT ... SELECT ... ON CONFLICT DO NOTHING (INSERT OR IGNORE on SQLite) that writes the same
notification rows the sweep writes for the active deadline rules, people and channels: the
least any sweep that records its alerts could do. The sweep is measured against that one. Everything runs inside a
transaction that is rolled back, so later benchmarks see the seeded data unchanged, and
nothing is queued (on-commit callbacks of a rolled-back transaction never run).

The event cursor starts at the newest seeded event, as migration 0002 sets it when alerts are
installed on existing data: the figures are the steady state, not the one-off catch-up of
events bulk-loaded within the last hour.
"""

import time
import tracemalloc
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ehc import roles
from ehc.bench import benchmark
from ehc.models import CaseEvent
from notifications import windows
from notifications.models import AlertRule, Notification, SweepState
from notifications.services import deadlines_sweep
from notifications.services.sweep import OVERDUE_RECENT_DAYS

# The due set of the seeded default rules (see migration 0002): caseworkers (or, with nobody
# assigned, team managers) for deadlines within 10 working days, team managers for deadlines
# missed in the last four weeks.
FLOOR_SQL = """
SELECT d.id, c.assigned_caseworker_id
FROM ehc_deadline d
JOIN ehc_case c ON c.id = d.case_id
JOIN ehc_user u ON u.id = c.assigned_caseworker_id AND u.is_active
WHERE d.is_open = TRUE AND d.status = 'running' AND d.kind IN ({kinds})
  AND d.due_on >= %s AND d.due_on < %s
UNION ALL
SELECT d.id, tm.user_id
FROM ehc_deadline d
JOIN ehc_case c ON c.id = d.case_id
LEFT JOIN ehc_user assigned ON assigned.id = c.assigned_caseworker_id
JOIN ehc_team_members tm ON tm.team_id = c.team_id
JOIN ehc_user u ON u.id = tm.user_id AND u.is_active
JOIN ehc_user_groups ug ON ug.user_id = u.id
JOIN auth_group g ON g.id = ug.group_id AND g.name = %s
WHERE d.is_open = TRUE AND d.kind IN ({kinds}) AND (
    (d.status = 'running' AND d.due_on >= %s AND d.due_on < %s
     AND (assigned.id IS NULL OR NOT assigned.is_active))
 OR (d.status IN ('running', 'breached') AND NOT d.is_family_window
     AND d.due_on >= %s AND d.due_on < %s))
"""


def sweep_figures() -> dict:
    kinds = _caseworker_kinds()
    # Each database as it is in use: PostgreSQL with the planner statistics autovacuum keeps
    # (straight after a bulk load it has none, and plans these joins several times slower);
    # SQLite, the development database, without, as nothing there ever runs ANALYZE.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    with transaction.atomic():
        newest_event = CaseEvent.objects.aggregate(newest=Max("pk"))["newest"] or 0
        SweepState.objects.update_or_create(
            pk=SweepState.SINGLETON_ID, defaults={"events_checked_to_id": newest_event}
        )
        floor_s, floor_rows = min(_floor(kinds) for _ in range(2))
        insert_floor_s, insert_floor_rows = min(_insert_floor_rolled_back() for _ in range(2))
        seconds, queries, created = _timed_sweep_rolled_back()
        deadline_created = _deadline_notifications_rolled_back()
        peak_mb = _peak_memory_of_sweep_rolled_back()
        deadlines_sweep()
        repeat_s, repeat_queries, _ = _timed(deadlines_sweep)
        transaction.set_rollback(True)
    return {
        "sweep_s": seconds,
        "sweep_queries": queries,
        "sweep_notifications": created,
        "sweep_repeat_s": repeat_s,
        "sweep_repeat_queries": repeat_queries,
        "sweep_sql_floor_s": floor_s,
        "sweep_sql_floor_rows": floor_rows,
        "sweep_insert_floor_s": insert_floor_s,
        "sweep_insert_floor_rows": insert_floor_rows,
        "sweep_deadline_notifications": deadline_created,
        "sweep_vs_insert_floor": round(seconds / insert_floor_s, 2) if insert_floor_s else None,
        "sweep_peak_mb": peak_mb,
    }


def _caseworker_kinds() -> list[str]:
    rule = AlertRule.objects.filter(trigger=AlertRule.Trigger.DUE_SOON, is_active=True).first()
    return list(rule.deadline_kinds) if rule else []


def _timed(fn):
    """Seconds, queries and result. Queries are counted as they run, not read back from
    Django's query log, which keeps only the last 9,000 and is full after seeding."""
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    return round(elapsed, 4), queries, result


def _timed_sweep_rolled_back() -> tuple[float, int, int]:
    savepoint = transaction.savepoint()
    seconds, queries, _ = _timed(deadlines_sweep)
    created = Notification.objects.count()
    transaction.savepoint_rollback(savepoint)
    return seconds, queries, created


def _peak_memory_of_sweep_rolled_back() -> float:
    savepoint = transaction.savepoint()
    tracemalloc.start()
    try:
        deadlines_sweep()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    transaction.savepoint_rollback(savepoint)
    return round(peak / 1024 / 1024, 2)


def _floor(kinds: list[str]) -> tuple[float, int]:
    today = timezone.localdate()
    horizon = windows.first_day_beyond(today, 10)
    sql = FLOOR_SQL.format(kinds=", ".join(["%s"] * len(kinds)))
    params = [
        *kinds,
        today,
        horizon,
        *kinds,
        roles.MANAGER,
        today,
        horizon,
        today - timedelta(days=OVERDUE_RECENT_DAYS),
        today,
    ]
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = len(cursor.fetchall())
    return round(time.perf_counter() - start, 4), rows


# One audience group of one deadline rule: the people, the reason, and the deadlines they hear
# of (the {deadlines} condition, with its parameters, is added per rule).
_ASSIGNED = """
SELECT d.id AS deadline_id, d.case_id AS case_id, u.id AS user_id, u.email AS email
FROM ehc_deadline d
JOIN ehc_case c ON c.id = d.case_id
JOIN ehc_user u ON u.id = c.assigned_caseworker_id AND u.is_active
WHERE {deadlines}
"""
_MANAGERS = """
SELECT d.id AS deadline_id, d.case_id AS case_id, u.id AS user_id, u.email AS email
FROM ehc_deadline d
JOIN ehc_case c ON c.id = d.case_id
LEFT JOIN ehc_user assigned ON assigned.id = c.assigned_caseworker_id
JOIN ehc_team_members tm ON tm.team_id = c.team_id
JOIN ehc_user u ON u.id = tm.user_id AND u.is_active
JOIN ehc_user_groups ug ON ug.user_id = u.id
JOIN auth_group g ON g.id = ug.group_id AND g.name = %s
WHERE {deadlines} {unassigned}
"""


def _insert_floor_sql(today) -> tuple[str, list]:
    """One INSERT ... SELECT of every notification the active deadline rules are due to
    write now: each rule's window and audience by hand, crossed with its channels."""
    from notifications.services.sweep import nearer_lead

    rules = list(AlertRule.objects.filter(is_active=True))
    parts, params = [], []
    for rule in rules:
        if rule.trigger == AlertRule.Trigger.DUE_SOON:
            lead = nearer_lead(rule, rules)
            window = windows.due_soon_window(today, rule.working_days_before, lead)
            condition = "d.is_open AND d.status = 'running' AND d.due_on >= %s AND d.due_on < %s"
            window_params: list[object] = [window.on_or_after, window.before]
        elif rule.trigger == AlertRule.Trigger.OVERDUE:
            condition = (
                "d.is_open AND d.status IN ('running', 'breached') AND NOT d.is_family_window "
                "AND d.due_on >= %s AND d.due_on < %s"
            )
            window_params = [today - timedelta(days=OVERDUE_RECENT_DAYS), today]
        else:
            continue  # family events: few, and not deadline rows
        if rule.deadline_kinds:
            condition += f" AND d.kind IN ({', '.join(['%s'] * len(rule.deadline_kinds))})"
            window_params += list(rule.deadline_kinds)
        groups = []
        if rule.audience == AlertRule.Audience.CASEWORKER:
            groups.append((_ASSIGNED.format(deadlines=condition), window_params, "assigned"))
            groups.append(
                (
                    _MANAGERS.format(
                        deadlines=condition,
                        unassigned="AND (assigned.id IS NULL OR NOT assigned.is_active)",
                    ),
                    [roles.MANAGER, *window_params],
                    "unassigned",
                )
            )
        elif rule.audience == AlertRule.Audience.MANAGERS:
            groups.append(
                (
                    _MANAGERS.format(deadlines=condition, unassigned=""),
                    [roles.MANAGER, *window_params],
                    "team_manager",
                )
            )
        for sql, group_params, reason in groups:
            parts.append(
                "SELECT %s AS rule_id, %s AS trg, %s AS reason, %s AS by_email, %s AS in_app, "
                f"q.deadline_id, q.case_id, q.user_id, q.email FROM ({sql}) q"
            )
            params += [
                rule.pk,
                rule.trigger,
                reason,
                rule.send_email,
                rule.show_in_app,
                *group_params,
            ]
    table = Notification._meta.db_table
    ignore = "INSERT OR IGNORE INTO" if connection.vendor == "sqlite" else "INSERT INTO"
    conflict = " ON CONFLICT DO NOTHING" if connection.vendor == "postgresql" else ""
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = (
        f"{ignore} {table} (rule_id, trigger, deadline_id, case_id, reason, channel, "
        "recipient_user_id, recipient_email, recipient_key, event_id, status, status_detail, "
        "attempts, created_at, queued_at, subject, body, provider, provider_reference) "
        "SELECT n.rule_id, n.trg, n.deadline_id, n.case_id, n.reason, ch.channel, n.user_id, "
        "n.email, 'user:' || CAST(n.user_id AS VARCHAR(20)), NULL, 'pending', '', 0, %s, %s, "
        "'', '', '', '' FROM (" + " UNION ALL ".join(parts) + ") n "
        "JOIN (SELECT 'email' AS channel UNION ALL SELECT 'in_app') ch ON "
        "(ch.channel = 'email' AND n.by_email AND n.email > '') "
        f"OR (ch.channel = 'in_app' AND n.in_app){conflict}"
    )
    return sql, [stamp, stamp, *params]


def _insert_floor_rolled_back() -> tuple[float, int]:
    sql, params = _insert_floor_sql(timezone.localdate())
    savepoint = transaction.savepoint()
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.rowcount
    elapsed = time.perf_counter() - start
    transaction.savepoint_rollback(savepoint)
    return round(elapsed, 4), rows


def _deadline_notifications_rolled_back() -> int:
    """How many notifications about deadlines the sweep writes (the insert floor's rows)."""
    savepoint = transaction.savepoint()
    deadlines_sweep()
    count = Notification.objects.filter(deadline__isnull=False).count()
    transaction.savepoint_rollback(savepoint)
    return count


@benchmark
def alert_sweep(cases: int) -> dict:
    """The deadline sweep over the seeded cases, against a hand-written SQL floor."""
    return sweep_figures()
