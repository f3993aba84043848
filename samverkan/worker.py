"""Every job of the background worker, in one table (JOBS), and run_once that runs them all;
`manage.py run_worker` (samverkan/notifications/management/commands) repeats it. Each job lives
in its app, takes `now` and returns how many rows it handled. Several workers may run and any
may die: rows are leased (core.leases), each step is idempotent, and one failing job or message
never holds up the others (its work stays due for the next pass)."""

import logging

from samverkan.api.idempotency import expire
from samverkan.cases.services import auto_close
from samverkan.downtime.jobs import take_due_snapshots
from samverkan.experience.services import draw_calls
from samverkan.fhir.ordering import fail_overdue
from samverkan.fhir.outbound import send_outbound
from samverkan.followup.rollup import refresh_due
from samverkan.forums.mail import send_forum_mail
from samverkan.notifications.delivery import deliver_outbox, send_digests
from samverkan.sip.invitations import send_invitations

log = logging.getLogger(__name__)
ROLLUP_MONTHS_PER_PASS = 6  # a first build of years of months must not hold up the notices


def refresh_indicator_months(now) -> int:
    return refresh_due(now, limit=ROLLUP_MONTHS_PER_PASS)


JOBS = {  # name shown by run_worker -> job(now)
    "notifications": deliver_outbox,  # outbox rows -> in-app notifications, once each
    "e-mails": send_digests,  # each unit's digest of waiting notifications
    "closed": auto_close,  # discharged cases close themselves after CASE_AUTO_CLOSE_DAYS
    "invitations": send_invitations,  # SIP meeting invitations with a calendar file
    "idempotency keys expired": expire,  # API replay records older than IDEMPOTENCY_DAYS
    "indicator months": refresh_indicator_months,  # the follow-up's monthly rollup
    "held FHIR messages": fail_overdue,  # held > FHIR_HOLD_HOURS fail; applied drop body
    "record system messages": send_outbound,  # acknowledgements and answers, over FHIR
    "downtime snapshots": take_due_snapshots,  # each unit's snapshot at every check time
    "forum mail": send_forum_mail,  # forum invitations (.ics) and published minutes (PDF)
    "follow-up calls": draw_calls,  # the call list: drawn by each rule; past windows closed
}


def run_once(now=None) -> dict[str, int]:
    """One pass of every job; a job that fails is logged and the others still run."""
    return {name: _safely(name, job, now) for name, job in JOBS.items()}


def _safely(name: str, job, now) -> int:
    try:
        return job(now)
    except Exception:  # noqa: BLE001 - one failing job must not stop the notices
        log.exception("worker job %s failed", name)
        return 0
