"""Test helpers: stays walked through the LOS services at given moments, and statement readers."""

from datetime import date, datetime

from django.utils import timezone

from samverkan.cases import services
from samverkan.cases.testing import actor
from samverkan.followup.models import Agreement, DailyAmount
from samverkan.testing import _user


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3, year: int = 2025) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def payment_world(w):
    """The shared world with an agreement, a test amount for 2025 and a reader in the
    region's administration (the unit that sends the statements)."""
    Agreement.objects.create(
        region=w.region,
        name="Testöverenskommelsen",
        valid_from=date(2018, 1, 1),
        model="individual",
    )
    DailyAmount.objects.update_or_create(year=2025, defaults={"amount": 9300, "source": "test"})
    w.region_reader = _user("region_reader", w.analysis, "reader")
    return w


def stay(
    w,
    patient=None,
    *,
    ready=None,
    out=None,
    notice=True,
    recipients=None,
    retract=None,
    sip=(False, False),
):
    """A stay admitted Sat 1 March 2025 08:00, notice 09:00, ready (Mon 3 March 10:00 by
    default), discharged at `out`; `retract` = (declared, retracted) comes before `ready`;
    `sip` = whether SIP is needed at the retracted notice and at `ready`."""
    ward, physician = actor(w.ward_staff), actor(w.ward_physician)
    case = services.open_case(ward, patient or w.patient, admitted_at=at(1, 8))
    if notice:
        services.send_admission_notice(
            ward,
            case,
            occurred_at=at(1, 9),
            expected_discharge_date=date(2025, 3, 10),
            recipients=recipients,
        )
    if retract:
        _declare(physician, case, retract[0], sip[0])
        case.refresh_from_db()
        services.retract_ready(physician, case, occurred_at=retract[1])
    _declare(physician, case, ready or at(3, 10), sip[1])
    if out:
        case.refresh_from_db()
        services.discharge(
            ward,
            case,
            destination="home",
            occurred_at=out,
            checklist={"medication_list": True, "care_report": "Epikris"},
        )
    case.refresh_from_db()
    return case


def _declare(physician, case, moment, sip_needed: bool) -> None:
    case.refresh_from_db()
    consent = True if sip_needed else None
    services.declare_ready(
        physician, case, sip_needed=sip_needed, sip_consent=consent, occurred_at=moment
    )
