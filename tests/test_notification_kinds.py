"""Each app declares the kinds it notifies in its AppConfig; the notifications app gathers them
when the apps are ready. A kind declared by two apps, or notified without being declared, is
refused, so the e-mail digest can name every kind it counts."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from samverkan.notifications import kinds
from samverkan.notifications.models import OutboxItem
from samverkan.notifications.notify import notify


def test_every_app_that_notifies_has_its_kinds_gathered():
    declaring = {c.label for c in apps.get_app_configs() if getattr(c, "notification_kinds", "")}
    assert declaring == {"cases", "sip", "deviations", "fhir", "forums", "experience"}
    assert kinds.label("admission_notice") == "Inskrivningsmeddelande"
    assert kinds.label("rejected") == "Avvisat meddelande"
    assert kinds.label("sip_invitation_failed") == "Kallelse kunde inte skickas"
    assert kinds.label("deviation_received") == "Ny avvikelse att fördela"
    assert kinds.label("fhir_outbound_failed").startswith("Meddelande till journalsystemet")
    assert kinds.label("forum_invitation") == "Kallelse till möte i samverkansforum"
    assert kinds.label("followup_call_action") == "Uppföljningssamtal: svar som behöver åtgärdas"


def test_a_kind_declared_twice_is_a_configuration_error():
    twice = SimpleNamespace(
        label="twice", notification_kinds="samverkan.cases.models.NOTIFICATION_KINDS"
    )
    gathered = dict(kinds.LABELS)
    try:
        with pytest.raises(ImproperlyConfigured, match="admission_notice"):
            kinds.collect([*apps.get_app_configs(), twice])
    finally:
        kinds.LABELS.clear()
        kinds.LABELS.update(gathered)


def test_an_undeclared_kind_is_not_notified(world):
    with pytest.raises(ValueError, match="undeclared notification kind 'no_such_kind'"):
        notify([world.a_needs], "no_such_kind", "Text")
    assert not OutboxItem.objects.exists()
    notify([world.a_needs], "rejected", "Avvisat")
    assert OutboxItem.objects.get().kind == "rejected"
