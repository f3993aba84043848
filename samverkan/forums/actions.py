"""The meeting page's actions: which form feeds which service, and when it is offered (the
services keep the final word). Meeting actions take the meeting, item actions the item."""

from samverkan.core.actions import Action

from . import forms, services
from .access import is_secretary
from .models import Meeting

M = Meeting.Status
OPEN = (M.PLANNED, M.INVITED, M.ADJUSTING)


def _secretary(actor, m):
    return m.status in OPEN and is_secretary(actor.user, m.forum)


def _adjuster(actor, m):
    waiting = m.adjusters.filter(member__user=actor.user, adjusted_at__isnull=True)
    return m.status == M.ADJUSTING and waiting.exists()


def _index(*actions) -> dict:
    return {a.key: a for a in actions}


MEETING = _index(
    Action(
        "invite",
        "Skicka kallelse med dagordning",
        forms.Blank,
        services.invite,
        lambda a, m: m.status == M.PLANNED and is_secretary(a.user, m.forum),
    ),
    Action("item", "Lägg till punkt", forms.ItemForm, services.add_item, _secretary),
    Action("change", "Ändra tid och plats", forms.MeetingForm, services.change_meeting, _secretary),
    Action("attendance", "Närvaro", forms.AttendanceForm, services.record_attendance, _secretary),
    Action(
        "answer",
        "Besvara remiss",
        forms.AnswerForm,
        services.answer_referral,
        lambda a, m: (
            _secretary(a, m) and m.forum.referrals_received.filter(answered_at=None).exists()
        ),
    ),
    Action(
        "previous",
        "Justera föregående protokoll",
        forms.Blank,
        services.adjust_previous,
        lambda a, m: _secretary(a, m) and bool(services.waiting_for_next(m)),
    ),
    Action(
        "adjusting",
        "Skicka för justering",
        forms.AdjustingForm,
        services.send_for_adjusting,
        _secretary,
    ),
    Action("adjust", "Justera protokollet", forms.Blank, services.adjust, _adjuster),
    Action(
        "publish",
        "Publicera protokollet",
        forms.Blank,
        services.publish,
        lambda a, m: m.status == M.ADJUSTED and is_secretary(a.user, m.forum),
    ),
)

ITEM = _index(
    Action("notes", "Anteckningar", forms.NotesForm, services.record_notes, _secretary),
    Action("decide", "Lägg till beslut", forms.DecisionForm, services.decide, _secretary),
    Action("edit", "Ändra punkten", forms.ItemForm, services.change_item, _secretary),
    Action(
        "figures",
        "Visa siffror ur uppföljningen",
        forms.FiguresForm,
        services.embed_figures,
        _secretary,
    ),
    Action("document", "Bifoga handling", forms.DocumentForm, services.attach_document, _secretary),
    Action("withdraw", "Stryk beslutet", forms.WithdrawForm, services.strike_decision, _secretary),
)
PER_DECISION = {"withdraw"}  # shown next to each decision, not as an item form

GROUP = _index(
    Action("change", "Ändra arbetsgruppen", forms.GroupForm, services.change_group, None),
    Action("member", "Lägg till medlem", forms.GroupMemberForm, services.add_group_member, None),
    Action("remove", "Ta bort", forms.GroupRemoveForm, services.remove_group_member, None),
)


def group_form(action: Action, group, data=None):
    initial = {}
    if action.key == "change":
        initial = {"mandate": group.mandate, "status": group.status}
        initial["convenor_name"] = group.convenor_name
        initial["principal"] = group.convenor_principal_id
    auto_id = f"id_{action.key}{group.pk}_%s"
    return action.form(data, group=group, initial=initial, auto_id=auto_id)


def offered(table: dict, actor, meeting) -> list:
    return [a for a in table.values() if a.offered(actor, meeting)]


def make_form(action: Action, meeting, data=None, files=None, item=None):
    kwargs = {"meeting": meeting, "auto_id": f"id_{action.key}{item.pk if item else ''}_%s"}
    if action.key in PER_DECISION:
        return action.form(data, files, item=item, **kwargs)
    if item is not None:
        kwargs["initial"] = {
            f: getattr(item, f)
            for f in (
                "title",
                "kinds",
                "presenter_name",
                "presenter_principal",
                "description",
                "secret",
                "notes",
            )
        }
        kwargs["initial"]["kinds"] = list(item.kinds)
    if action.key == "change":
        kwargs["initial"] = {
            f: getattr(meeting, f) for f in ("starts_at", "ends_at", "place", "web_link")
        }
    return action.form(data, files, **kwargs)
