"""The deviation page's actions: which form feeds which service, and when it is offered.
The services keep the final word; this only decides what to show."""

from samverkan.core.actions import Action

from . import forms, services
from .access import is_coordinator, is_reporter, is_responsible
from .models import Deviation

S = Deviation.State
TRIAGE = (S.RECEIVED, S.ASSIGNED)


def _coordinator(actor, d):
    return is_coordinator(actor, d) and d.state in TRIAGE


ACTIONS = {
    a.key: a
    for a in [
        Action(
            "assign", "Fördela till ansvarig enhet", forms.AssignForm, services.assign, _coordinator
        ),
        Action(
            "recategorise",
            "Ändra kategori",
            forms.CategoryForm,
            services.recategorise,
            _coordinator,
        ),
        Action(
            "return",
            "Returnera som felskickad",
            forms.ReturnForm,
            services.return_misdirected,
            _coordinator,
        ),
        Action(
            "feedback",
            "Återkoppla",
            forms.FeedbackForm,
            services.give_feedback,
            lambda a, d: is_responsible(a, d) and d.state == S.ASSIGNED,
        ),
        Action(
            "acknowledge",
            "Godta återkopplingen",
            forms.Versioned,
            services.acknowledge,
            lambda a, d: is_reporter(a, d) and d.state == S.ANSWERED,
        ),
        Action(
            "more",
            "Begär mer återkoppling",
            forms.MoreForm,
            services.ask_for_more,
            lambda a, d: is_reporter(a, d) and d.state == S.ANSWERED,
        ),
    ]
}


def offered(actor, deviation) -> list[Action]:
    if not actor.can("write_personal"):
        return []
    return [a for a in ACTIONS.values() if a.offered(actor, deviation)]


def make_form(action: Action, deviation, data=None):
    kwargs = {"auto_id": f"id_{action.key}_%s", "initial": {"version": deviation.version}}
    if action.form in (forms.AssignForm, forms.CategoryForm):
        kwargs["deviation"] = deviation
    return action.form(data, **kwargs)
