"""The audit battery: every API operation and page that shows a person's data, called by a unit
that may see it, writes its audit event naming the person. The table covers every GET of the
OpenAPI (a new one fails the test until it is added here, or named as showing no person)."""

import pytest
from django.urls import reverse

from samverkan.api.urls import api as ninja_api
from samverkan.audit.models import AuditEvent

SPEC = ninja_api.get_openapi_schema()
NO_PERSON = {  # aggregates and reference data only
    "/api/v1/ping",
    "/api/v1/deviations/categories",
    "/api/v1/deviations/statistics",
    "/api/v1/followup-calls/statistics",
    "/api/v1/trust-survey/results",
}
DEVICE = {  # a downtime PC's token, not a user's: one read per person, tests/test_downtime_pcs.py
    "/api/v1/downtime/snapshot",
    # the forums' meetings hold no patient data; their reads are audited without a person
    # (forum.meeting.read, tests/forums)
    "/api/v1/forums",
    "/api/v1/forums/{forum_id}/meetings",
    "/api/v1/meetings/{forum_meeting_id}",
    "/api/v1/forum-assignments",
    "/api/v1/forum-assignments/{assignment_id}",
}

API = [  # path, who, the event it writes
    ("/api/v1/cases", "a_staff", "case.list"),
    ("/api/v1/cases/{case_id}", "a_staff", "case.read"),
    ("/api/v1/cases/{case_id}/attachments/{attachment_id}", "a_staff", "case.attachment_read"),
    ("/api/v1/worklist", "a_staff", "case.list"),
    ("/api/v1/notifications", "a_staff", "notification.list"),
    ("/api/v1/sips", "a_staff", "sip.list"),
    ("/api/v1/sips/{sip_id}", "a_staff", "sip.read"),
    ("/api/v1/sips/{sip_id}/pdf", "pcc_staff", "sip.read"),
    ("/api/v1/deviations", "ward_staff", "deviation.list"),
    ("/api/v1/deviations/{deviation_id}", "ward_staff", "deviation.read"),
    ("/api/v1/followup-calls", "pcc_staff", "followup_call.list"),
    ("/api/v1/followup-calls/{call_id}", "pcc_staff", "followup_call.read"),
]
PAGES = [  # url name, the scene's ids it takes, who, the event
    ("start", (), "a_staff", "case.list"),
    ("case_list", (), "a_staff", "case.list"),
    ("ward_overview", (), "ward_staff", "case.list"),
    ("case_detail", ("case_id",), "a_staff", "case.read"),
    ("case_print", ("case_id",), "a_staff", "case.read"),
    ("case_attachment", ("case_id", "attachment_id"), "a_staff", "case.attachment_read"),
    ("notifications", (), "a_staff", "notification.list"),
    ("sip_list", (), "a_staff", "sip.list"),
    ("sip_detail", ("sip_id",), "a_staff", "sip.read"),
    ("sip_print", ("sip_id",), "a_staff", "sip.read"),
    ("sip_pdf", ("sip_id",), "pcc_staff", "sip.read"),
    ("patient_detail", ("patient_id",), "a_staff", "patient.read"),
    ("patient_edit", ("patient_id",), "a_staff", "patient.read"),
    ("deviation_detail", ("deviation_id",), "ward_staff", "deviation.read"),
    ("followup_calls", (), "pcc_staff", "followup_call.list"),
    ("followup_call", ("call_id",), "pcc_staff", "followup_call.read"),
]


def test_the_table_covers_every_get_of_the_api():
    gets = {p for p, ops in SPEC["paths"].items() if "get" in ops}
    assert gets - NO_PERSON - DEVICE == {path for path, _who, _action in API}


def _logged(world, who, action):
    return AuditEvent.objects.filter(
        user=getattr(world, who), action=action, patient=world.patient
    ).count()


@pytest.mark.parametrize("path,who,action", API)
def test_api_reads_are_audited(api, world, scene, path, who, action):
    before = _logged(world, who, action)
    url = path.removeprefix("/api/v1").format(**scene)
    response = api.get(getattr(world, who), url)
    assert response.status_code == 200, response.content[:300]
    assert _logged(world, who, action) == before + 1


@pytest.mark.parametrize("name,ids,who,action", PAGES)
def test_page_reads_are_audited(as_user, world, scene, name, ids, who, action):
    before = _logged(world, who, action)
    response = as_user(getattr(world, who)).get(reverse(name, args=[scene[i] for i in ids]))
    assert response.status_code == 200
    assert _logged(world, who, action) == before + 1
