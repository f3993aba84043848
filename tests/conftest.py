"""The scene shared by the access matrix and the audit battery."""

import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from samverkan.cases import services
from samverkan.cases.models import Delivery
from samverkan.cases.testing import actor, ready
from samverkan.deviations.testing import reported, with_coordinators
from samverkan.notifications.models import Notification
from samverkan.sip import services as sips
from samverkan.sip.testing import consented, planned, started, with_unit

from .helpers import pdf_upload


@pytest.fixture
def scene(world):
    """One case in progress with everything an id can point at, a SIP and a deviation."""
    case = ready(world)
    staff = actor(world.ward_staff)
    services.ask(staff, case, text="Hur går förflyttningen?")
    services.add_participant(staff, case, world.a_home)
    case.refresh_from_db()
    services.interrupt(staff, case, reason="misdirected", unit=world.a_home)  # a removed unit
    upload = pdf_upload()
    attachment = services.attach(staff, case, upload=upload)
    sip = planned(world, with_unit(world, consented(world, started(world)), world.a_needs))
    sips.schedule_meeting(
        actor(world.pcc_staff), sip, starts_at=timezone.now() + timedelta(days=2), place="VC"
    )
    deviation = reported(with_coordinators(world), case, by=world.ward_staff, to=world.muni_a)
    call_command("run_worker", "--once")
    sip.refresh_from_db()
    member = world.a_staff.memberships.get()
    forum = _draft_forum(world)
    return {
        "case_id": case.public_id,
        "public_id": case.public_id,
        "attachment_id": attachment.public_id,
        "delivery_id": Delivery.objects.filter(unit=world.a_needs).first().public_id,
        "notification_id": Notification.objects.filter(unit=world.a_needs).first().pk,
        "sip_id": sip.public_id,
        "consent_id": sip.consents.first().public_id,
        "participant_id": sip.participants.filter(unit=world.a_needs).get().public_id,
        "meeting_id": sip.meetings.first().public_id,
        "deviation_id": deviation.public_id,
        "patient_id": world.patient.public_id,
        "membership_id": member.public_id,
        "kin_id": uuid.uuid4(),
        "sip": sip,
        "deviation": deviation,
        **forum,
    }


def _draft_forum(world) -> dict:
    """A forum none of the outsiders is in, with a draft meeting, an item, a document and an
    assignment (the forum itself is public: its name and published minutes)."""
    from samverkan.forums import services as forums
    from samverkan.forums.models import Forum, Member

    forum = Forum.objects.create(name="Scenens forum")
    Member.objects.create(
        forum=forum, user=world.ward_staff, principal=world.region, role="secretary"
    )
    Member.objects.create(forum=forum, user=world.a_staff, principal=world.muni_a)
    s = actor(world.ward_staff)
    start = timezone.now() + timedelta(days=3)
    m = forums.plan_meeting(
        s, forum, starts_at=start, ends_at=start + timedelta(hours=2), place="Rum"
    )
    item = forums.add_item(s, m, title="Utkastpunkt", kinds="B")
    document = forums.attach_document(s, item, upload=pdf_upload())
    member = forum.members.get(user=world.a_staff)
    decision = forums.decide(s, item, text="att göra", creates="assignment", owner=member)
    return {
        "forum_id": forum.public_id,
        "forum_meeting_id": m.public_id,
        "item_id": item.public_id,
        "document_id": document.public_id,
        "assignment_id": decision.assignments.get().public_id,
    }
