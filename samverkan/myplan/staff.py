"""Staff's side of Min plan, reached only through the SIP's or the stay's chokepoint: which
items the person sees and when, release or hold back, a child's guardian's access."""

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from samverkan.cases.access import get_case_for_actor, visible_cases
from samverkan.core.errors import run_service
from samverkan.sip.access import get_sip_for_actor, visible_sips
from samverkan.sip.models import Sip
from samverkan.sip.services import MINOR_AGE

from . import services
from .models import Share
from .plan import all_items


def staff_sources(actor, kind: str, public_id, *, write: bool = False):
    """(person, SIPs, stay) of one SIP (with its stay, if the unit sees it) or one stay (with
    its open SIPs the unit sees); 404 through the chokepoint for anyone else."""
    if kind == "sip":
        sip = get_sip_for_actor(actor, public_id, write=write)
        case = visible_cases(actor).filter(pk=sip.case_id).first() if sip.case_id else None
        return sip.patient, [sip], case
    if kind == "arende":
        case = get_case_for_actor(actor, public_id, write=write)
        sips = visible_sips(actor).filter(case=case).exclude(state=Sip.State.CLOSED)
        return case.patient, list(sips), case
    raise Http404("Okänd sida.")


def staff_view(actor, patient, sips, case) -> dict:
    now = timezone.now()
    items = [item for item, _ in all_items(patient, sips, case, now)]
    age = patient.age
    return {
        "patient": patient,
        "items": items,
        "now": now,
        "delay_days": settings.MY_PLAN_RELEASE_DAYS,
        "protected": patient.protected_identity,
        "child": age is not None and age < MINOR_AGE,
        "shares": Share.objects.filter(patient=patient).order_by("-valid_from"),
    }


def decide(actor, patient, sips, case, form) -> bool:
    """Release now or hold back the item the form names (one of this page's)."""
    data = form.cleaned_data
    items = {i.key: i for i, _ in all_items(patient, sips, case, timezone.now())}
    item = items.get(data["item"])
    if item is None:
        raise Http404("Posten finns inte här.")
    if data["decision"] == "release":
        return run_service(form, services.release_item, actor, patient, item) is not None
    service = services.hold_back_item
    return run_service(form, service, actor, patient, item, reason=data["reason"]) is not None
