"""The anonymous trust survey between organisations (who may answer, once per period, the
answer kept without the person) and the person's experience of a held SIP meeting."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from samverkan.audit.log import record
from samverkan.core.errors import invalid
from samverkan.directory.models import Principal
from samverkan.lib.exports import HIDDEN
from samverkan.lib.tables import Table
from samverkan.sip.access import get_sip_for_actor

from .models import SipExperience, TrustAnswered, TrustResponse, TrustSurvey

# --- trust between organisations --------------------------------------------------------------


def open_survey(today) -> TrustSurvey | None:
    return TrustSurvey.objects.filter(opens_on__lte=today, closes_on__gte=today).last()


def last_closed(today) -> TrustSurvey | None:
    """Results are shown once a period has closed: while it is open, a result before and after
    a colleague's answer would tell that answer."""
    return TrustSurvey.objects.filter(closes_on__lt=today).last()


def may_answer(actor) -> bool:
    """Staff of the collaboration's units: members who work with persons (not analysts or
    system administrators, who are not staff of a unit in the collaboration)."""
    return actor is not None and actor.can("read_personal")


def others(actor) -> list:
    """The organisations the actor's organisation works with: every other principal."""
    if actor is None:
        return []
    return list(Principal.objects.exclude(pk=actor.unit.principal_id).order_by("kind", "name"))


def has_answered(actor, survey) -> bool:
    return bool(survey) and TrustAnswered.objects.filter(survey=survey, user=actor.user).exists()


@transaction.atomic
def answer_trust(actor, survey: TrustSurvey, scores: dict, now=None) -> TrustSurvey:
    """Record that the actor answered, and the scores apart from it: no user, no time, random
    ids. A second answer in the period is refused and writes nothing."""
    today = timezone.localdate(now or timezone.now())
    if not may_answer(actor):
        raise invalid(None, "not_staff", "Bara personal vid samverkans enheter kan svara.")
    if not survey.opens_on <= today <= survey.closes_on:
        raise invalid(None, "closed", "Enkäten är inte öppen.")
    if not scores:
        raise invalid(None, "required", "Ange förtroendet för minst en organisation.")
    try:
        with transaction.atomic():
            TrustAnswered.objects.create(survey=survey, user=actor.user)
    except IntegrityError as error:
        message = "Du har redan svarat på enkäten för den här perioden."
        raise invalid(None, "answered", message) from error
    mine = actor.unit.principal
    rows = [
        TrustResponse(survey=survey, respondent_principal=mine, about_principal=p, score=s)
        for p, s in scores.items()
        if p.pk != mine.pk and 1 <= s <= 5
    ]
    TrustResponse.objects.bulk_create(rows)
    record(actor, "trust_survey.answer", obj=survey)  # that, not what
    return survey


def pair_scores(responses) -> dict:
    """{(from principal id, about principal id): [scores]}"""
    found: dict = {}
    for r in responses.values_list("respondent_principal_id", "about_principal_id", "score"):
        found.setdefault(r[:2], []).append(r[2])
    return found


def trust_results(survey) -> Table | None:
    """Mean trust 1–5 by organisation pair (from → about); a pair scored by fewer than
    SMALL_CELL_LIMIT is hidden, so one small organisation's answers never show."""
    if survey is None:
        return None
    pairs = pair_scores(survey.responses.all())
    principals = list(Principal.objects.order_by("kind", "name"))
    rows = [
        [p.name, *(_pair_cell(pairs.get((p.pk, q.pk))) for q in principals)] for p in principals
    ]
    header = ["Svarande organisation → förtroende för", *(p.name for p in principals)]
    return Table("trust", f"Förtroende 1–5, {survey.title}", header, rows, parts=False)


def _pair_cell(scores: list | None):
    if not scores:
        return "–"
    if len(scores) < settings.SMALL_CELL_LIMIT:
        return None
    return round(sum(scores) / len(scores), 1)


def overall_trust(responses):
    """The mean of every score (1–5), for the effect goals; hidden when few, and when the
    hidden pairs together are so few that the mean less the shown pairs would tell them."""
    pairs = pair_scores(responses).values()
    every = [s for scores in pairs for s in scores]
    if not every:
        return "–"
    hidden = sum(len(s) for s in pairs if len(s) < settings.SMALL_CELL_LIMIT)
    if len(every) < settings.SMALL_CELL_LIMIT or 0 < hidden < settings.SMALL_CELL_LIMIT:
        return HIDDEN
    return round(sum(every) / len(every), 2)


# --- the person's experience of a SIP ---------------------------------------------------------


def get_sip(actor, public_id, *, write: bool):
    return get_sip_for_actor(actor, public_id, write=write)


def unrated_meetings(sip):
    return sip.meetings.filter(held_at__isnull=False, experience__isnull=True).order_by("starts_at")


@transaction.atomic
def register_sip_experience(
    actor, sip, *, meeting, answered_by, took_part, what_matters, knows_next, now=None
):
    """Staff register the person's (or next of kin's) answers after a held meeting, once."""
    now = now or timezone.now()
    if meeting.sip_id != sip.pk or meeting.held_at is None:
        raise invalid("meeting", "not_held", "Välj ett SIP-möte som har hållits.")
    if SipExperience.objects.filter(meeting=meeting).exists():
        raise invalid("meeting", "registered", "Upplevelsen av mötet är redan registrerad.")
    found = SipExperience.objects.create(
        sip=sip,
        meeting=meeting,
        answered_by=answered_by,
        took_part=took_part,
        what_matters=what_matters,
        knows_next=knows_next,
        municipality=sip.patient.registered_municipality,
        month=timezone.localdate(meeting.held_at).replace(day=1),
        registered_at=now,
        registered_by=actor.user,
        unit=actor.unit,
    )
    record(actor, "sip.experience", patient=sip.patient, obj=found)
    return found
