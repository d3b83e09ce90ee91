"""Test data of the rumour area, made through the services (actor=None: the system)."""

from __future__ import annotations

from kepu.core.models import Region, User
from kepu.emergency import choices as c
from kepu.emergency.services import rumors as services
from kepu.emergency.tests.helpers import make_incident, make_member
from kepu.people.models import Person


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def expert_person() -> Person:
    """The person of the `demo-expert` account (created once, as the resources demo does)."""
    account = User.objects.get(username="demo-expert")
    person = Person.objects.filter(user=account).first()
    if person is None:
        person = Person.objects.create(
            name="周明远", region=region("51"), user=account, email="zhou@example.org"
        )
    return person


def other_expert(name="李专家", username="test-expert-li") -> Person:
    """Another expert with an account of their own (a reviewer in Sichuan)."""
    from kepu.core.choices import Role
    from kepu.core.models import RoleAssignment

    account, created = User.objects.get_or_create(username=username)
    if created:
        RoleAssignment.objects.create(user=account, role=Role.REVIEWER, region=region("51"))
    person = Person.objects.filter(user=account).first()
    return person or Person.objects.create(name=name, region=region("51"), user=account)


def incident_with_experts(*experts, **kwargs):
    incident = make_incident(**kwargs)
    for person in experts:
        make_member(incident, person)
    return incident


def lead(incident=None, *, claim, code="510703", topic="earthquake", triage=None):
    rumor, _created = services.report_rumor(
        actor=None,
        incident=incident,
        claim=claim,
        topic=topic,
        region=region(code),
        source=c.RumorSource.OFFICER,
    )
    if triage:
        rumor = services.triage_rumor(rumor, actor=None, decision=triage, note="测试")
    return rumor


def rebuttal(
    incident=None, *, claim, code="510703", state="draft", reviewers=(), topic="earthquake"
):
    """A rebuttal in `state`: draft, in_review, approved or published."""
    rumor = lead(incident, claim=claim, code=code, topic=topic, triage="needs_rebuttal")
    item = services.draft_rebuttal(
        rumor, actor=None, title=f"辟谣：{claim[:20]}", body=f"经专家核实，“{claim}”不实。"
    )
    if state == "draft":
        return item
    item = services.submit_rebuttal(item, actor=None, reviewers=list(reviewers))
    if state == "in_review":
        return item
    for review in item.reviews.all():
        services.decide_review(review, actor=None, approve=True)
    item.refresh_from_db()
    if state == "approved":
        return item
    return services.publish_rebuttal(item, actor=None)
