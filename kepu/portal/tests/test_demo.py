"""The demo notices load through the services and keep the invariants."""

import pytest

from kepu.core import invariants
from kepu.portal.demo import load_demo
from kepu.portal.models import Notice

pytestmark = pytest.mark.django_db


def test_demo_notices():
    assert load_demo() == {"notices": 7}
    assert load_demo() == {"notices": 0}  # idempotent
    counts = {
        s: Notice.objects.filter(status=s).count() for s in ("published", "submitted", "returned")
    }
    assert counts == {"published": 5, "submitted": 1, "returned": 1}
    pending = Notice.objects.get(status="submitted")
    assert pending.submitted_by.username == "demo-county-a"
    assert invariants.check(["portal"]) == []
