"""Test helpers: two forums in the shared test world (a ledningsgrupp above a samverkansgrupp)
with members from the region and both municipalities, and meetings walked through their steps."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from samverkan.cases.testing import actor

from . import services
from .models import Forum, Member, Role


def with_forums(w):
    """w.board (ledningsgrupp) and w.group (samverkansgrupp reporting to it). In the group:
    ward_staff is secretary, a_staff chair, b_staff member, a named adjunct from the region;
    pcc_staff is in no forum."""
    w.board = Forum.objects.create(name="Ledningsgruppen", distribution="kansli@test.invalid")
    w.group = Forum.objects.create(
        name="Samverkansgruppen",
        parent=w.board,
        distribution="arkiv@test.invalid\nkansli@test.invalid",
    )
    w.secretary = Member.objects.create(
        forum=w.group,
        user=w.ward_staff,
        principal=w.region,
        role=Role.SECRETARY,
        email="sekreterare@test.invalid",
    )
    w.chair = Member.objects.create(
        forum=w.group,
        user=w.a_staff,
        principal=w.muni_a,
        role=Role.CHAIR,
        email="ordf@test.invalid",
    )
    w.member_b = Member.objects.create(forum=w.group, user=w.b_staff, principal=w.muni_b)
    w.adjunct = Member.objects.create(
        forum=w.group,
        name="Nils Adjungerad",
        principal=w.region,
        role=Role.ADJUNCT,
        email="nils@test.invalid",
    )
    Member.objects.create(forum=w.board, user=w.ward_admin, principal=w.region, role=Role.SECRETARY)
    return w


def at(day, hour=13) -> datetime:
    return datetime.combine(day, time(hour), timezone.get_current_timezone())


def meeting(w, day=None, forum=None, **kw):
    """A meeting of the group (or `forum`) planned by its secretary."""
    day = day or timezone.localdate() + timedelta(days=7)
    forum = forum or w.group
    who = w.ward_staff if forum == w.group else w.ward_admin
    return services.plan_meeting(
        actor(who), forum, starts_at=at(day), ends_at=at(day, 15), place=kw.get("place", "Rum 1")
    )


def held(w, m, now=None):
    """The meeting's minutes with everyone present, sent for adjusting by the chair."""
    s = actor(w.ward_staff)
    present = {mem: "present" for mem in m.forum.members.all()}
    services.record_attendance(s, m, statuses=present)
    services.send_for_adjusting(s, m, adjusters=[w.chair], now=now)
    m.refresh_from_db()
    return m


def published(w, m, now=None):
    held(w, m, now)
    services.adjust(actor(w.a_staff), m, now=now)
    services.publish(actor(w.ward_staff), m, now=now)
    m.refresh_from_db()
    return m
