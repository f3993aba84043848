"""The demo forums: the issue's shape (forums above each other, members of every principal,
a paused working group, published minutes with § decisions, an overdue assignment, a referral,
the next meeting invited), and safe to load again."""

import pytest

from samverkan.directory.demo import seed_directory
from samverkan.forums.demo import GROUP, seed_forums
from samverkan.forums.models import Assignment, Forum, Mail, Meeting, Referral, WorkingGroup

pytestmark = pytest.mark.django_db


def test_the_demo_forums(as_user):
    seed_directory()
    assert seed_forums().startswith("2 forum")
    assert seed_forums() == "redan inlagda"
    group = Forum.objects.get(name=GROUP)
    assert group.parent is not None
    principals = set(group.members.values_list("principal__code", flat=True))
    assert {"10", "1080", "1082"} <= principals
    published = group.meetings.get(status=Meeting.Status.PUBLISHED)
    assert published.items.filter(secret=True).exists() and bytes(published.pdf).startswith(b"%PDF")
    assert Assignment.objects.filter(forum=group).count() == 2
    assert Referral.objects.filter(from_forum=group).exists()
    assert WorkingGroup.objects.filter(status="paused").exists()
    assert group.meetings.filter(status=Meeting.Status.INVITED).count() == 1
    assert group.meetings.filter(status=Meeting.Status.PLANNED).count() == 3
    assert Mail.objects.filter(kind="invitation").exists()
    from django.contrib.auth.models import User

    start = as_user(User.objects.get(username="karlskrona.handlaggare")).get("/").content.decode()
    assert "Uppdrag från samverkansforum" in start and "lathund" in start
