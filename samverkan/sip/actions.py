"""The SIP page's actions: which form feeds which service, and when the page offers it. The
services keep the final word."""

from samverkan.core.actions import Action

from . import forms, services
from .models import Sip


def _open(actor, sip, pending=False):
    return sip.is_open and actor.can("write_personal")


def _may_close(actor, sip, pending=False):
    lead = actor.unit.principal_id == sip.lead_principal_id
    return _open(actor, sip) and (actor.unit.pk == sip.initiating_unit_id or lead)


ACTIONS = {
    a.key: a
    for a in [
        Action("consent", "Registrera samtycke", forms.ConsentForm, services.record_consent, _open),
        Action("revoke", "Återkalla samtycke", forms.RevokeForm, services.revoke_consent, _open),
        Action(
            "harm", "Registrera menprövning", forms.HarmForm, services.record_harm_assessment, _open
        ),
        Action(
            "participant",
            "Lägg till deltagare",
            forms.ParticipantForm,
            services.add_participant,
            _open,
        ),
        Action(
            "remove",
            "Ta bort deltagare",
            forms.RemoveParticipantForm,
            services.remove_participant,
            _open,
        ),
        Action("meeting", "Kalla till möte", forms.MeetingForm, services.schedule_meeting, _open),
        Action(
            "attendance",
            "Registrera närvaro",
            forms.AttendanceForm,
            services.record_attendance,
            _open,
        ),
        Action("plan", "Skriv ny version av planen", forms.PlanForm, services.save_plan, _open),
        Action(
            "ack",
            "Kvittera planen",
            forms.AckForm,
            services.acknowledge_plan,
            lambda a, s, pending=False: pending and a.can("write_personal"),
        ),
        Action(
            "follow_up",
            "Registrera uppföljning",
            forms.FollowUpForm,
            services.record_follow_up,
            lambda a, s, pending=False: _open(a, s) and s.state == Sip.State.PLANNED,
        ),
        Action("close", "Avsluta planen", forms.CloseForm, services.close_sip, _may_close),
    ]
}
