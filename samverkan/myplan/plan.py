"""Min plan built from the SIP and the LOS stay (structured fields only, never record text):
per principal the support and a named contact, what the person does, the next dated step, the
overall responsibility, the care contact, what was decided at discharge. Only items released
and not held back are shown."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from samverkan.cases.models import Case, Message
from samverkan.sip.models import Sip, SipParticipant

from .models import Release, release_due

P = SipParticipant.Kind


@dataclass
class Item:
    """One thing Min plan may show, and whether it is shown now."""

    kind: str
    key: str
    written_at: datetime
    title: str
    release: Release | None = None

    @property
    def held_back(self) -> bool:
        return bool(self.release and self.release.held_back)

    @property
    def due_at(self) -> datetime:
        return self.release.decided_at if self.release else release_due(self.written_at)

    def shown(self, now) -> bool:
        return not self.held_back and self.due_at <= now


@dataclass
class Support:
    """What one principal (or another party) does, and whom to call."""

    organisation: str
    actions: list[str] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)


@dataclass
class MinPlan:
    patient: object
    supports: list[Support] = field(default_factory=list)
    own_tasks: list[str] = field(default_factory=list)
    lead: str = ""
    goals: str = ""
    steps: list[dict] = field(default_factory=list)  # {"at", "timed", "text"}, soonest first
    care_contact: dict | None = None
    discharge: dict | None = None

    @property
    def next_step(self):
        return self.steps[0] if self.steps else None

    @property
    def empty(self) -> bool:
        return not (self.supports or self.own_tasks or self.steps or self.care_contact) and (
            self.discharge is None
        )


# --- the items -------------------------------------------------------------------------------


def plan_items(sip: Sip) -> list[tuple[Item, object]]:
    return [
        (Item("plan", f"{sip.public_id}:{p.number}", p.created_at, f"SIP version {p.number}"), p)
        for p in sip.plans.all()
    ]


def meeting_items(sip: Sip, now) -> list[tuple[Item, object]]:
    upcoming = sip.meetings.filter(starts_at__gte=now)
    title = "SIP-möte {:%Y-%m-%d %H:%M}"
    return [
        (Item("meeting", str(m.public_id), m.called_at, title.format(_local(m.starts_at))), m)
        for m in upcoming
    ]


def case_items(case: Case) -> list[tuple[Item, object]]:
    found = []
    named = case.messages.filter(kind=Message.Kind.CARE_CONTACT).order_by("-occurred_at").first()
    if named is not None:
        found.append(
            (
                Item("care_contact", str(named.public_id), named.occurred_at, "Fast vårdkontakt"),
                named,
            )
        )
    if case.discharged_at:
        item = Item("discharge", str(case.public_id), case.discharged_at, "Utskrivning")
        found.append((item, case))
    return found


def all_items(patient, sips, case, now) -> list[tuple[Item, object]]:
    """Every item of these SIPs and this stay, with staff's decisions attached."""
    items = [pair for sip in sips for pair in plan_items(sip) + meeting_items(sip, now)]
    items += case_items(case) if case is not None else []
    decided = {(r.kind, r.key): r for r in Release.objects.filter(patient=patient)}
    for item, _ in items:
        item.release = decided.get((item.kind, item.key))
    return items


def sources(patient):
    """A person's own Min plan: their open SIPs and their latest stay."""
    sips = list(patient.sips.exclude(state=Sip.State.CLOSED).order_by("started_at"))
    stays = patient.cases.exclude(state=Case.State.REQUESTED).exclude(admitted_at=None)
    return sips, stays.order_by("-admitted_at").first()


# --- building the view -----------------------------------------------------------------------


def build(patient, sips, case, now=None) -> MinPlan:
    now = now or timezone.now()
    view = MinPlan(patient=patient)
    shown = [(i, o) for i, o in all_items(patient, sips, case, now) if i.shown(now)]
    latest = {}
    for item, obj in shown:
        if item.kind == "plan":
            if obj.sip_id not in latest or obj.number > latest[obj.sip_id].number:
                latest[obj.sip_id] = obj
        elif item.kind == "meeting":
            view.steps.append(_step(timezone.localtime(obj.starts_at), _meeting_text(obj)))
        elif item.kind == "care_contact":
            view.care_contact = _care_contact(case)
        elif item.kind == "discharge":
            view.discharge = _discharge(obj)
    for plan in latest.values():
        _add_plan(view, plan)
    view.steps.sort(key=lambda s: _as_datetime(s["at"]))
    return view


def _add_plan(view: MinPlan, plan) -> None:
    content = plan.content
    view.lead = view.lead or content.get("lead_principal_name", "")
    view.goals = view.goals or content.get("goals", "")
    owners = {str(p.public_id): p for p in plan.sip.participants.select_related("unit")}
    by_org: dict[str, Support] = {s.organisation: s for s in view.supports}
    for action in content.get("actions", []):
        owner = owners.get(action.get("participant"))
        if owner is not None and owner.kind == P.PERSON:
            view.own_tasks.append(action["text"])
            continue
        support = by_org.setdefault(action["organisation"], Support(action["organisation"]))
        support.actions.append(action["text"])
        contact = _contact(owner, action)
        if contact and contact not in support.contacts:
            support.contacts.append(contact)
    view.supports = list(by_org.values())
    if content.get("follow_up_date"):
        day = date.fromisoformat(content["follow_up_date"])
        view.steps.append(_step(day, "Uppföljning av din plan"))


def _contact(owner, action) -> dict | None:
    if owner is None:
        return None
    unit = owner.unit if owner.kind == P.UNIT else None
    name = action.get("person") or owner.name or (unit.name if unit else owner.label)
    phone = owner.phone or (unit.phone if unit else "")
    return {"name": name, "where": unit.name if unit else owner.organisation, "phone": phone}


def _step(at, text: str) -> dict:
    return {"at": at, "timed": isinstance(at, datetime), "text": text}


def _meeting_text(meeting) -> str:
    where = meeting.place or ("Digitalt möte" if meeting.web_link else "")
    return "Möte om din plan (SIP)" + (f", {where}" if where else "")


def _care_contact(case: Case) -> dict:
    unit = case.care_contact_unit
    return {
        "name": case.care_contact_name,
        "phone": case.care_contact_phone or (unit.phone if unit else ""),
        "unit": unit.name if unit else "",
    }


def _discharge(case: Case) -> dict:
    checklist = case.checklist or {}
    return {
        "at": case.discharged_at,
        "destination": case.get_destination_display(),
        "medication_list": bool(checklist.get("medication_list")),
        "medicines_three_days": bool(checklist.get("medicines_three_days")),
    }


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, datetime.min.time()))
