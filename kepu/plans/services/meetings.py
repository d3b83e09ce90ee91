"""Joint conferences and their meetings (seeds 004 (21), 003 (四)): members, meetings,
decisions and minutes. A decision that assigns work becomes a plan task (lead and
responsible units) through `create_task`, so it is reported on and supervised as every
task of a plan is: in a plan the officer chooses (e.g. the year's work plan the decision
carries out), else in the conference's own plan of assigned work (议定事项督办), one
section per meeting. Officers look for a meeting's tasks where they supervise tasks."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from kepu.core import audit, clock
from kepu.core.errors import DomainError
from kepu.core.models import Organization
from kepu.core.scope import require_region
from kepu.core.uploads import check_upload
from kepu.plans import choices as c
from kepu.plans.models import (
    ConferenceMember,
    JointConference,
    Meeting,
    MeetingAttendance,
    MeetingDecision,
    MeetingMinutes,
    Plan,
)
from kepu.plans.services.common import ATTACHMENT_TYPES, _apply
from kepu.plans.services.plans import add_section, create_plan, create_task, publish_plan

# The conference's plan of assigned work spans five years from its first decision's year.
DECISIONS_PLAN_YEARS = 5


def _inside(organizations, region) -> list[str]:
    """The names of `organizations` outside `region`'s subtree."""
    inside = set(
        Organization.objects.in_region(region)
        .filter(pk__in=[o.pk for o in organizations])
        .values_list("pk", flat=True)
    )
    return [o.name for o in organizations if o.pk not in inside]


@transaction.atomic
def create_conference(*, actor, name: str, region, members, office: str = "") -> JointConference:
    require_region(actor, JointConference, "create", region)
    members = list(dict.fromkeys(members))
    if not members:
        raise DomainError({"members": _("Name at least one member unit.")})
    outside = _inside(members, region)
    if outside:
        raise DomainError(
            {"members": _("Not units of this region: %(names)s") % {"names": "、".join(outside)}}
        )
    conference = JointConference(name=name, region=region, office=office, created_at=clock.now())
    conference.full_clean()
    conference.save()
    ConferenceMember.objects.bulk_create(
        [
            ConferenceMember(conference=conference, organization=o, position=i)
            for i, o in enumerate(members)
        ]
    )
    audit.created(conference, actor=actor, detail={"members": [o.name for o in members]})
    return conference


@transaction.atomic
def create_meeting(
    conference: JointConference, *, actor, present=(), number=None, **fields
) -> Meeting:
    """Record a meeting; the units present must be members of the conference."""
    conference = JointConference.objects.select_for_update().get(pk=conference.pk)
    present = _members_present(conference, present)
    if number is None:
        number = (conference.meetings.aggregate(n=Max("number"))["n"] or 0) + 1
    else:
        _check_number(conference, number)
    meeting = Meeting(
        conference=conference,
        number=number,
        created_by=actor,
        created_at=clock.now(),
        **fields,
    )
    meeting.full_clean()
    _check_topics(meeting)
    meeting.save()
    MeetingAttendance.objects.bulk_create(
        [MeetingAttendance(meeting=meeting, organization=o) for o in present]
    )
    JointConference.objects.filter(pk=conference.pk).update(meeting_count=F("meeting_count") + 1)
    audit.created(
        meeting,
        actor=actor,
        region_code=conference.region.code,
        detail={"present": [o.name for o in present]},
    )
    return meeting


MEETING_EDITABLE = ("title", "date", "place", "chaired_by", "topics", "attendees")


@transaction.atomic
def update_meeting(meeting: Meeting, *, actor, present=None, number=None, **fields) -> Meeting:
    """Correct a recorded meeting: its details, its number and the units present. Its
    decisions and minutes stay as they are (each is recorded once, with its own trail)."""
    meeting = (
        Meeting.objects.select_for_update().select_related("conference__region").get(pk=meeting.pk)
    )
    conference = meeting.conference
    if present is not None:
        present = _members_present(conference, present)
    changes = {}
    if number is not None and number != meeting.number:
        _check_number(conference, number, meeting=meeting)
        changes["number"] = [meeting.number, number]
        meeting.number = number
    changes.update(_apply(meeting, MEETING_EDITABLE, fields, check=_check_topics))
    if present is not None:
        before = sorted(meeting.attendance.values_list("organization__name", flat=True))
        after = sorted(o.name for o in present)
        if before != after:
            meeting.attendance.exclude(organization__in=present).delete()
            kept = set(meeting.attendance.values_list("organization_id", flat=True))
            added = [o for o in present if o.pk not in kept]
            MeetingAttendance.objects.bulk_create(
                [MeetingAttendance(meeting=meeting, organization=o) for o in added]
            )
            changes["present"] = [before, after]
    if changes:
        audit.record(
            "plans.meeting.updated",
            obj=meeting,
            actor=actor,
            region_code=conference.region.code,
            changes=changes,
        )
    return meeting


def _check_topics(meeting: Meeting) -> None:
    if not meeting.topic_list():
        raise DomainError({"topics": _("List the topics discussed.")})


def _members_present(conference: JointConference, present) -> list:
    """`present` without repeats; refused when a unit is not a member of the conference."""
    present = list(dict.fromkeys(present))
    members = set(conference.memberships.values_list("organization_id", flat=True))
    strangers = [o.name for o in present if o.pk not in members]
    if strangers:
        raise DomainError(
            {
                "present": _("Not members of the conference: %(names)s")
                % {"names": "、".join(strangers)}
            }
        )
    return present


def _check_number(conference: JointConference, number: int, *, meeting=None) -> None:
    taken = conference.meetings.filter(number=number)
    if meeting is not None:
        taken = taken.exclude(pk=meeting.pk)
    if taken.exists():
        raise DomainError({"number": _("The conference already has a meeting with this number.")})


def _decisions_plan(conference: JointConference, meeting: Meeting, *, actor) -> Plan:
    """The conference's plan of assigned work covering the meeting's date: made (and
    published once it has its first task) when none does."""
    plan = conference.decisions_plan
    if plan is not None and plan.period_start <= meeting.date <= plan.period_end:
        return plan
    year = meeting.date.year
    plan = create_plan(
        actor=actor,
        title=_("%(name)s: work assigned by its meetings (%(start)d–%(end)d)")
        % {"name": conference.name, "start": year, "end": year + DECISIONS_PLAN_YEARS - 1},
        # Issued by the conference's office (联席会议办公室), not by the unit housing it.
        issuer=_("%(name)s office") % {"name": conference.name},
        region=conference.region,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year + DECISIONS_PLAN_YEARS - 1, 12, 31),
    )
    JointConference.objects.filter(pk=conference.pk).update(decisions_plan=plan)
    conference.decisions_plan = plan
    return plan


@transaction.atomic
def add_decision(
    meeting: Meeting,
    *,
    actor,
    text: str,
    lead_unit=None,
    responsible_units=(),
    deadline=None,
    plan: Plan | None = None,
) -> MeetingDecision:
    """A decision; with a lead unit it assigns work: a task in `plan` (one of the
    conference's region) or in the conference's plan of assigned work, in the meeting's
    section."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("conference")
        .get(pk=meeting.pk)
    )
    conference = meeting.conference
    text = _decision_text(text)
    if lead_unit is None and (responsible_units or deadline or plan):
        raise DomainError({"lead_unit": _("Work assigned needs a lead unit.")})
    number = (meeting.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
    task = None
    if lead_unit is not None:
        outside = _inside([lead_unit, *responsible_units], conference.region)
        if outside:
            raise DomainError(
                {
                    "lead_unit": _("Not units of this region: %(names)s")
                    % {"names": "、".join(outside)}
                }
            )
        if plan is not None and plan.region_id != conference.region_id:
            raise DomainError({"plan": _("Choose a plan of the conference's region.")})
        if plan is not None and plan.status == c.PlanStatus.CLOSED:
            raise DomainError({"plan": _("This plan is closed.")})
        section = None
        if plan is None:
            plan = _decisions_plan(conference, meeting, actor=actor)
            if meeting.section_id is None or meeting.section.plan_id != plan.pk:
                meeting.section = add_section(
                    plan,
                    actor=actor,
                    number=str(meeting.number),
                    title=_("Meeting %(n)d (%(date)s)")
                    % {"n": meeting.number, "date": meeting.date.isoformat()},
                )
                meeting.save(update_fields=["section"])
            section = meeting.section
        if deadline is not None and not plan.period_start <= deadline <= plan.period_end:
            raise DomainError(
                {"deadline": _("The deadline is outside the plan's period (%(start)s to %(end)s).")
                 % {"start": plan.period_start, "end": plan.period_end}}
            )  # fmt: skip
        task = create_task(
            plan,
            actor=actor,
            lead_unit=lead_unit,
            responsible_units=list(responsible_units),
            section=section,
            number=f"{meeting.number}.{number}",
            title=text[:300],
            description=_("Decided at %(meeting)s of %(conference)s on %(date)s.")
            % {"meeting": meeting.title, "conference": conference.name, "date": meeting.date},
            deadline=deadline,
        )
        if plan.status == c.PlanStatus.DRAFT and plan.pk == conference.decisions_plan_id:
            publish_plan(plan, actor=actor)
    decision = MeetingDecision(
        meeting=meeting, number=number, text=text, task=task, created_at=clock.now()
    )
    decision.full_clean()
    decision.save()
    audit.created(
        decision,
        actor=actor,
        region_code=conference.region.code,
        detail={"task": task.pk if task else None, "plan": plan.pk if task else None},
    )
    return decision


def _decision_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError({"text": _("Write the decision.")})
    return text


@transaction.atomic
def update_decision(decision: MeetingDecision, *, actor, text: str) -> MeetingDecision:
    """Correct a decision's wording. The task it assigned keeps its own title and details
    (corrected on the task's page, with the task's own trail)."""
    decision = (
        MeetingDecision.objects.select_for_update(of=("self",))
        .select_related("meeting__conference__region")
        .get(pk=decision.pk)
    )
    text = _decision_text(text)
    if text != decision.text:
        changes = _apply(decision, ("text",), {"text": text})
        audit.record(
            "plans.meetingdecision.updated",
            obj=decision,
            actor=actor,
            region_code=decision.meeting.conference.region.code,
            changes=changes,
        )
    return decision


@transaction.atomic
def add_minutes(meeting: Meeting, *, actor, files) -> list[MeetingMinutes]:
    """Minutes and other papers of the meeting, each checked by its content."""
    if not files:
        raise DomainError({"files": _("Choose a file.")})
    if len(files) + meeting.minutes.count() > c.MAX_ATTACHMENTS:
        raise DomainError(
            {"files": _("At most %(n)d files per meeting.") % {"n": c.MAX_ATTACHMENTS}}
        )
    types = [
        check_upload(f, extensions=ATTACHMENT_TYPES, max_bytes=c.MAX_ATTACHMENT_BYTES)
        for f in files
    ]
    rows = []
    for upload, content_type in zip(files, types, strict=True):
        row = MeetingMinutes(
            meeting=meeting,
            name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_at=clock.now(),
            uploaded_by=actor,
        )
        row.file.save(upload.name, upload, save=False)
        row.save()
        audit.record(
            "plans.meetingminutes.uploaded",
            obj=row,
            actor=actor,
            region_code=meeting.conference.region.code,
            detail={"meeting": meeting.pk, "name": row.name},
        )
        rows.append(row)
    return rows
