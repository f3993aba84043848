"""The forums' rules, each as a table where it fits: § numbering, carry-over of open
assignments, referral answers, the justering deadline, publication locking, secret items held
back and the attendance warning."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from samverkan.cases.testing import actor
from samverkan.forums import services, standing
from samverkan.forums.access import visible_items
from samverkan.forums.models import AgendaItem, Assignment, Meeting, Standing
from samverkan.forums.testing import at, held, meeting, published

pytestmark = pytest.mark.django_db


def rule(error: ValidationError) -> str:
    return next(iter(error.error_dict.values()))[0].code


def numbers(m):
    return list(m.items.order_by("position").values_list("paragraph", flat=True))


def test_a_new_meeting_has_the_standing_items_in_order(fw):
    m = meeting(fw)
    kinds = list(m.items.values_list("standing", flat=True))
    assert kinds == ["approve_agenda", "previous", "parent", "followup", "other"]
    assert m.items.get(standing="parent").title == "Protokoll från Ledningsgruppen"
    first = meeting(fw, forum=fw.board)  # no forum above: no "Protokoll från"
    assert "parent" not in first.items.values_list("standing", flat=True)


def test_paragraphs_run_on_per_forum_and_restart_each_year(fw):
    s = actor(fw.ward_staff)
    m1 = meeting(fw, date(2026, 3, 10))
    services.add_item(s, m1, title="Utskrivningsklara", kinds="BI")
    m2 = meeting(fw, date(2026, 5, 12))
    board = meeting(fw, date(2026, 4, 1), forum=fw.board)
    m3 = meeting(fw, date(2027, 1, 20))
    for m in (m1, board, m2, m3):
        services.number_items(m)
    assert numbers(m1) == [1, 2, 3, 4, 5, 6]
    assert numbers(m2) == [7, 8, 9, 10, 11]  # the same forum and year runs on
    assert numbers(board)[0] == 1  # another forum has its own series
    assert numbers(m3)[0] == 1  # a new year starts again
    late = services.add_item(s, m1, title="Extra punkt")  # added at the meeting: the next §
    assert late.paragraph == 12


def test_the_database_refuses_a_paragraph_twice(fw):
    m = meeting(fw, date(2026, 3, 10))
    services.number_items(m)
    first, second = m.items.all()[:2]
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=second.pk).update(paragraph=first.paragraph)


def test_open_assignments_and_referrals_carry_over_to_the_next_meeting(fw):
    s = actor(fw.ward_staff)
    m1 = meeting(fw, date(2026, 3, 10))
    item = services.add_item(s, m1, title="Rutiner", kinds="B")
    services.decide(
        s,
        item,
        text="att Mats kallar till ett första möte",
        creates="assignment",
        owner=fw.chair,
        due_month=date(2027, 1, 1),
    )
    done = services.decide(
        s,
        item,
        text="att ta fram en checklista",
        creates="assignment",
        owner_name="Pia Kvist",
        principal=fw.muni_b,
        due_date=date(2026, 4, 1),
    )
    services.decide(
        s,
        item,
        text="att remittera frågan",
        creates="referral",
        to_forum=fw.board,
        question="Ska rutinen gälla psykiatrin?",
    )
    services.complete_assignment(s, done.assignments.get(), note="Klar")
    m2 = meeting(fw, date(2026, 5, 12))
    text = m2.items.get(standing=Standing.PREVIOUS).description
    assert "Mats kallar till ett första möte" in text and "under 2027-01" in text
    assert "checklista" not in text  # done: no longer carried
    assert "Remiss till Ledningsgruppen" in text and "väntar på svar" in text
    assert list(standing.open_assignments(m1)) == []  # only earlier meetings' assignments


def test_a_referral_answer_links_back(fw):
    s = actor(fw.ward_staff)
    m1 = meeting(fw, date(2026, 3, 10))
    item = services.add_item(s, m1, title="Psykiatrin", kinds="B")
    decision = services.decide(
        s,
        item,
        text="att remittera",
        creates="referral",
        to_forum=fw.board,
        question="Gäller rutinen psykiatrin?",
    )
    referral = decision.referrals.get()
    board = meeting(fw, date(2026, 4, 1), forum=fw.board)
    answer = services.answer_referral(actor(fw.ward_admin), board, referral, answer="Ja, från maj.")
    referral.refresh_from_db()
    assert referral.answered_in == answer and answer.referral == referral
    assert answer.meeting == board and "Gäller rutinen psykiatrin?" in answer.title
    with pytest.raises(ValidationError) as again:
        services.answer_referral(actor(fw.ward_admin), board, referral, answer="Igen")
    assert rule(again.value) == "answered"
    m2 = meeting(fw, date(2026, 5, 12))
    assert "besvarad: Ja, från maj." in m2.items.get(standing=Standing.PREVIOUS).description


@pytest.mark.parametrize(
    ("days_after", "allowed"),
    [(0, True), (14, True), (15, False)],  # the forum's 14 days: on the last day, not after
)
def test_justering_within_the_deadline(fw, days_after, allowed):
    m = held(fw, meeting(fw, date(2026, 3, 10)))
    assert m.adjust_by == date(2026, 3, 24)
    when = at(date(2026, 3, 10) + timedelta(days=days_after), 16)
    if allowed:
        services.adjust(actor(fw.a_staff), m, now=when)
        m.refresh_from_db()
        assert m.status == Meeting.Status.ADJUSTED
    else:
        with pytest.raises(ValidationError) as late:
            services.adjust(actor(fw.a_staff), m, now=when)
        assert rule(late.value) == "deadline"


def test_only_a_named_adjuster_adjusts(fw):
    m = held(fw, meeting(fw, date(2026, 3, 10)))
    with pytest.raises(ValidationError) as refused:
        services.adjust(actor(fw.b_staff), m, now=at(date(2026, 3, 11)))
    assert rule(refused.value) == "adjuster"


def test_minutes_left_to_the_next_meeting_are_adjusted_there(fw):
    s = actor(fw.ward_staff)
    m1 = meeting(fw, date(2026, 3, 10))
    services.send_for_adjusting(s, m1, at_next=True)
    m2 = meeting(fw, date(2026, 5, 12))
    assert "justeras vid detta möte" in m2.items.get(standing=Standing.PREVIOUS).description
    services.adjust_previous(s, m2)
    m1.refresh_from_db()
    assert (m1.status, m1.adjusted_in) == (Meeting.Status.ADJUSTED, m2)
    texts = m2.items.get(standing=Standing.PREVIOUS).decisions.values_list("text", flat=True)
    assert list(texts) == ["att justera protokollet från 2026-03-10"]


def _locked_writes(fw, m):
    s = actor(fw.ward_staff)
    item = m.items.first()
    return {
        "record_notes": lambda: services.record_notes(s, item, notes="Ändrat"),
        "decide": lambda: services.decide(s, item, text="att ändra"),
        "add_item": lambda: services.add_item(s, m, title="Ny"),
        "change_item": lambda: services.change_item(s, item, title="Ny", kinds="I"),
        "attendance": lambda: services.record_attendance(s, m, statuses={fw.chair: "absent"}),
        "change_meeting": lambda: services.change_meeting(
            s, m, starts_at=m.starts_at, ends_at=m.ends_at, place="Annan"
        ),
        "withdraw": lambda: services.withdraw_decision(s, item.decisions.first()),
    }


@pytest.mark.parametrize(
    "write",
    [
        "record_notes",
        "decide",
        "add_item",
        "change_item",
        "attendance",
        "change_meeting",
        "withdraw",
    ],
)
def test_published_minutes_are_locked(fw, write):
    s = actor(fw.ward_staff)
    m = meeting(fw, date(2026, 3, 10))
    services.decide(s, m.items.first(), text="att godkänna dagordningen")
    published(fw, m, now=at(date(2026, 3, 11)))
    before = (m.version, list(m.items.values_list("title", "notes")))
    with pytest.raises(ValidationError) as refused:
        _locked_writes(fw, m)[write]()
    assert rule(refused.value) == "locked"
    m.refresh_from_db()
    assert (m.version, list(m.items.values_list("title", "notes"))) == before


def test_publishing_needs_adjusted_minutes(fw):
    m = held(fw, meeting(fw, date(2026, 3, 10)))
    with pytest.raises(ValidationError) as refused:
        services.publish(actor(fw.ward_staff), m)
    assert rule(refused.value) == "state"


def test_secret_items_are_held_back_from_readers_outside_the_forum(fw):
    s = actor(fw.ward_staff)
    m = meeting(fw, date(2026, 3, 10))
    secret = services.add_item(s, m, title="Personalärende Hemlig", kinds="D", secret=True)
    services.add_item(s, m, title="Öppen punkt", kinds="I")
    published(fw, m, now=at(date(2026, 3, 11)))
    outsider = visible_items(actor(fw.pcc_staff)).filter(meeting=m)
    assert secret not in outsider and outsider.filter(title="Öppen punkt").exists()
    assert secret in visible_items(actor(fw.b_staff))  # a member reads it


def test_a_member_principal_not_represented_is_warned_of(fw):
    s = actor(fw.ward_staff)
    m = meeting(fw, date(2026, 3, 10))
    statuses = {
        fw.secretary: "present",
        fw.chair: "present",
        fw.member_b: "absent",
        fw.adjunct: "present",
    }
    services.record_attendance(s, m, statuses=statuses)
    assert list(services.unrepresented(m)) == [fw.muni_b]
    services.record_attendance(s, m, substitutes=[("Bo Ersättare", fw.muni_b)], statuses={})
    assert list(services.unrepresented(m)) == []


@pytest.mark.parametrize(
    ("due_date", "due_month", "today", "overdue"),
    [
        (date(2026, 3, 1), None, date(2026, 3, 1), False),
        (date(2026, 3, 1), None, date(2026, 3, 2), True),
        (None, date(2026, 3, 1), date(2026, 3, 31), False),  # "i mars": the whole month
        (None, date(2026, 3, 1), date(2026, 4, 1), True),
        (None, None, date(2030, 1, 1), False),
    ],
)
def test_an_assignment_is_overdue_after_its_date_or_month(due_date, due_month, today, overdue):
    assert Assignment(due_date=due_date, due_month=due_month).is_overdue(today) is overdue


@pytest.mark.parametrize(
    ("text", "creates", "what", "expected"),
    [
        ("Mats kallar", "", {}, "att"),
        ("att göra", "assignment", {}, "required"),
        (
            "att göra",
            "assignment",
            {"owner_name": "X", "due_date": date(2026, 1, 1), "due_month": date(2026, 1, 1)},
            "one_due",
        ),
        ("att remittera", "referral", {}, "required"),
        ("att bilda", "group", {}, "required"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_is_written(fw, text, creates, what, expected):
    m = meeting(fw, date(2026, 3, 10))
    if "owner_name" in what:
        what["principal"] = fw.muni_a
    with pytest.raises(ValidationError) as refused:
        services.decide(actor(fw.ward_staff), m.items.first(), text=text, creates=creates, **what)
    assert rule(refused.value) == expected
    assert not m.items.first().decisions.exists()


def test_a_decision_creates_a_working_group(fw):
    m = meeting(fw, date(2026, 3, 10))
    item = m.items.first()
    d = services.decide(
        actor(fw.ward_staff),
        item,
        text="att bilda en arbetsgrupp för SIP",
        creates="group",
        group_name="Arbetsgrupp SIP",
        mandate="Se över SIP-rutinen",
        convenor=fw.chair,
    )
    group = d.groups.get()
    assert (group.forum, group.convenor, group.status) == (
        fw.group,
        fw.a_staff.get_full_name(),
        "active",
    )


def test_now_is_stockholm(fw):
    assert timezone.get_current_timezone_name() == "Europe/Stockholm"
