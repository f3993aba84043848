"""Working groups in the browser (the secretary changes mandate, convenor, status and members;
everyone logged in reads) and "Stryk beslutet" on a draft's decisions (refused once locked)."""

import pytest

from samverkan.cases.testing import actor
from samverkan.forums import services
from samverkan.forums.models import AgendaItem, Assignment, Decision, GroupMember, WorkingGroup
from samverkan.forums.testing import held, meeting
from tests.helpers import events, text

pytestmark = pytest.mark.django_db


def groups_url(fw, action=""):
    return f"/forum/{fw.group.public_id}/arbetsgrupper/" + (f"{action}/" if action else "")


@pytest.fixture
def wg(fw):
    """A working group tillsatt by a decision of the group's meeting."""
    m = meeting(fw)
    item = services.add_item(actor(fw.ward_staff), m, title="Hemtagning", kinds="B")
    decision = services.decide(
        actor(fw.ward_staff),
        item,
        text="att tillsätta en arbetsgrupp för hemtagning",
        creates="group",
        group_name="Hemtagning",
        convenor=fw.chair,
    )
    return WorkingGroup.objects.get(decision=decision)


def change(wg, **kw):
    return {"group": str(wg.public_id), "mandate": "Ta fram rutin", "status": "paused", **kw}


@pytest.mark.parametrize("who", ["ward_staff", "b_staff", "pcc_staff"])
def test_everyone_logged_in_reads_the_groups(fw, wg, as_user, who):
    response = as_user(getattr(fw, who)).get(groups_url(fw))
    assert response.status_code == 200
    body = text(response)
    assert "Hemtagning" in body and "Aktiv" in body and "Samverkansgruppen" in body
    assert ("Ändra arbetsgruppen" in body) is (who == "ward_staff")


def test_the_secretary_changes_status_mandate_and_convenor(fw, wg, as_user):
    body = change(wg, convenor="", convenor_name="Mats Processledare", principal=fw.muni_b.pk)
    response = as_user(fw.ward_staff).post(groups_url(fw, "change"), body)
    assert response.status_code == 302
    wg.refresh_from_db()
    assert (wg.status, wg.mandate, wg.convenor, wg.convenor_principal) == (
        "paused",
        "Ta fram rutin",
        "Mats Processledare",
        fw.muni_b,
    )
    assert events("forum.group", username="ward_staff").count() == 1
    page = text(as_user(fw.pcc_staff).get(groups_url(fw)))
    assert "Pausad" in page and "Mats Processledare" in page


def test_the_secretary_adds_and_removes_members(fw, wg, as_user):
    client = as_user(fw.ward_staff)
    add = {"group": str(wg.public_id)}
    assert (
        client.post(groups_url(fw, "member"), {**add, "member": fw.member_b.pk}).status_code == 302
    )
    named = {**add, "name": "Eva Distriktssköterska", "principal": fw.muni_a.pk}
    assert client.post(groups_url(fw, "member"), named).status_code == 302
    twice = client.post(groups_url(fw, "member"), named)
    assert twice.status_code == 400 and "redan med" in text(twice)
    assert [(p.person_name, p.principal) for p in wg.members.all()] == [
        (fw.b_staff.get_full_name() or "b_staff", fw.muni_b),
        ("Eva Distriktssköterska", fw.muni_a),
    ]
    eva = wg.members.get(name="Eva Distriktssköterska")
    assert client.post(groups_url(fw, "remove"), {**add, "person": eva.pk}).status_code == 302
    assert list(wg.members.values_list("user", flat=True)) == [fw.b_staff.pk]
    assert events("forum.group", username="ward_staff").count() == 3


@pytest.mark.parametrize(
    ("who", "status"), [("a_staff", 403), ("b_staff", 403), ("pcc_staff", 403)]
)
def test_only_the_secretary_writes(fw, wg, as_user, who, status):
    client = as_user(getattr(fw, who))
    person = GroupMember.objects.create(group=wg, name="Kvar", principal=fw.region)
    posts = [
        ("change", change(wg)),
        ("member", {"group": str(wg.public_id), "name": "X", "principal": fw.region.pk}),
        ("remove", {"group": str(wg.public_id), "person": person.pk}),
    ]
    for action, body in posts:
        assert client.post(groups_url(fw, action), body).status_code == status
    wg.refresh_from_db()
    assert wg.status == "active" and list(wg.members.all()) == [person]
    assert not events("forum.group").exists()


def test_another_forums_group_or_an_unknown_action_is_not_found(fw, wg, as_user):
    client = as_user(fw.ward_staff)
    assert client.post(groups_url(fw, "change"), change(wg, group="nonsense")).status_code == 404
    assert client.post(groups_url(fw, "nonsense"), change(wg)).status_code == 404
    board = f"/forum/{fw.board.public_id}/arbetsgrupper/change/"
    assert as_user(fw.ward_admin).post(board, change(wg)).status_code == 404
    assert client.get(groups_url(fw, "change")).status_code == 405


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"mandate": "x" * 4001}, "som mest 4000 tecken"),
        ({"status": "sleeping"}, "Välj ett giltigt alternativ"),
        ({"convenor_name": "Utan organisation"}, "Ange både sammankallandes namn och organisation"),
    ],
)
def test_bad_input_is_refused_in_swedish_and_writes_nothing(fw, wg, as_user, body, message):
    response = as_user(fw.ward_staff).post(groups_url(fw, "change"), change(wg, **body))
    assert response.status_code == 400
    assert message in text(response)
    wg.refresh_from_db()
    assert wg.status == "active" and wg.mandate == "att tillsätta en arbetsgrupp för hemtagning"
    assert not events("forum.group").exists()


def test_a_member_without_a_name_or_organisation_is_refused(fw, wg, as_user):
    body = {"group": str(wg.public_id), "name": "Bara namn"}
    response = as_user(fw.ward_staff).post(groups_url(fw, "member"), body)
    assert response.status_code == 400 and "ange namn och organisation" in text(response)
    assert not wg.members.exists()


# --- Stryk beslutet ----------------------------------------------------------------------------


def withdraw_url(item):
    return f"/forum/mote/{item.meeting.public_id}/punkt/{item.public_id}/withdraw/"


def _decided(fw):
    m = meeting(fw)
    item = services.add_item(actor(fw.ward_staff), m, title="Väntedagar", kinds="B")
    services.decide(
        actor(fw.ward_staff),
        item,
        text="att följa upp väntedagarna",
        creates="assignment",
        owner=fw.chair,
    )
    return item


def test_the_secretary_withdraws_a_decision_after_confirming(fw, as_user):
    item = _decided(fw)
    decision = item.decisions.get()
    client = as_user(fw.ward_staff)
    page = text(client.get(f"/forum/mote/{item.meeting.public_id}/"))
    assert "Stryk beslutet" in page and f'value="{decision.pk}"' in page
    unconfirmed = client.post(withdraw_url(item), {"decision": decision.pk})
    assert unconfirmed.status_code == 400 and "Bekräfta att du förstår" in text(unconfirmed)
    assert Decision.objects.filter(pk=decision.pk).exists()
    body = {"decision": decision.pk, "confirm": "on"}
    assert client.post(withdraw_url(item), body).status_code == 302
    assert not Decision.objects.exists() and not Assignment.objects.exists()
    assert events("forum.minutes", username="ward_staff", detail__withdrawn__isnull=False).exists()


def test_withdrawing_is_the_secretarys_and_only_the_items_decisions(fw, as_user):
    item = _decided(fw)
    decision = item.decisions.get()
    body = {"decision": decision.pk, "confirm": "on"}
    assert as_user(fw.a_staff).post(withdraw_url(item), body).status_code == 403
    assert "Stryk beslutet" not in text(
        as_user(fw.a_staff).get(f"/forum/mote/{item.meeting.public_id}/")
    )
    assert as_user(fw.pcc_staff).post(withdraw_url(item), body).status_code == 404
    other = AgendaItem.objects.filter(meeting=item.meeting).exclude(pk=item.pk).first()
    assert as_user(fw.ward_staff).post(withdraw_url(other), body).status_code == 400
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_withdrawing_is_refused_once_the_minutes_are_adjusted(fw, as_user):
    item = _decided(fw)
    m = held(fw, item.meeting)
    services.adjust(actor(fw.a_staff), m)
    decision = item.decisions.get()
    client = as_user(fw.ward_staff)
    assert "Stryk beslutet" not in text(client.get(f"/forum/mote/{m.public_id}/"))
    response = client.post(withdraw_url(item), {"decision": decision.pk, "confirm": "on"})
    assert response.status_code in (400, 403)
    assert Decision.objects.filter(pk=decision.pk).exists()
