"""Demo forums in the shape of the collaboration's own bodies (invented names): a ledningsgrupp
and a samverkansgrupp reporting to it, with members from the region and the municipalities,
working groups (one paused), a year plan, published minutes with § numbered decisions,
assignments (one overdue) and a referral, and the next meeting's agenda. Safe to run again."""

from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from samverkan.directory.demo import demo_actor
from samverkan.directory.models import Principal

from . import services
from .models import Forum, Member, Role, WorkingGroup

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
BOARD = "Ledningsgruppen för vård och omsorg i samverkan"
GROUP = "Samverkansgruppen Trygg hemgång"
BOARD_MEMBERS = [  # username or name, principal code, role
    ("analytiker", "10", Role.SECRETARY),
    ("karlskrona.chef", "1080", Role.CHAIR),
    ("karlshamn.chef", "1082", Role.MEMBER),
    ("ronneby.chef", "1081", Role.MEMBER),
    ("solvesborg.chef", "1083", Role.MEMBER),
    ("olofstrom.chef", "1060", Role.MEMBER),
    ("avd.chef", "10", Role.MEMBER),
]
GROUP_MEMBERS = [
    ("region.avvikelser", "10", Role.SECRETARY),
    ("karlshamn.hsl", "1082", Role.CHAIR),
    ("karlskrona.handlaggare", "1080", Role.MEMBER),
    ("vc.sjukskoterska", "10", Role.MEMBER),
    ("avd.sjukskoterska", "10", Role.MEMBER),
    ("ronneby.hsl", "1081", Role.MEMBER),
    ("olofstrom.hsl", "1060", Role.MEMBER),
    ("Processledare Lars Fors", "10", Role.ADJUNCT),
]


def _members(forum: Forum, rows) -> None:
    for who, code, role in rows:
        user = User.objects.filter(username=who).first()
        Member.objects.create(
            forum=forum,
            user=user,
            name="" if user else who,
            principal=Principal.objects.get(code=code),
            role=role,
            email=f"{who}@demo.invalid" if user else "",
        )


def _at(day, hour=13):
    return datetime.combine(day, time(hour), timezone.get_current_timezone())


def _publish(secretary, m, adjuster, statuses) -> None:
    services.record_attendance(secretary, m, statuses=statuses)
    today = timezone.localdate()
    services.send_for_adjusting(secretary, m, adjusters=[adjuster], adjust_by=today + timedelta(3))
    services.adjust(demo_actor(adjuster.user.username), m)
    services.publish(secretary, m)


def _present(forum, absent=()):
    return {
        m: "absent" if m.user and m.user.username in absent else "present"
        for m in forum.members.all()
    }


def _board(board: Forum, day) -> None:
    s = demo_actor("analytiker")
    m = services.plan_meeting(
        s, board, starts_at=_at(day, 9), ends_at=_at(day, 11), place="Regionhuset, Karlskrona"
    )
    item = services.add_item(
        s,
        m,
        title="Samverkansavtalet om betalningsansvar",
        kinds="B",
        presenter_name="Gunnar Persson",
        presenter_principal=Principal.objects.get(code="1080"),
    )
    services.decide(
        s,
        item,
        text="att förlänga överenskommelsen med tre dagar till betalningsansvar ett år till",
    )
    chair = board.members.get(role=Role.CHAIR)
    _publish(s, m, chair, _present(board))


def _group_minutes(group: Forum, board: Forum, day) -> None:
    s = demo_actor("region.avvikelser")
    m = services.plan_meeting(
        s,
        group,
        starts_at=_at(day),
        ends_at=_at(day, 15),
        web_link="https://mote.demo.invalid/trygg-hemgang",
    )
    region = Principal.objects.get(code="10")
    one = services.add_item(
        s,
        m,
        title="Avvikelseanalys för året",
        kinds="ID",
        presenter_name="Tove Åberg",
        presenter_principal=region,
    )
    services.embed_figures(s, one, source="deviations", year=timezone.localdate().year)
    services.record_notes(
        s,
        one,
        notes="Flest avvikelser gäller de gemensamma rutinerna, främst inskrivningsmeddelandet.",
    )
    handlaggare = group.members.get(user__username="karlskrona.handlaggare")
    vc = group.members.get(user__username="vc.sjukskoterska")
    services.decide(
        s,
        one,
        text="att Eva tar fram en kort lathund om inskrivningsmeddelandet",
        creates="assignment",
        owner=handlaggare,
        due_date=timezone.localdate() - timedelta(days=5),
    )
    two = services.add_item(
        s,
        m,
        title="SIP vid hemgång – checklista",
        kinds="BD",
        presenter_name="Ulla Strand",
        presenter_principal=region,
    )
    services.decide(
        s,
        two,
        text="att bilda en arbetsgrupp för SIP-rutinen",
        creates="group",
        group_name="Arbetsgrupp SIP",
        mandate="Se över checklistan för SIP vid hemgång och återkomma med förslag.",
        convenor=vc,
    )
    month = (timezone.localdate().replace(day=1) + timedelta(days=62)).replace(day=1)
    text = f"att återkoppling ska göras i {MONTHS[month.month - 1]}"
    services.decide(s, two, text=text, creates="assignment", owner=vc, due_month=month)
    three = services.add_item(
        s,
        m,
        title="Läkemedel för tre dagar vid hemgång",
        kinds="B",
        presenter_name="Anna Lind",
        presenter_principal=region,
    )
    services.decide(
        s,
        three,
        text="att remittera frågan om läkemedel för helgen till ledningsgruppen",
        creates="referral",
        to_forum=board,
        question="Ska tre dagars läkemedel gälla även inför helger?",
    )
    services.add_item(s, m, title="Personalfråga", kinds="D", secret=True)
    chair = group.members.get(role=Role.CHAIR)
    _publish(s, m, chair, _present(group, absent=("olofstrom.hsl",)))
    WorkingGroup.objects.create(
        forum=group,
        name="Arbetsgrupp hjälpmedel",
        mandate="Gemensam rutin för hjälpmedel vid hemgång.",
        convenor_name="Mats Wallin",
        convenor_principal=Principal.objects.get(code="1082"),
        status=WorkingGroup.Status.PAUSED,
    )


def _next(group: Forum, day) -> None:
    s = demo_actor("region.avvikelser")
    m = services.plan_meeting(
        s,
        group,
        starts_at=_at(day),
        ends_at=_at(day, 15),
        place="Vårdcentralen Wämö, konferensrummet",
    )
    services.add_item(
        s,
        m,
        title="Cosmic Link – erfarenheter efter bytet",
        kinds="ID",
        presenter_name="Anna Lind",
        presenter_principal=Principal.objects.get(code="10"),
    )
    services.add_item(
        s,
        m,
        title="Utskrivningsklara i väntan på korttidsplats",
        kinds="BI",
        presenter_name="Eva Karlsson",
        presenter_principal=Principal.objects.get(code="1080"),
    )
    services.invite(s, m)


@transaction.atomic
def seed_forums() -> str:
    if Forum.objects.filter(name=GROUP).exists():
        return "redan inlagda"
    today = timezone.localdate()
    board = Forum.objects.create(
        name=BOARD,
        short_name="Ledningsgruppen",
        letterhead="Samverkan vård och omsorg i Blekinge (demo)",
        distribution="registrator@demo.invalid",
    )
    group = Forum.objects.create(
        name=GROUP,
        short_name="Trygg hemgång",
        parent=board,
        distribution="registrator@demo.invalid\nsamverkan@demo.invalid",
    )
    _members(board, BOARD_MEMBERS)
    _members(group, GROUP_MEMBERS)
    _board(board, today - timedelta(days=45))
    _group_minutes(group, board, today - timedelta(days=30))
    _next(group, today + timedelta(days=14))
    later = [today + timedelta(days=d) for d in (56, 98, 140)]
    services.plan_year(
        demo_actor("region.avvikelser"),
        group,
        dates=later,
        start=time(13),
        end=time(15),
        place="Regionhuset, Karlskrona",
    )
    return f"2 forum, {sum(f.meetings.count() for f in (board, group))} möten"
