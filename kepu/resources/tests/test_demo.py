"""The demo catalog: the policy library holds the five seed documents in full text,
every type is present, a share is in each workflow step, and a second run adds
nothing."""

import pytest

from kepu.core.search import search
from kepu.resources import demo
from kepu.resources.choices import ResourceStatus, ResourceType, VersionStatus
from kepu.resources.models import Resource, ResourceVersion

pytestmark = pytest.mark.django_db


def test_the_demo_catalog():
    from kepu.core.models import Organization, User

    accounts = (User.objects.count(), Organization.objects.count())
    result = demo.load_demo(150)
    # The catalog demo adds no accounts or units (core's `load_demo` test counts them).
    assert (User.objects.count(), Organization.objects.count()) == accounts
    assert result["published"] > 100 and result["in workflow"] >= 12
    policies = Resource.objects.published().filter(resource_type=ResourceType.POLICY)
    assert policies.count() == 5
    # Full text: a phrase from the body of the Qingyuan plan (seed 001) finds it.
    hits = search(Resource.objects.published(), "科普资源名录", fields=Resource.SEARCH_FIELDS)
    assert "清远市全民科学素质行动规划纲要实施方案（2021—2025年）" in set(
        hits.values_list("title", flat=True)
    )
    assert set(Resource.objects.values_list("resource_type", flat=True)) == set(ResourceType.values)
    stages = set(ResourceVersion.objects.values_list("status", flat=True))
    assert {VersionStatus.SUBMITTED, VersionStatus.IN_REVIEW, VersionStatus.RETURNED} <= stages
    assert Resource.objects.filter(status=ResourceStatus.WITHDRAWN).exists()
    published = Resource.objects.published()
    assert not published.filter(listing_number="").exists()
    assert not published.filter(review_by__isnull=True).exists()
    assert published.filter(resource_type=ResourceType.PLACE, latitude__isnull=False).exists()
    assert demo.load_demo(150) == {"resources": 0}


def test_the_demo_holds_the_invariants():
    from kepu.core import invariants

    demo.load_demo(150)
    assert invariants.check(["resources"]) == []
    assert len(invariants.registered()["resources"]) >= 8
