"""The case page's actions: which form feeds which service, and when the page offers it.
The services keep the final word; this only decides what to show."""

from samverkan.core.actions import Action

from . import forms, intake, rejections, services
from .models import Case

S = Case.State
OPEN = (S.REQUESTED, S.ADMITTED, S.READY, S.DISCHARGED)


def _ward(actor, case, capability="write_personal"):
    return actor.unit.pk == case.ward_id and actor.can(capability)


def _member(actor, case, units):
    return actor.unit.pk in units and actor.can("write_personal")


ACTIONS = {
    a.key: a
    for a in [
        Action(
            "admit",
            "Skriv in på avdelning",
            forms.AdmitForm,
            services.admit,
            lambda a, c, u: _ward(a, c) and c.state == S.REQUESTED,
        ),
        Action(
            "notice",
            "Skicka inskrivningsmeddelande",
            forms.NoticeForm,
            services.send_admission_notice,
            lambda a, c, u: _ward(a, c) and c.state == S.ADMITTED and not c.notice_sent_at,
        ),
        Action(
            "expected",
            "Ändra beräknat utskrivningsdatum",
            forms.ExpectedDateForm,
            services.update_expected_discharge,
            lambda a, c, u: _ward(a, c) and c.state in (S.ADMITTED, S.READY),
        ),
        Action(
            "adl",
            "Uppdatera ADL-status",
            forms.AdlForm,
            services.record_adl,
            lambda a, c, u: _ward(a, c) and c.state in (S.ADMITTED, S.READY),
        ),
        Action(
            "leave",
            "Registrera permission",
            forms.LeaveForm,
            services.start_leave,
            lambda a, c, u: (
                _ward(a, c) and c.state in (S.ADMITTED, S.READY) and not c.on_leave_since
            ),
        ),
        Action(
            "leave_end",
            "Åter från permission",
            forms.LeaveEndForm,
            services.end_leave,
            lambda a, c, u: _ward(a, c) and c.state in (S.ADMITTED, S.READY) and c.on_leave_since,
        ),
        Action(
            "ready",
            "Förklara utskrivningsklar",
            forms.ReadyForm,
            services.declare_ready,
            lambda a, c, u: (
                _ward(a, c, "declare_ready")
                and c.state == S.ADMITTED
                and c.notice_sent_at is not None
            ),
        ),
        Action(
            "retract",
            "Återkalla utskrivningsklar",
            forms.RetractForm,
            services.retract_ready,
            lambda a, c, u: _ward(a, c, "declare_ready") and c.state == S.READY,
        ),
        Action(
            "care_contact",
            "Utse fast vårdkontakt",
            forms.CareContactForm,
            services.name_care_contact,
            lambda a, c, u: (
                _member(a, c, u)
                and a.unit.kind == "primary_care"
                and c.state in (S.ADMITTED, S.READY, S.DISCHARGED)
            ),
        ),
        Action(
            "support",
            "Planerade insatser",
            forms.TextForm,
            services.add_planned_support,
            lambda a, c, u: (
                _member(a, c, u)
                and a.unit.principal.kind == "municipality"
                and c.state in (S.ADMITTED, S.READY)
            ),
        ),
        Action(
            "sip_called",
            "Registrera kallelse till SIP",
            forms.Versioned,
            services.record_sip_called,
            lambda a, c, u: (
                _member(a, c, u)
                and c.sip_needed
                and not c.sip_called_at
                and c.state in (S.ADMITTED, S.READY, S.DISCHARGED)
            ),
        ),
        Action(
            "question",
            "Ställ en fråga",
            forms.TextForm,
            services.ask,
            lambda a, c, u: _member(a, c, u) and c.state in OPEN,
        ),
        Action(
            "discharge",
            "Skriv ut patienten",
            forms.DischargeForm,
            services.discharge,
            lambda a, c, u: _ward(a, c) and c.state in (S.ADMITTED, S.READY),
        ),
        Action(
            "add_unit",
            "Lägg till enhet",
            forms.AddUnitForm,
            services.add_participant,
            lambda a, c, u: _ward(a, c) and c.state in (S.REQUESTED, S.ADMITTED, S.READY),
        ),
        Action(
            "interrupt",
            "Avbryt processen",
            forms.InterruptForm,
            services.interrupt,
            lambda a, c, u: _ward(a, c) and c.state in OPEN,
        ),
        Action(
            "attach",
            "Bifoga fil",
            forms.AttachmentForm,
            services.attach,
            lambda a, c, u: _member(a, c, u) and c.state in OPEN,
        ),
        Action(
            "close",
            "Avsluta ärendet",
            forms.CloseForm,
            services.close_case,
            lambda a, c, u: _ward(a, c) and c.state == S.DISCHARGED,
        ),
        Action(
            "answer",
            "Svara",
            forms.AnswerForm,
            services.answer,
            lambda a, c, u: _member(a, c, u) and c.state in OPEN,
        ),
        Action(
            "skicka-om",
            "Skicka till rätt enhet",
            forms.ResendForm,
            rejections.resend,
            lambda a, c, u: (
                a.can("write_personal") and c.state in OPEN and rejections.has_open(a, c)
            ),
        ),
        Action(
            "answer_request",
            "Svara på vårdbegäran",
            forms.AnswerRequestForm,
            intake.answer_care_request,
            lambda a, c, u: _ward(a, c) and c.state in (S.REQUESTED, S.ADMITTED, S.READY),
        ),
    ]
}


def offered(actor, case, units) -> list[Action]:
    """The actions this actor may take on this case now, in the page's order."""
    return [a for a in ACTIONS.values() if a.offered(actor, case, units)]
