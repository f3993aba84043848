"""The standard battery for every step after the report, through the API: an outsider gets
404, a reader of the acting unit 403, a wrong method 405, a stale version 409, a repeated
request is replayed, and only a successful step writes its audit event."""

import pytest

from samverkan.deviations.testing import answered, assigned, reported
from samverkan.directory.models import Membership
from samverkan.testing import _user

from ..helpers import events

STEPS = {  # verb: (set-up, acting user, body, audit action)
    "assign": (reported, "region_coord", {"unit": "TEST-ward"}, "deviation.assign"),
    "category": (reported, "region_coord", {"category": "sip"}, "deviation.recategorise"),
    "return": (reported, "region_coord", {"reason": "Fel huvudman."}, "deviation.return"),
    "feedback": (assigned, "ward_staff", {"analysis": "a", "actions": "b"}, "deviation.feedback"),
    "acknowledge": (answered, "a_staff", {}, "deviation.acknowledge"),
    "more": (answered, "a_staff", {"text": "Mer, tack."}, "deviation.more"),
}


def reader_of(user):
    """A reader in the same unit as the user."""
    unit = user.memberships.first().unit
    reader = _user(f"reader_{unit.pk}", unit, "reader")
    assert Membership.objects.get(user=reader).role == "reader"
    return reader


@pytest.mark.parametrize("verb", STEPS)
def test_battery(w, api, verb):
    make, who, body, action = STEPS[verb]
    d = make(w)
    path = f"/deviations/{d.public_id}/{verb}"
    user = getattr(w, who)
    data = {"version": d.version, **body}
    assert api.post(w.b_coord, path, data).status_code == 404
    assert api.post(w.other_ward_staff, path, data).status_code == 404
    assert api.post(reader_of(user), path, data).status_code == 403
    assert api.get(user, path).status_code == 405
    assert api.post(user, path, {**data, "version": d.version - 1}).status_code == 409
    assert not events(action).exists()
    first = api.post(user, path, data, key=f"k-{verb}")
    assert first.status_code == 200, first.json()
    again = api.post(user, path, data, key=f"k-{verb}")
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert events(action, user=user).count() == 1
    assert first.json()["version"] == d.version + 1
