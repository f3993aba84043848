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
from samverkan.downtime.services import register_pc
from samverkan.fhir.models import OutboundMessage
from samverkan.myplan.testing import shared
from samverkan.notifications.models import Notification
from samverkan.sip import services as sips
from samverkan.sip.testing import consented, planned, started, with_unit

from .helpers import pdf_upload


def followup_call(world, case):
    """A follow-up call of the case, with every outsider's unit among the rule's callers: only
    the case chokepoint keeps them out."""
    from samverkan.experience.models import FollowUpCall
    from samverkan.experience.testing import rule_for

    rule = rule_for(world)
    rule.callers.add(world.b_needs, world.other_ward, world.a_school, world.analysis, world.a_home)
    today = timezone.localdate()
    return FollowUpCall.objects.create(
        case=case,
        rule=rule,
        month=today.replace(day=1),
        due_from=today,
        due_to=today,
        drawn_at=timezone.now(),
    )


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
    pc, _ = register_pc(actor(world.ward_admin), "Expeditionen")
    call = followup_call(world, case)
    call_command("run_worker", "--once")
    sip.refresh_from_db()
    member = world.a_staff.memberships.get()
    outbound = OutboundMessage.objects.create(  # a message to the record system that failed
        source="scene",
        event="answer",
        case=case,
        ward=case.ward,
        bundle={},
        state="failed",
        created_at=timezone.now(),
        failed_at=timezone.now(),
    )
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
        "call_id": call.public_id,
        "patient_id": world.patient.public_id,
        "share_id": shared(world.patient).public_id,  # Astrid's daughter reads Min plan
        "membership_id": member.public_id,
        "outbound_id": outbound.public_id,
        "kin_id": uuid.uuid4(),
        "downtime_pc_id": pc.public_id,
        "entry_id": uuid.uuid4(),  # a back-entry: the case decides (404)
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
