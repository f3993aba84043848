"""The LOS deadlines, each written once: as Python for one case and as a query for many. The
model, the case list's filters, the worklist, the case page, the API and the indicators all use
these; the check times (when a receipt is due) are in `clock.next_check_time`.

Grounds (LOS, SFS 2017:612, and Socialstyrelsen's juridiskt stöd): the admission notice within
24 hours of admission or of the later judgement that support may be needed; the fast
vårdkontakt calls the SIP within 3 days of the ready notice; payment liability may begin three
calendar days after the ready notice (followup.payment holds each agreement's exact days)."""

from datetime import datetime, timedelta

from django.db.models import DateTimeField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

NOTICE_HOURS = 24
SIP_CALL_DAYS = 3
READY_FLAG_DAYS = 3

_NOTICE = timedelta(hours=NOTICE_HOURS)
_SIP = timedelta(days=SIP_CALL_DAYS)


# -- the admission notice: 24 h from admission or the later support judgement


def notice_due_at(case) -> datetime | None:
    start = case.support_judged_at or case.admitted_at
    return start + _NOTICE if start else None


def notice_overdue(case, now) -> bool:
    due = notice_due_at(case)
    return bool(due and not case.notice_sent_at and now > due)


def notice_due_expression():
    return ExpressionWrapper(
        Coalesce("support_judged_at", "admitted_at") + _NOTICE, output_field=DateTimeField()
    )


def notice_overdue_q(now) -> Q:
    """Admitted, no notice sent, and 24 h passed since the judgement (or the admission)."""
    late = now - _NOTICE
    started = Q(support_judged_at__lt=late) | Q(
        support_judged_at__isnull=True, admitted_at__lt=late
    )
    return Q(state="admitted", notice_sent_at__isnull=True) & started


def notice_on_time_q() -> Q:
    return Q(notice_sent_at__isnull=False, notice_sent_at__lte=notice_due_expression())


# -- the SIP: called within 3 days of the ready notice when one is needed


def sip_call_due_at(case) -> datetime | None:
    return case.ready_at + _SIP if case.ready_at and case.sip_needed else None


def sip_call_overdue(case, now) -> bool:
    due = sip_call_due_at(case)
    return bool(due and not case.sip_called_at and now > due)


def sip_on_time_q() -> Q:
    due = ExpressionWrapper(F("ready_at") + _SIP, output_field=DateTimeField())
    return Q(sip_needed=True, sip_called_at__isnull=False, sip_called_at__lte=due)


# -- days as ready: calendar days (Swedish time) from the current ready notice


def days_ready(case, now) -> int | None:
    if not case.ready_at:
        return None
    end = case.discharged_at or now
    return (timezone.localdate(end) - timezone.localdate(case.ready_at)).days


def ready_flagged(case, now) -> bool:
    """From the third day as ready, when payment liability may begin."""
    return (days_ready(case, now) or 0) >= READY_FLAG_DAYS


def ready_flag_at(case) -> datetime | None:
    """The start of the day (Swedish time) the ready patient is flagged."""
    if not case.ready_at:
        return None
    return _day_start(timezone.localdate(case.ready_at) + timedelta(days=READY_FLAG_DAYS))


def ready_flagged_q(now) -> Q:
    """Ready and on the third calendar day or later (the same days as `days_ready`)."""
    first_unflagged = timezone.localdate(now) - timedelta(days=READY_FLAG_DAYS - 1)
    return Q(state="ready", ready_at__lt=_day_start(first_unflagged))


def overdue_q(now) -> Q:
    """The case list's "försenade": a late notice, a late SIP call or a flagged ready patient."""
    sip_late = Q(state="ready", sip_needed=True, sip_called_at__isnull=True)
    return notice_overdue_q(now) | ready_flagged_q(now) | sip_late & Q(ready_at__lt=now - _SIP)


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
