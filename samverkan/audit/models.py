"""AuditEvent: who did or read what, in which unit and role, about whom, when, from where."""

from django.conf import settings
from django.db import models

from samverkan.directory.roles import Role

ACTIONS = {
    "login.success": "Inloggning",
    "login.failed": "Misslyckad inloggning",
    "login.locked": "Inloggning spärrad",
    "login.refused": "Inloggning nekad",
    "login.step_up": "Ny legitimering före känslig åtgärd",
    "logout": "Utloggning",
    "unit.switch": "Byte av enhet",
    "patient.lookup": "Sökning på identitetsnummer",
    "patient.read": "Läsning av personuppgifter",
    "patient.create": "Registrering av person",
    "patient.update": "Ändring av personuppgifter",
    "next_of_kin.add": "Närstående tillagd",
    "next_of_kin.remove": "Närstående borttagen",
    "membership.add": "Medlem tillagd",
    "membership.change": "Roll ändrad",
    "membership.remove": "Medlem borttagen",
    "unit.contact_update": "Kontaktuppgifter ändrade",
    "audit.review": "Granskning av logg",
    "audit.export": "Export av logg",
    "case.read": "Läsning av ärende",
    "access.refused": "Försök att läsa (nekat, 404)",
    "case.list": "Person visad i lista",
    "notification.list": "Person visad i notiser",
    "case.open": "Ärende öppnat",
    "case.care_request": "Vårdbegäran skickad",
    "case.care_request_answer": "Vårdbegäran besvarad",
    "case.admit": "Inskrivning",
    "case.admission_notice": "Inskrivningsmeddelande skickat",
    "case.participant_add": "Enhet tillagd i ärende",
    "case.resend": "Avvisat meddelande skickat till rätt enhet",
    "case.expected_date": "Beräknat utskrivningsdatum ändrat",
    "case.care_contact": "Fast vårdkontakt utsedd",
    "case.adl": "ADL-status registrerad",
    "case.planned_support": "Planerade insatser",
    "case.question": "Fråga i ärende",
    "case.answer": "Svar i ärende",
    "case.ready": "Utskrivningsklar",
    "case.ready_retract": "Utskrivningsklar återkallad",
    "case.leave": "Permission",
    "case.leave_end": "Åter från permission",
    "case.sip_called": "Kallelse till SIP registrerad",
    "case.discharge": "Utskrivning",
    "case.interrupt": "Avbrott i processen",
    "case.close": "Ärende avslutat",
    "case.auto_close": "Ärende avslutat automatiskt",
    "case.attach": "Bilaga tillagd",
    "case.back_entry": "Efterregistrering efter driftstopp",
    "case.attachment_read": "Bilaga öppnad",
    "delivery.read": "Meddelande läst",
    "delivery.acknowledge": "Meddelande kvitterat",
    "delivery.reject": "Meddelande avvisat",
    "delivery.forward": "Meddelande vidarebefordrat",
    "api.token_create": "API-nyckel skapad",
    "api.replay": "Upprepad API-skrivning (Idempotency-Key)",
    "fhir.outbound_resend": "Meddelande till journalsystemet skickas igen",
    "deviation.read": "Läsning av avvikelse",
    "deviation.list": "Person visad i avvikelselista",
    "deviation.report": "Avvikelse rapporterad",
    "deviation.assign": "Avvikelse fördelad",
    "deviation.recategorise": "Avvikelse omkategoriserad",
    "deviation.return": "Avvikelse returnerad",
    "deviation.feedback": "Återkoppling på avvikelse",
    "deviation.more": "Mer återkoppling begärd",
    "deviation.acknowledge": "Återkoppling godtagen",
    "followup_call.read": "Läsning av uppföljningssamtal",
    "followup_call.list": "Person visad i ringlistan",
    "followup_call.draw": "Person dragen till uppföljningssamtal",
    "followup_call.attempt": "Försök att nå personen (uppföljningssamtal)",
    "followup_call.complete": "Uppföljningssamtal registrerat",
    "trust_survey.answer": "Förtroendeenkät besvarad (svaret sparas utan person)",
    "sip.experience": "Upplevelse av SIP registrerad",
    "payment.read": "Läsning av betalningsansvar för vårdtillfälle",
    "payment.statement": "Person visad i betalningsunderlag",
    "downtime.declare": "Driftstopp utlyst",
    "downtime.change": "Driftstopp ändrat",
    "downtime.passphrase": "Lösenfras för reservutdrag satt",
    "downtime.snapshot": "Reservutdrag framtaget",
    "downtime.read": "Person i hämtat reservutdrag",
    "downtime.fetch_refused": "Nekad hämtning av reservutdrag",
    "downtime.pc_register": "Reservdator registrerad",
    "downtime.pc_revoke": "Reservdator spärrad",
}


# Every page writes rows here, so the table keeps only the indexes its reviews use, and no
# foreign-key constraints: those are checked row by row at every commit and lock the user's,
# unit's and person's rows. Deleting one of those still sets the reference to null (Django's
# on_delete); the composite indexes, which start with unit and person, find the rows.
REFERENCE = {"null": True, "blank": True, "on_delete": models.SET_NULL, "related_name": "+"}
REFERENCE |= {"db_constraint": False}


class AuditEvent(models.Model):
    """One logged read or write; never changed or deleted by the application."""

    at = models.DateTimeField("tid", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, **REFERENCE)
    username = models.CharField("användare", max_length=150, blank=True)
    unit = models.ForeignKey("directory.Unit", db_index=False, **REFERENCE)
    role = models.CharField("roll", max_length=20, blank=True)
    action = models.CharField("händelse", max_length=60)
    patient = models.ForeignKey("patients.Patient", db_index=False, **REFERENCE)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField("från adress", null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-at"], name="audit_patient_at"),
            models.Index(fields=["unit", "-at"], name="audit_unit_at"),
            models.Index(fields=["username", "action", "-at"], name="audit_user_action_at"),
        ]
        verbose_name = "logghändelse"
        verbose_name_plural = "logghändelser"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role
