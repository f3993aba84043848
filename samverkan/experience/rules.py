"""Pure rules of the follow-up call: who is drawn (the stated rule, in words too), the
reproducible sample, the call window, the CTM score and the statistics' pseudonym."""

import hashlib
import hmac
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from samverkan.lib.identity import age_on

AGE_BANDS = [("0-17", 0, 17), ("18-64", 18, 64), ("65-79", 65, 79), ("80+", 80, 999)]
SAMPLE_SCALE = 2**64


def age_band(age: int | None) -> str:
    if age is None:
        return "okänd"
    return next(label for label, low, high in AGE_BANDS if low <= age <= high)


def sex_of(identity: str, kind: str) -> str:
    """K or M from the serial number's third digit of a personnummer or samordningsnummer
    (odd: man); empty when the number does not tell (reservnummer)."""
    if kind not in ("personnummer", "samordningsnummer") or len(identity) != 12:
        return ""
    return "M" if int(identity[10]) % 2 else "K"


def pseudonym(identity: str) -> str:
    """A keyed HMAC-SHA256 of the identity number: the same person gets the same pseudonym,
    which cannot be turned back into the number without PSEUDONYM_KEY."""
    key = settings.PSEUDONYM_KEY
    if not key:
        raise ImproperlyConfigured("PSEUDONYM_KEY must be set")
    return hmac.new(key.encode(), identity.encode(), hashlib.sha256).hexdigest()


def month_of(day: date) -> date:
    return day.replace(day=1)


def sample_value(seed: str, month: date, case_id) -> float:
    """A reproducible number in [0, 1) per case and month, from the rule's seed."""
    message = f"{month:%Y-%m}:{case_id}".encode()
    digest = hmac.new(seed.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / SAMPLE_SCALE


def in_sample(rule, month: date, case_id) -> bool:
    return sample_value(rule.seed, month, case_id) < rule.sample_percent / 100


def window(rule, discharged_on: date) -> tuple[date, date]:
    return (
        discharged_on + timedelta(days=rule.first_day),
        discharged_on + timedelta(days=rule.last_day),
    )


def qualifies(rule, *, age: int | None, destination: str, has_support: bool) -> bool:
    """Whether a discharged person of the rule's municipality meets the rule (before sampling)."""
    old_enough = rule.min_age == 0 or (age is not None and age >= rule.min_age)
    goes = not rule.destinations or destination in rule.destinations
    return old_enough and goes and (has_support or not rule.require_support)


def age_at(patient, day: date) -> int | None:
    return age_on(patient.birth_date, day)


def describe(rule) -> str:
    """The rule in words, as the call list shows it."""
    from samverkan.cases.models import Case

    labels = dict(Case.Destination.choices)
    who = f"Personer {rule.min_age} år eller äldre" if rule.min_age else "Alla personer"
    parts = [f"{who}, folkbokförda i {rule.municipality.name}, utskrivna"]
    if rule.destinations:
        places = " eller ".join(labels.get(d, d).lower() for d in rule.destinations)
        parts[0] += f" till {places}"
    if rule.require_support:
        parts[0] += " med planerade insatser från kommunen"
    sample = (
        "alla som uppfyller villkoren"
        if rule.sample_percent == 100
        else f"ett slumpmässigt urval på {rule.sample_percent} % per månad (frö {rule.seed})"
    )
    if rule.monthly_cap:
        sample += f", högst {rule.monthly_cap} per månad"
    return (
        f"{parts[0]}; {sample}. Samtalet görs {rule.first_day}–{rule.last_day} dagar efter "
        f"utskrivningen, med högst {rule.max_attempts} försök."
    )


CTM_MIN_ANSWERED = 3  # items answered (not "vet ej") for a CTM-4 score
SIP_MIN_ANSWERED = 2  # of the SIP questionnaire's three


def agreement_score(items: list[int | None], min_answered: int) -> float | None:
    """The mean of the answered items (1–4, "vet ej" left out) rescaled to 0–100, (mean − 1)
    / 3 × 100, as the CTM is scored; none with fewer than `min_answered` answered."""
    answered = [v for v in items if v]
    if len(answered) < min_answered:
        return None
    return round((sum(answered) / len(answered) - 1) / 3 * 100, 1)


def ctm_score(items: list[int | None]) -> float | None:
    return agreement_score(items, CTM_MIN_ANSWERED)


def sip_score(experience) -> float | None:
    items = [experience.took_part, experience.what_matters, experience.knows_next]
    return agreement_score(items, SIP_MIN_ANSWERED)


# The script (CTM-4, Care Transitions Measure, Coleman; Swedish wording to check against the
# licensed translation before use in production) and the contact question.
CTM_ITEMS = [
    (
        "ctm_1",
        "Sjukhuspersonalen tog hänsyn till mina och mina närståendes önskemål när de bestämde "
        "vad jag skulle behöva efter utskrivningen.",
    ),
    (
        "ctm_2",
        "När jag lämnade sjukhuset förstod jag väl vad jag själv hade ansvar för när det gäller "
        "min hälsa.",
    ),
    (
        "ctm_3",
        "När jag lämnade sjukhuset förstod jag tydligt varför jag skulle ta vart och ett av "
        "mina läkemedel.",
    ),
    (
        "ctm_4",
        "Jag fick en skriftlig plan, lätt att läsa och förstå, som beskrev hur mina behov "
        "skulle tillgodoses.",
    ),
]
CONTACT_QUESTION = "Vet du vem du ska kontakta om något händer?"
