"""Calendar files (RFC 5545) for meeting invitations: one builder for SIP and forum meetings."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone


@dataclass
class Event:
    """What a calendar file says about one meeting."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    place: str = ""
    web_link: str = ""
    organizer_name: str = ""
    organizer_email: str = ""


def _stamp(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def calendar_file(event: Event, product: str, now=None) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Samverkan//{product}//SV",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{event.uid}@samverkan",
        f"DTSTAMP:{_stamp(now or timezone.now())}",
        f"DTSTART:{_stamp(event.starts_at)}",
        f"DTEND:{_stamp(event.ends_at)}",
        f"SUMMARY:{_text(event.summary)}",
        f"DESCRIPTION:{_text(event.description)}",
    ]
    if event.place:
        lines.append(f"LOCATION:{_text(event.place)}")
    if event.web_link:
        lines.append(f"URL:{event.web_link}")
    if event.organizer_email:
        lines.append(f"ORGANIZER;CN={_text(event.organizer_name)}:mailto:{event.organizer_email}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " "
        current += char
    return "\r\n".join([*out, current])
