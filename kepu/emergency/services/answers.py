"""Expert Q&A on an incident's public page: a question people ask, answered by an expert
of the incident's group who has accepted, entered by an officer with the expert's words."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock, publiccache
from kepu.core.errors import DomainError, StateConflict
from kepu.core.scope import require_region
from kepu.emergency import choices as c
from kepu.emergency.models import ExpertAnswer, GroupMember, Incident


def accepted_experts(incident: Incident):
    """The people who may answer for the incident: its group's accepted members."""
    from kepu.people.models import Person

    return Person.objects.filter(
        pk__in=GroupMember.objects.filter(incident=incident, status=c.MemberStatus.ACCEPTED).values(
            "person_id"
        )
    ).order_by("name", "pk")


@transaction.atomic
def publish_answer(
    incident: Incident, *, actor, question: str, answer: str, person
) -> ExpertAnswer:
    """Publish an expert's answer on the incident's public page. Refused when the incident
    is closed (StateConflict), outside the actor's region, or when `person` is not an
    accepted expert of this incident's group."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.is_open:
        raise StateConflict(_("This incident is closed: no more answers are published."))
    require_region(actor, ExpertAnswer, "create", incident.region)
    if person is None or not accepted_experts(incident).filter(pk=person.pk).exists():
        raise DomainError(
            {"person": [_("Choose an expert of this incident's group who has accepted.")]}
        )
    row = ExpertAnswer(
        incident=incident,
        question=(question or "").strip(),
        answer=(answer or "").strip(),
        person=person,
        created_by=actor,
        published_at=clock.now(),
    )
    row.full_clean()
    row.save()
    audit.created(row, actor=actor)  # emergency.expertanswer.created
    publiccache.bump(c.PUBLIC_TAG)
    return row
