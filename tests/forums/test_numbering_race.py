"""Two secretaries write the first minutes of two meetings of one forum at the same moment:
the § numbers still run on without a gap or a repeat (the forum row is locked while one
counts). Real threads and commits, on SQLite and PostgreSQL."""

from datetime import date

import pytest

from samverkan.cases.testing import actor
from samverkan.forums import services
from samverkan.forums.models import AgendaItem
from samverkan.forums.testing import meeting, with_forums
from samverkan.testing import build_world
from tests.test_concurrency import together

pytestmark = pytest.mark.django_db(transaction=True)


def test_numbering_two_meetings_at_once():
    w = with_forums(build_world())
    first, second = meeting(w, date(2026, 3, 10)), meeting(w, date(2026, 5, 12))
    s = actor(w.ward_staff)

    def write(m):
        return lambda: services.record_notes(s, m.items.first(), notes="Godkänd").paragraph

    together([write(first), write(second)])
    numbers = sorted(AgendaItem.objects.filter(forum=w.group).values_list("paragraph", flat=True))
    assert numbers == list(range(1, 11))
