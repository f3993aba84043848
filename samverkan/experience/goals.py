"""What the follow-up calls and the surveys give the dashboard's effect goals (followup/goals.py):
each figure for a period, the goal's own baseline (the first period with data, or the one
configured in EXPERIENCE_BASELINE) and the monthly trend; small cells hidden."""

from datetime import date

from django.conf import settings

from samverkan.followup.dashboard import percent
from samverkan.lib.disclosure import whole_months

from . import rules
from .models import (
    CallRecord,
    FollowUpCall,
    KnowsContact,
    SipExperience,
    TrustResponse,
    TrustSurvey,
)
from .stats import mean_of
from .surveys import overall_trust


def _months(qs, f):
    found = qs.filter(month__gte=f.date_from.replace(day=1), month__lte=f.date_to)
    return found.filter(municipality=f.municipality) if f.municipality else found


def _trust(f):
    surveys = TrustSurvey.objects.filter(closes_on__gte=f.date_from, closes_on__lte=f.date_to)
    found = TrustResponse.objects.filter(survey__in=surveys)
    if f.municipality:
        mine = {"respondent_principal": f.municipality}
        found = found.filter(**mine) | found.filter(about_principal=f.municipality)
    return overall_trust(found)


def figures(f) -> dict:
    """The goals' figures for one period (the dashboard's filters: dates, municipality)."""
    answered = list(
        _months(CallRecord.objects, f)
        .filter(outcome=FollowUpCall.State.ANSWERED)
        .values_list("ctm_score", "knows_contact")
    )
    knows = sum(1 for _, k in answered if k == KnowsContact.YES)
    sips = [rules.sip_score(e) for e in _months(SipExperience.objects, f)]
    return {
        "ctm": mean_of([s for s, _ in answered if s is not None]),
        "knows": percent(knows, len(answered)),
        "trust": _trust(f),
        "sip": mean_of([s for s in sips if s is not None]),
    }


# --- baselines ---------------------------------------------------------------------------------


def _configured(f):
    """EXPERIENCE_BASELINE as "YYYY-MM-DD:YYYY-MM-DD", or None for "first"."""
    text = settings.EXPERIENCE_BASELINE
    if text == "first":
        return None
    first, last = (date.fromisoformat(part) for part in text.split(":"))
    return f.shifted(first, last)


def _first_months(f, first_month: date | None):
    """EXPERIENCE_BASELINE_MONTHS whole months from the first month with data."""
    if first_month is None:
        return None
    index = first_month.year * 12 + first_month.month - 1 + settings.EXPERIENCE_BASELINE_MONTHS - 1
    last = date(index // 12, index % 12 + 1, 1)
    return f.shifted(*whole_months(first_month, last))


def _first_month(model):
    return model.objects.order_by("month").values_list("month", flat=True).first()


def baseline_calls(f):
    return _configured(f) or _first_months(f, _first_month(CallRecord))


def baseline_sip(f):
    return _configured(f) or _first_months(f, _first_month(SipExperience))


def baseline_trust(f):
    """The first survey's period (the baseline the project plan names)."""
    first = TrustSurvey.objects.filter(responses__isnull=False).order_by("opens_on").first()
    if _configured(f) or first is None:
        return _configured(f)
    return f.shifted(first.opens_on, first.closes_on)


# --- trend -------------------------------------------------------------------------------------

TREND_SERIES = ["Trygghet, CTM-4 (0–100)", "Delaktighet i SIP (0–100)", "Förtroende (1–5) × 20"]


def trend(months: list[date], f) -> dict:
    """Monthly values over the dashboard's months: CTM-4 and SIP experience by month, trust
    by the month its survey closed (scaled ×20 to share the 0–100 axis); hidden ones None."""
    series = {name: [] for name in TREND_SERIES}
    for month in months:
        values = figures(f.shifted(*whole_months(month, month)))
        trust = values["trust"]
        for name, v in zip(TREND_SERIES, (values["ctm"], values["sip"], trust), strict=True):
            number = isinstance(v, int | float)
            series[name].append((v * 20 if name == TREND_SERIES[2] else v) if number else None)
    return series
