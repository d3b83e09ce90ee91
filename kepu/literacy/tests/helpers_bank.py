"""Objects for the item-bank tests, made through the services."""

from kepu.core.models import Region, User
from kepu.literacy.models import Dimension, Instrument
from kepu.literacy.services import bank as services
from kepu.resources.accuracy import Verdict

POOL = "题库测试专家库"
PLANETS = ("金星", "水星", "火星", "地球")


def region(code):
    return Region.objects.get(code=code)


def dimension(instrument="national-2024", code="knowledge"):
    return Dimension.objects.select_related("instrument").get(
        instrument__code=instrument, code=code
    )


def tf_fields(stem="地球围绕太阳转一圈需要一年。", key="T", **over) -> dict:
    dim = dimension()
    fields = {
        "instrument": dim.instrument, "dimension": dim, "sub_dimension": "天文", "kind": "tf",
        "stem": stem, "options": [], "key": [key] if isinstance(key, str) else list(key),
        "explanation": "地球公转周期约一年。",
        "difficulty": "easy", "source": "《中国公民科学素质基准》基准13",
    }  # fmt: skip
    fields.update(over)
    return fields


def single_fields(stem="太阳系中离太阳最近的行星是哪一颗？", key=("B",), **over) -> dict:
    fields = tf_fields(
        stem=stem, kind="single", key=list(key),
        options=[{"key": k, "text": t} for k, t in zip("ABCD", PLANETS, strict=True)],
    )  # fmt: skip
    fields.update(over)
    return fields


def expert(username, name="题库专家", *, code="51"):
    """A pool membership for the user `username` (their person made when missing) in the
    test pool kept by region `code`."""
    from kepu.people import services as people
    from kepu.people.choices import PoolKind
    from kepu.people.models import ExpertPool, Person, PoolMembership

    account, _new = User.objects.get_or_create(
        username=username, defaults={"full_name": name, "email": f"{username}@example.cn"}
    )
    person = Person.objects.filter(user=account).first() or Person.objects.create(
        name=name, region=region(code), user=account
    )
    pool = ExpertPool.objects.filter(name=POOL).first() or people.create_pool(
        actor=None, name=POOL, kind=PoolKind.SCIENCE, region=region(code)
    )
    # A person already in a pool (the catalog's matrix makes the same personas experts)
    # reviews from there: the shared matrix context builds every app's objects, and a
    # second membership would make "the persona's membership" ambiguous elsewhere.
    membership = (
        PoolMembership.objects.filter(pool=pool, person=person).first()
        or PoolMembership.objects.filter(person=person).order_by("pk").first()
    )
    return membership or people.add_pool_member(pool, person, actor=None)


def file(review, verdict=Verdict.ACCURATE, comments="", *, actor=None):
    return services.file_item_review(
        review, actor=actor or review.reviewer.user, verdict=verdict, comments=comments,
        facts_correct=verdict == Verdict.ACCURATE, sources_reliable=True, fits_audience=True,
    )  # fmt: skip


def approved(code="51", *, membership, **fields):
    item = services.create_item(region(code), actor=None, **(fields or tf_fields()))
    (review,) = services.send_to_review(item, actor=None, reviewers=[membership])
    file(review)
    item.refresh_from_db()
    return item


def instrument(code):
    return Instrument.objects.get(code=code)
