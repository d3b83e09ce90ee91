"""Authorization-matrix rows: pushes.

The incident is the province's (四川省), affecting 锦江区 (county A) and 涪城区 (county B);
its push went to the information officers and the communities of 锦江区. The volunteer
persona is one of those information officers: the delivery to them is theirs to
acknowledge; the delivery to a community of 锦江区 is for the officers of 锦江区 and above
to record after a call. County B reads the incident and the push (reach) but none of
锦江区's deliveries."""

from kepu.core import services as core_services
from kepu.core.models import Organization, Region, User
from kepu.core.testing import Row, officers, statuses
from kepu.emergency import choices as c
from kepu.emergency.models import Delivery
from kepu.emergency.services import pushes
from kepu.emergency.tests.helpers import make_incident
from kepu.people import services as people_services
from kepu.people.choices import RegistrationKind, RegistrationStatus
from kepu.people.models import Person, Registration


def emergency_resource(title="地震避险要点（推送测试）", hazard="earthquake"):
    """A published entry of the emergency library, through the catalog's workflow."""
    from kepu.resources.choices import ResourceType
    from kepu.resources.tests.helpers import make_resource, publish

    resource = make_resource(
        resource_type=ResourceType.WORK, title=title, hazards=[hazard], topics=[hazard]
    )
    return publish(resource)


def volunteer_as_info_officer() -> Person:
    """The volunteer persona's person, certified as an information officer (锦江区)."""
    person = Person.objects.get(user__username="demo-volunteer")
    if not Registration.objects.filter(
        person=person, kind=RegistrationKind.INFO_OFFICER, status=RegistrationStatus.CERTIFIED
    ).exists():
        people_services.add_registration(
            person, actor=None, kind=RegistrationKind.INFO_OFFICER, region=person.region
        )
    return person


def community(name: str, code: str) -> Organization:
    found = Organization.objects.filter(name=name).first()
    return found or core_services.create_organization(
        actor=None, name=name, org_type="community", region=Region.objects.get(code=code)
    )


def push_data(*, title="矩阵推送事件"):
    """An incident of the province affecting counties A and B, and a push of one
    emergency resource to the information officers and communities of 锦江区."""
    volunteer_as_info_officer()
    community("锦江区矩阵社区居委会", "510104")
    incident = make_incident(title=title, region_code="51", affected=("510104", "510703"))
    resource = emergency_resource()
    push = pushes.create_push(
        incident,
        actor=None,
        title="地震避险知识推送",
        message="请转发到辖区各群。",
        resources=[resource],
        channels=[c.Channel.INFO_OFFICER, c.Channel.COMMUNITY],
        regions=[Region.objects.get(code="510104")],
    )
    return incident, resource, push


def context(ctx):
    incident, resource, push = push_data()
    volunteer = User.objects.get(username="demo-volunteer")
    ctx["push_incident"] = incident
    ctx["push_resource"] = resource
    ctx["push"] = push
    ctx["delivery_v"] = Delivery.objects.get(push=push, user=volunteer)
    ctx["delivery_o"] = Delivery.objects.get(push=push, name="锦江区矩阵社区居委会")


def _incident(ctx):
    return {"pk": ctx["push_incident"].pk}


def _push(ctx):
    return {"pk": ctx["push"].pk}


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _new_push(ctx):
    return {
        "title": "矩阵新推送",
        "message": "",
        "resources": [ctx["push_resource"].pk],
        "channels": ["community"],
        "regions": [Region.objects.get(code="510703").pk],
    }


ACK = {"groups_forwarded": 3, "people_reached": 450}
PROVINCE_ONLY = {"city": 403, "county_a": 403, "county_b": 403}
A_SIDE = ("province", "city", "county_a")
NOT_B = {"county_b": 404}
EVERY_RECIPIENT = {"member": 200, "volunteer": 200}

ROWS = [
    Row("incident-pushes", "emergency:incident_pushes", kwargs=_incident, expect=officers(200)),
    Row("push-new", "emergency:push_create", kwargs=_incident,
        expect=officers(200, **PROVINCE_ONLY)),
    Row("push-new-post", "emergency:push_create", "post", kwargs=_incident, data=_new_push,
        expect=officers(302, **PROVINCE_ONLY), changes=("province",)),
    Row("push-detail", "emergency:push_detail", kwargs=_push, expect=officers(200)),
    Row("push-deliveries-export", "emergency:delivery_export", kwargs=_push,
        expect=officers(200)),
    Row("delivery-inbox", "emergency:delivery_inbox", expect=officers(200, **EVERY_RECIPIENT)),
    Row("delivery-acknowledge", "emergency:delivery_acknowledge", kwargs=_id("delivery_v"),
        expect=officers(403, volunteer=200, member=404)),
    Row("delivery-acknowledge-post", "emergency:delivery_acknowledge", "post",
        kwargs=_id("delivery_v"), data=lambda ctx: ACK,
        expect=officers(403, volunteer=302, member=404), changes=("volunteer",)),
    Row("delivery-record", "emergency:delivery_record", kwargs=_id("delivery_o"),
        expect=officers(200, **NOT_B)),
    Row("delivery-record-post", "emergency:delivery_record", "post", kwargs=_id("delivery_o"),
        data=lambda ctx: ACK, expect=officers(302, **NOT_B), changes=A_SIDE),
    Row("api-deliveries", "api:delivery-list",
        expect=officers(200, anonymous=401, **EVERY_RECIPIENT)),
    Row("api-delivery", "api:delivery-detail", kwargs=_id("delivery_v"),
        expect=officers(200, anonymous=401, volunteer=200, member=404, **NOT_B)),
    Row("api-delivery-acknowledge", "api:delivery-acknowledge", "post",
        kwargs=_id("delivery_v"), data=lambda ctx: ACK, json=True,
        expect=statuses(403, anonymous=401, volunteer=200, member=404),
        changes=("volunteer",)),
]  # fmt: skip
