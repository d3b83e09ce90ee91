"""The recognition demo loads through the services, finishes the 2024 round, continues
the certificate series and leaves 锦江区 an application to recommend."""

import pytest

from kepu.bases.demo import recognition
from kepu.bases.models import Application, Base, Objection, RecognitionRound
from kepu.core import scope
from kepu.core.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_round():
    out = recognition.load(300)
    assert out["recognition_named"] >= 4
    assert recognition.load(300) == {"recognition_applications": 0}
    done = RecognitionRound.objects.get(title=recognition.TITLE_2024)
    assert done.status == "closed" and done.decided_on.isoformat() == "2024-06-01"
    statuses = set(done.applications.values_list("status", flat=True))
    assert {"named", "failed", "declined", "not_named"} <= statuses
    numbers = sorted(Base.objects.filter(batch=done.batch).values_list("number", flat=True))
    assert numbers[0].startswith("SCKP-2024-") and len(set(numbers)) == len(numbers)
    objection = Objection.objects.get(application__round=done)
    assert objection.status == "dismissed" and objection.phone_masked == "138****4567"
    kinds = set(done.applications.values_list("recommendation__body_kind", flat=True))
    assert {"region", "member", "society"} <= kinds
    county_a = User.objects.get(username="demo-county-a")
    waiting = scope.actionable(county_a, Application, "recommend").filter(status="submitted")
    assert waiting.filter(name="锦江区青少年科技活动中心").exists()
