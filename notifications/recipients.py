"""Who a rule tells, as one set-based INSERT ... SELECT per rule.

The source is a queryset of Deadline rows or of CaseEvent rows, which reach the case through
`case`, so one set of audience joins serves both; or of SubjectDeadline rows (clocks without a
case), whose people are the owners the core keeps beside them. Each group of people (say, the assigned
caseworker, or the team's managers when nobody is assigned) is one SELECT; they are joined with
UNION ALL, crossed with the rule's channels (email for those with an address, in-app for those
who sign in), and inserted in one statement that skips rows whose unique key (deadline or event,
rule, recipient, channel) already exists. The statement returns only the ids it inserted, so the
caller queues exactly the new rows.

Nothing here loops over cases or deadlines in Python: the database does the join.
"""

from datetime import datetime

from django.db import connection
from django.db.models import BigIntegerField, CharField, F, Q, QuerySet, Value
from django.db.models.constants import OnConflict
from django.db.models.functions import Cast, Coalesce, Concat, Lower, NullIf

from ehc import roles
from notifications.audiences import AUDIENCES
from notifications.models import AlertRule, Notification

Audience = AlertRule.Audience
Channel = Notification.Channel
Reason = Notification.Reason

# The columns every audience SELECT yields, in this order (UNION ALL matches by position).
ROW_COLUMNS = ("n_source", "n_case", "n_reason", "n_user", "n_email", "n_key")

_NO_ID = Cast(Value(None), output_field=BigIntegerField())  # no user, or no case


def record_notifications(rule: AlertRule, source: QuerySet, *, now: datetime) -> list[int]:
    """Insert a PENDING notification per recipient and channel of each source row; new ids."""
    channels = _channels(rule)
    if not channels:
        return []
    parts = [_as_rows(rows, reason) for rows, reason in _people(rule, source)]
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    select_sql, select_params = union.query.sql_with_params()
    sql = _insert_sql(select_sql, _SOURCE_COLUMN[source.model._meta.model_name], channels)
    stamp = connection.ops.adapt_datetimefield_value(now)  # as the ORM would store it
    # The placeholders in _insert_sql's columns, in order, then the audience SELECT's.
    params = (rule.pk, rule.trigger, stamp, stamp, *select_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _channels(rule: AlertRule) -> list[str]:
    wanted = {Channel.EMAIL: rule.send_email, Channel.IN_APP: rule.show_in_app}
    return [channel for channel, on in wanted.items() if on]


# Which channel reaches whom: email needs an address, in-app needs a login.
_CHANNEL_REACHES = {
    Channel.EMAIL: f"(ch.channel = '{Channel.EMAIL}' AND q.n_email > '')",
    Channel.IN_APP: f"(ch.channel = '{Channel.IN_APP}' AND q.n_user IS NOT NULL)",
}


# Which column of the notification names the source row, by the source's model.
_SOURCE_COLUMN = {
    "deadline": "deadline_id",
    "caseevent": "event_id",
    "subjectdeadline": "subject_deadline_id",
}


def _insert_sql(select_sql: str, source_column: str, channels: list[str]) -> str:
    """INSERT (ignoring duplicate keys) ... SELECT people x channels ... RETURNING id."""
    ops, table = connection.ops, Notification._meta.db_table
    about = {c: ("q.n_source" if c == source_column else "NULL") for c in _SOURCE_COLUMN.values()}
    channel_table = " UNION ALL ".join(f"SELECT '{c}' AS channel" for c in channels)
    reaches = " OR ".join(_CHANNEL_REACHES[c] for c in channels)
    columns = {
        "rule_id": "%s",
        **about,
        "case_id": "q.n_case",
        "trigger": "%s",
        "reason": "q.n_reason",
        "channel": "ch.channel",
        "recipient_user_id": "q.n_user",
        "recipient_email": "q.n_email",
        "recipient_key": "q.n_key",
        "status": f"'{Notification.Status.PENDING}'",
        "status_detail": "''",
        "attempts": "0",
        "created_at": "%s",
        "queued_at": "%s",
        "subject": "''",
        "body": "''",
        "provider": "''",
        "provider_reference": "''",
    }
    names = ", ".join(ops.quote_name(c) for c in columns)
    return (
        f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {ops.quote_name(table)} ({names}) "
        f"SELECT {', '.join(columns.values())} FROM ({select_sql}) q "
        f"JOIN ({channel_table}) ch ON {reaches} "
        f"{ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])} "
        f"RETURNING {ops.quote_name('id')}"
    )


def _people(rule: AlertRule, source: QuerySet) -> list[tuple[QuerySet, str]]:
    """(rows, why they are told) for each group of people in the rule's audience."""
    app_audience = AUDIENCES.get(rule.audience)
    if app_audience is not None:
        return [(rows, app_audience.reason) for rows in app_audience.people(source)]
    if rule.audience == Audience.CASEWORKER:
        return [
            (_assigned_caseworker(source), Reason.ASSIGNED),
            (_team_managers(source.filter(_no_active_caseworker())), Reason.UNASSIGNED),
        ]
    if rule.audience == Audience.MANAGERS:
        return [(_team_managers(source), Reason.TEAM_MANAGER)]
    if rule.audience == Audience.OWNERS:
        return [(_owners(source), Reason.OWNER)]
    return [(_family_who_sign_in(source), Reason.FAMILY), (_family_by_email(source), Reason.FAMILY)]


def _as_rows(rows: QuerySet, reason: str) -> QuerySet:
    has_case = rows.model._meta.model_name != "subjectdeadline"
    rows = rows.annotate(
        n_source=F("pk"),
        n_case=F("case_id") if has_case else _NO_ID,
        n_reason=Value(reason, output_field=CharField()),
    )
    return rows.order_by().values(*ROW_COLUMNS)


def _user_key(user_id_path: str) -> Concat:
    return Concat(Value("user:"), Cast(F(user_id_path), CharField()), output_field=CharField())


def _no_active_caseworker() -> Q:
    """Nobody is assigned, or the assigned caseworker's account was switched off."""
    return Q(case__assigned_caseworker__isnull=True) | Q(case__assigned_caseworker__is_active=False)


def _assigned_caseworker(source: QuerySet) -> QuerySet:
    return source.filter(case__assigned_caseworker__is_active=True).annotate(
        n_user=F("case__assigned_caseworker_id"),
        n_email=F("case__assigned_caseworker__email"),
        n_key=_user_key("case__assigned_caseworker_id"),
    )


def _team_managers(source: QuerySet) -> QuerySet:
    # One filter() call, so both conditions apply to the same team member.
    managers = source.filter(
        case__team__members__groups__name=roles.MANAGER, case__team__members__is_active=True
    )
    return managers.annotate(
        n_user=F("case__team__members__id"),
        n_email=F("case__team__members__email"),
        n_key=_user_key("case__team__members__id"),
    )


def _owners(source: QuerySet) -> QuerySet:
    """The people the core keeps as a clock's owners (ehc.SubjectDeadlineOwner): users whose
    account is on (email to their account's address, else the one kept, and in-app), and
    addresses without a login (email only). One filter() call: one join to the owners."""
    owners = source.filter(
        Q(owners__user__isnull=True) | Q(owners__user__is_active=True), owners__isnull=False
    )
    return owners.annotate(
        n_user=F("owners__user_id"),
        n_email=Coalesce(NullIf(F("owners__user__email"), Value("")), F("owners__email")),
        n_key=F("owners__key"),
    )


def _family_who_sign_in(source: QuerySet) -> QuerySet:
    """Contacts with a login: told by email (their account's, else the contact's) and in-app."""
    contacts = source.filter(case__child__contacts__user__is_active=True)
    return contacts.annotate(
        n_user=F("case__child__contacts__user_id"),
        n_email=Coalesce(
            NullIf(F("case__child__contacts__user__email"), Value("")),
            F("case__child__contacts__email"),
        ),
        n_key=_user_key("case__child__contacts__user_id"),
    )


def _family_by_email(source: QuerySet) -> QuerySet:
    """Contacts without a login but with an email address: email only.

    "No login" is tested through COALESCE so the planner starts from the few source rows, not
    from the contact.user_id index, which would read every contact without a login. The
    annotations and the filter on them share one join to contacts (one contact per row).
    """
    contacts = source.annotate(
        n_login=Coalesce(F("case__child__contacts__user_id"), Value(0)),
        n_user=_NO_ID,
        n_email=F("case__child__contacts__email"),
        n_key=Concat(
            Value("email:"), Lower("case__child__contacts__email"), output_field=CharField()
        ),
    )
    return contacts.filter(n_login=0, n_email__gt="")
