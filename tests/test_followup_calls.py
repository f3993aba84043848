"""The follow-up call: the list follows its rule, every attempt counts, an answer that needs
action notifies its unit and stays out of the statistics, which keep no person; access."""

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.cases.testing import actor
from samverkan.experience import rules, services, stats
from samverkan.experience.models import CallRecord, FollowUpCall
from samverkan.experience.testing import persons, rule_for, stay
from samverkan.notifications.models import Notification

State = FollowUpCall.State
ANSWERS = {
    "answered_by": "person",
    "ctm_1": 4,
    "ctm_2": 3,
    "ctm_3": 0,
    "ctm_4": 2,
    "knows_contact": "yes",
    "comment": "Bra bemötande.",
    "needs_action": False,
    "action_text": "",
    "action_unit": None,
}


def days_ago(n: int, hour: int = 10):
    return timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0) - timedelta(days=n)


def drawn_ids() -> set:
    return set(FollowUpCall.objects.values_list("case__patient__family_name", flat=True))


@pytest.fixture
def rule(world):
    return rule_for(world)


def test_the_list_follows_its_rule(world, rule):
    old = persons(world, 6)
    young = persons(world, 1, 1990, 2000)[0]
    other = persons(world, 1, municipality=world.muni_b)[0]
    cases = {
        "in": stay(world, old[0], days_ago(4)),
        "no_support": stay(world, old[1], days_ago(4), support=False),
        "short_term": stay(world, old[2], days_ago(4), destination="short_term_housing"),
        "young": stay(world, young, days_ago(5)),
        "other_municipality": stay(world, other, days_ago(5)),
        "too_early": stay(world, old[3], days_ago(1)),
        "window_passed": stay(world, old[4], days_ago(9)),
        "last_day": stay(world, old[5], days_ago(7)),
    }
    assert services.draw_calls() == 2
    drawn = set(FollowUpCall.objects.values_list("case_id", flat=True))
    assert drawn == {cases["in"].pk, cases["last_day"].pk}
    call = FollowUpCall.objects.get(case=cases["in"])
    discharged_on = timezone.localdate(cases["in"].discharged_at)
    assert (call.due_from, call.due_to) == (
        discharged_on + timedelta(days=3),
        discharged_on + timedelta(days=7),
    )
    assert services.draw_calls() == 0  # a repeat draws nothing
    assert FollowUpCall.objects.count() == 2


def test_the_sample_is_reproducible_from_its_seed(world, rule):
    rule.sample_percent, rule.seed = 50, "blekinge-2026"
    rule.save()
    cases = [stay(world, p, days_ago(4)) for p in persons(world, 12)]

    def by_hand(case):  # HMAC-SHA256(seed, "YYYY-MM:<case id>"), first 8 bytes / 2**64
        month = timezone.localdate(case.discharged_at).replace(day=1)
        message = f"{month:%Y-%m}:{case.public_id}".encode()
        value = int.from_bytes(hmac.new(b"blekinge-2026", message, hashlib.sha256).digest()[:8])
        return value / 2**64 < 0.5

    expected = {c.pk for c in cases if by_hand(c)}
    assert 0 < len(expected) < 12  # a sample, not all or none (fixed by the seed)
    services.draw_calls()
    assert set(FollowUpCall.objects.values_list("case_id", flat=True)) == expected


def test_the_monthly_cap(world, rule):
    rule.monthly_cap = 2
    rule.save()
    cases = [stay(world, p, days_ago(4, hour=8 + i)) for i, p in enumerate(persons(world, 4))]
    services.draw_calls()  # one discharge day, so one month: the first two discharged of it
    drawn = set(FollowUpCall.objects.values_list("case_id", flat=True))
    assert drawn == {cases[0].pk, cases[1].pk}


def test_the_rule_is_shown_in_words(world, rule, as_user):
    rule.sample_percent, rule.monthly_cap, rule.seed = 30, 40, "x1"
    rule.save()
    page = as_user(world.pcc_staff).get("/uppfoljningssamtal/").content.decode()
    assert (
        "Personer 65 år eller äldre, folkbokförda i Kommun A, utskrivna till hemmet med "
        "planerade insatser från kommunen; ett slumpmässigt urval på 30 % per månad (frö x1), "
        "högst 40 per månad. Samtalet görs 3–7 dagar efter utskrivningen, med högst 3 försök."
    ) in page


def _calls(world, rule, count):
    for p in persons(world, count):
        stay(world, p, days_ago(4))
    services.draw_calls()
    return list(FollowUpCall.objects.select_related("case__patient", "rule").order_by("id"))


def test_the_response_rate_counts_every_attempt(world, rule, settings):
    settings.SMALL_CELL_LIMIT = 1  # the figures by hand; suppression has its own test
    staff = actor(world.pcc_staff)
    answered, declined, unreached, expired = _calls(world, rule, 4)
    for outcome in ("not_reached", "not_reached"):
        services.record_attempt(staff, answered, outcome=outcome)
    services.record_attempt(staff, answered, outcome="reached", answers=ANSWERS)
    services.record_attempt(staff, declined, outcome="declined")
    for _ in range(3):  # max_attempts 3
        services.record_attempt(staff, unreached, outcome="not_reached")
    services.draw_calls(timezone.now() + timedelta(days=10))  # expired's window passes
    states = [FollowUpCall.objects.get(pk=c.pk).state for c in (answered, declined, unreached)]
    assert states == [State.ANSWERED, State.DECLINED, State.NOT_REACHED]
    assert FollowUpCall.objects.get(pk=expired.pk).state == State.NOT_REACHED
    row = stats.CallFigures(list(CallRecord.objects.all())).row("Totalt")
    # drawn 4, answered 1, declined 1, not reached 2, 25 %, 7 attempts, 1.75 a call,
    # CTM (4, 3, 2 answered; "vet ej" left out): (3 - 1) / 3 * 100 = 66.7; knows contact 100 %
    assert row == ["Totalt", 4, 1, 1, 2, 25.0, 7, round(7 / 4, 1), 66.7, 100.0]


def test_no_attempt_after_the_call_ended(world, rule):
    (call,) = _calls(world, rule, 1)
    staff = actor(world.pcc_staff)
    services.record_attempt(staff, call, outcome="declined")
    with pytest.raises(Exception, match="redan avslutat"):
        services.record_attempt(staff, call, outcome="not_reached")
    assert call.attempts.count() == 1


def test_an_answer_that_needs_action_notifies_and_stays_out_of_statistics(world, rule):
    plain, urgent = _calls(world, rule, 2)
    staff = actor(world.pcc_staff)
    services.record_attempt(staff, plain, outcome="reached", answers=ANSWERS)
    action = {
        **ANSWERS,
        "comment": "Oroar sig för medicinerna.",
        "needs_action": True,
        "action_text": "Ring tillbaka om läkemedelslistan.",
        "action_unit": world.a_needs,
    }
    services.record_attempt(staff, urgent, outcome="reached", answers=action)
    call_command("run_worker", "--once")
    note = Notification.objects.get(kind="followup_call_action")
    assert note.unit == world.a_needs and note.case_id == urgent.case_id
    assert "Ring tillbaka om läkemedelslistan." in note.text
    comments = set(CallRecord.objects.values_list("comment", flat=True))
    assert comments == {"Bra bemötande.", ""}
    kept = " ".join(str(v) for r in CallRecord.objects.values() for v in r.values())
    assert "medicinerna" not in kept and "läkemedelslistan" not in kept


def test_action_goes_only_to_a_unit_in_the_case(world, rule):
    (call,) = _calls(world, rule, 1)
    answers = {**ANSWERS, "needs_action": True, "action_text": "X", "action_unit": world.b_needs}
    with pytest.raises(Exception, match="deltar i ärendet"):
        services.record_attempt(actor(world.pcc_staff), call, outcome="reached", answers=answers)
    assert call.attempts.count() == 0 and Notification.objects.count() == 0


def test_statistics_keep_municipality_age_band_sex_and_a_pseudonym(world, rule, settings):
    (call,) = _calls(world, rule, 1)
    services.record_attempt(actor(world.pcc_staff), call, outcome="reached", answers=ANSWERS)
    record = CallRecord.objects.get()
    fields = {f.name for f in CallRecord._meta.fields}
    assert fields == {
        "id",
        "pseudonym",
        "municipality",
        "age_band",
        "sex",
        "month",
        "outcome",
        "attempts",
        "answered_by",
        "ctm_score",
        "knows_contact",
        "comment",
    }
    identity = call.case.patient.identity
    key = settings.PSEUDONYM_KEY.encode()
    assert record.pseudonym == hmac.new(key, identity.encode(), hashlib.sha256).hexdigest()
    assert identity not in record.pseudonym
    age = rules.age_at(call.case.patient, timezone.localdate(call.case.discharged_at))
    assert record.age_band == rules.age_band(age) and record.municipality == world.muni_a
    assert record.sex == ("M" if int(identity[10]) % 2 else "K")
    settings.PSEUDONYM_KEY = "another key"
    assert rules.pseudonym(identity) != record.pseudonym


def test_small_cells_are_suppressed(world, rule, as_user):
    calls = _calls(world, rule, 3)
    for call in calls:
        services.record_attempt(actor(world.pcc_staff), call, outcome="reached", answers=ANSWERS)
    report = stats.call_report(stats.period_from({}))
    counts = [row[1:6] + row[6:7] for t in report.tables for row in t.rows]  # counts, rate
    assert all(v in (None, "dolt", "–", 0) for row in counts for v in row)
    assert any(None in row for row in counts)  # the three show as <5
    assert report.comments == []  # three comments are too few to show
    page = as_user(world.analyst).get("/uppfoljningssamtal/statistik/").content.decode()
    assert "Bra bemötande" not in page and calls[0].case.patient.family_name not in page


@pytest.mark.parametrize(
    ("items", "score"),
    [
        ([4, 4, 4, 4], 100.0),
        ([1, 1, 1, 1], 0.0),
        ([4, 4, 3, 0], 88.9),  # mean 11/3
        ([2, 3, 4, None], 66.7),
        ([3, 0, 0, 4], None),  # two answered: too few
    ],
)
def test_ctm_score(items, score):
    assert rules.ctm_score(items) == score


# --- pages and access --------------------------------------------------------------------------


def test_a_caller_registers_an_attempt_in_the_browser_form(world, rule, as_user):
    (call,) = _calls(world, rule, 1)
    client = as_user(world.pcc_staff)
    page = client.get(f"/uppfoljningssamtal/{call.public_id}/")
    assert page.status_code == 200 and "Vet du vem du ska kontakta" in page.content.decode()
    assert AuditEvent.objects.filter(action="followup_call.read", patient=call.case.patient)
    form = {k: v for k, v in ANSWERS.items() if v is not None and v is not False}
    response = client.post(f"/uppfoljningssamtal/{call.public_id}/", {"outcome": "reached", **form})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.state == State.ANSWERED and call.ctm_1 == 4 and call.ctm_3 == 0
    assert AuditEvent.objects.filter(action="followup_call.attempt").count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"outcome": "reached"},  # no answers
        {"outcome": "reached", **{k: "4" for k in ("ctm_1", "ctm_2", "ctm_3")}, "ctm_4": "7"},
        {"outcome": "not_reached", "comment": "x" * 501},
        {"outcome": "maybe"},
    ],
)
def test_bad_input_writes_nothing(world, rule, as_user, bad):
    (call,) = _calls(world, rule, 1)
    response = as_user(world.pcc_staff).post(f"/uppfoljningssamtal/{call.public_id}/", bad)
    assert response.status_code == 400
    assert call.attempts.count() == 0


@pytest.mark.parametrize("outsider", ["b_staff", "a_home_staff", "analyst", "other_ward_staff"])
def test_outsiders_get_404(world, rule, as_user, outsider):
    (call,) = _calls(world, rule, 1)
    client = as_user(getattr(world, outsider))
    assert client.get(f"/uppfoljningssamtal/{call.public_id}/").status_code == 404
    response = client.post(f"/uppfoljningssamtal/{call.public_id}/", {"outcome": "declined"})
    assert response.status_code == 404 and call.attempts.count() == 0
    listing = client.get("/uppfoljningssamtal/")
    assert call.case.patient.family_name not in listing.content.decode()


def test_a_unit_that_does_not_call_does_not_see_the_call(world, rule, as_user):
    """a_needs takes part in the case but is not a caller of the rule."""
    (call,) = _calls(world, rule, 1)
    assert as_user(world.a_staff).get(f"/uppfoljningssamtal/{call.public_id}/").status_code == 404


def test_a_reader_may_read_but_not_register(world, rule, as_user):
    (call,) = _calls(world, rule, 1)
    reader = world.pcc_staff.memberships.get()
    reader.role = "reader"
    reader.save()
    client = as_user(world.pcc_staff)
    assert client.get(f"/uppfoljningssamtal/{call.public_id}/").status_code == 200
    response = client.post(f"/uppfoljningssamtal/{call.public_id}/", {"outcome": "declined"})
    assert response.status_code == 403 and call.attempts.count() == 0


def test_the_list_is_audited_per_person(world, rule, as_user):
    (call,) = _calls(world, rule, 1)
    page = as_user(world.pcc_staff).get("/uppfoljningssamtal/").content.decode()
    assert call.case.patient.family_name in page
    assert AuditEvent.objects.filter(action="followup_call.list", patient=call.case.patient)


def test_open_calls_come_first(world, rule):
    first, second = _calls(world, rule, 2)
    services.record_attempt(actor(world.pcc_staff), first, outcome="declined")
    from samverkan.experience.access import calls_of

    assert [c.pk for c in calls_of(actor(world.pcc_staff))] == [second.pk, first.pk]
