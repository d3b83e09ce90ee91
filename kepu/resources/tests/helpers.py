"""Objects for the catalog tests, made through the services."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from kepu.core.choices import Topic
from kepu.core.models import Organization, Region, User
from kepu.people.choices import PoolKind
from kepu.people.models import ExpertPool, MembershipTopic, Person, PoolMembership
from kepu.resources import services
from kepu.resources.choices import Decision, ResourceType, Verdict

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def region(code):
    return Region.objects.get(code=code)


def org(name):
    return Organization.objects.get(name=name)


def user(username):
    return User.objects.get(username=username)


def png_bytes(size=(64, 48), color=(32, 107, 196)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def png_upload(name="展厅.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf_upload(name="说明书.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def mp4_upload(name="科普短片.mp4"):
    return SimpleUploadedFile(name, MP4, content_type="video/mp4")


def fake_pdf_upload(name="伪装.pdf"):
    """A PNG renamed to .pdf: its content does not match its declared type."""
    return SimpleUploadedFile(name, png_bytes(), content_type="application/pdf")


def place_content(code="510104", **over) -> dict:
    content = {
        "title": "锦江区青少年科技馆",
        "region": region(code),
        "summary": "面向中小学生的综合性科技馆，常设展厅六个。",
        "description": "设有机器人、航天、地震科普等展区，周末开展科学实验课。",
        "keywords": "科技馆、青少年、地震科普",
        "place_kind": "sciencemuseum",
        "address": "成都市锦江区东大街100号",
        "latitude": "30.651600",
        "longitude": "104.083000",
        "opening_hours": "周二至周日 9:00—17:00",
        "capacity": 800,
        "booking_info": "提前一天在官网预约",
        "groups": ["youth", "general"],
        "topics": [Topic.SPACE.value, Topic.AI.value],
        "hazards": [],
    }
    content.update(over)
    return content


def work_content(code="510104", **over) -> dict:
    content = {
        "title": "地震来了怎么办",
        "region": region(code),
        "summary": "十分钟动画短片，讲清地震时的避险要点。",
        "work_kind": "video",
        "authors": "四川省地震局科普团队",
        "publisher": "四川科学技术出版社",
        "duration_minutes": 10,
        "is_emergency": True,
        "groups": ["youth", "elderly"],
        "topics": [Topic.EARTHQUAKE.value],
        "hazards": [Topic.EARTHQUAKE.value],
    }
    content.update(over)
    return content


def make_resource(
    *,
    actor=None,
    resource_type=ResourceType.PLACE,
    organization="锦江区科学技术协会",
    submit=False,
    **over,
):
    content = work_content(**over) if resource_type == ResourceType.WORK else place_content(**over)
    owner = org(organization) if isinstance(organization, str) else organization
    return services.create_resource(
        actor=actor,
        resource_type=resource_type,
        organization=owner,
        content=content,
        submit=submit,
    )


def make_expert(
    username="expert-test",
    name="周教授",
    *,
    organization="四川大学",
    code="51",
    topics=(Topic.EARTHQUAKE.value, Topic.SPACE.value),
    pool_name="测试科普专家库",
):
    """An expert with an account, in a science expert pool (kept by the region `code`
    when the pool is new)."""
    account, _created = User.objects.get_or_create(
        username=username, defaults={"full_name": name, "email": f"{username}@example.cn"}
    )
    unit = Organization.objects.filter(name=organization).first() if organization else None
    person = Person.objects.filter(user=account).first() or Person.objects.create(
        name=name, region=region(code), organization=unit, user=account
    )
    pool, _created = ExpertPool.objects.get_or_create(
        name=pool_name, defaults={"kind": PoolKind.SCIENCE, "region": region(code)}
    )
    membership, _created = PoolMembership.objects.get_or_create(pool=pool, person=person)
    for topic in topics:
        MembershipTopic.objects.get_or_create(membership=membership, topic=topic)
    return account, person, membership


def to_review(resource, *, officer=None, memberships=()):
    """Submit (when still a draft) and pass the completeness check to the experts."""
    version = resource.open_version()
    if version.status in ("draft", "returned"):
        services.submit_version(resource, actor=None)
    if not memberships:
        memberships = [make_expert()[2]]
    return services.check_completeness(
        resource, actor=officer, complete=True, reviewers=memberships
    )


def publish(resource, *, officer=None, memberships=()):
    """Take the entry through the whole workflow to publication."""
    if not memberships:
        memberships = [make_expert()[2]]
    version = to_review(resource, officer=officer, memberships=memberships)
    file_accurate_reviews(version)
    services.decide(resource, actor=officer, decision=Decision.PUBLISH)
    resource.refresh_from_db()
    return resource


def file_accurate_reviews(version):
    """Every assigned expert files an "accurate" review."""
    for assignment in version.assignments.all():
        services.file_review(
            assignment,
            actor=assignment.reviewer.user,
            verdict=Verdict.ACCURATE,
            comments="",
            facts_correct=True,
            sources_reliable=True,
            fits_audience=True,
        )
