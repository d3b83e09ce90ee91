"""iCalendar (RFC 5545) feed of published activities, written by hand: the format is
small, and the rules that calendar programs are strict about are kept here — CRLF line
ends, lines folded at 75 octets (never inside a UTF-8 character), escaped text, UTC times,
a stable UID and a DTSTAMP on every event."""

import datetime

from django.utils import timezone

PRODID = "-//Kepu//Science popularization activities//ZH"


def escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets (continuations start with a
    space, which counts towards the 75)."""
    out, current, size = [], [], 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def _utc(value) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(activities, *, name: str, url_for, host: str) -> str:
    """The VCALENDAR text of `activities` (published ones; the caller filters)."""
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for a in activities:
        place = "".join(x for x in (a.region.name, a.address) if x)
        description = "\n".join(x for x in (a.organization.name, a.description, a.online_url) if x)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{a.uid}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(a.starts_at)}",
            f"DTEND:{_utc(a.ends_at)}",
            f"LAST-MODIFIED:{_utc(a.updated_at)}",
            f"SUMMARY:{escape(a.title)}",
            f"LOCATION:{escape(place)}",
            f"DESCRIPTION:{escape(description)}",
            f"URL:{url_for(a)}",
            f"ORGANIZER;CN={escape(a.organization.name)}:invalid:nomail",
        ]
        if a.latitude is not None and a.longitude is not None:
            lines.append(f"GEO:{a.latitude};{a.longitude}")
        if a.campaign_id:
            lines.append(f"CATEGORIES:{escape(a.campaign.name)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
