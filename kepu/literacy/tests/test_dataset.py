"""The literacy part of the benchmark dataset (`kepu.literacy.dataset`) at a tiny scale:
the rows keep the invariants, the round is estimated and published, and the invariants
catch a broken row."""

from io import StringIO

import pytest
from django.db.models import F

from kepu.core import dataset as core_dataset
from kepu.core import invariants
from kepu.literacy import choices as c
from kepu.literacy import dataset
from kepu.literacy.models import Estimate, Response, SamplePoint, Stratum, SurveyRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(monkeypatch):
    monkeypatch.setitem(core_dataset.SCALES, "county", 0.002)
    out = StringIO()
    ds = core_dataset.Dataset("county", 3, out=lambda line: out.write(line + "\n"))
    dataset.generate(ds)
    return ds, out.getvalue()


def test_the_rows_keep_the_invariants_and_the_round_is_published(generated):
    ds, printed = generated
    assert "literacy responses" in printed
    assert invariants.check(["literacy"]) == []
    done = SurveyRound.objects.get(status=c.RoundStatus.PUBLISHED)
    strata = Stratum.objects.filter(round=done)
    assert done.response_count == Response.objects.filter(round=done).count()
    assert done.response_count >= 4 * strata.count() // 2  # at least 2 per stratum
    assert not strata.filter(responses__gt=F("allocated")).exists()
    assert not SamplePoint.objects.filter(round=done, responses__gt=F("quota")).exists()
    flagged = Response.objects.filter(round=done, quality=c.Quality.FLAGGED)
    assert any("speeder" in flags for flags in flagged.values_list("flags", flat=True))
    assert Estimate.objects.filter(round=done, published=True, region=ds.province).exists()
    assert SurveyRound.objects.filter(status=c.RoundStatus.OPEN).count() == 1


def test_the_vectorized_flags_are_the_services(generated):
    from kepu.literacy.services.fielding import quality_flags, slots_of

    done = SurveyRound.objects.get(status=c.RoundStatus.PUBLISHED)
    for r in Response.objects.filter(round=done).select_related("form").order_by("pk")[:300]:
        assert quality_flags(done, slots_of(r.form), r.answers, r.seconds) == r.flags, r.pk


def test_the_invariants_catch_a_broken_row(generated):
    done = SurveyRound.objects.get(status=c.RoundStatus.PUBLISHED)
    first = Response.objects.filter(round=done).order_by("pk").first()
    other = Stratum.objects.filter(round=done).exclude(region=first.region_id).first()
    Response.objects.filter(pk=first.pk).update(total=first.total + 2, stratum=other)
    SurveyRound.objects.filter(pk=done.pk).update(valid_count=0)
    problems = "\n".join(invariants.check(["literacy"]))
    assert f"response {first.pk} stores" in problems
    assert f"response {first.pk}: its stratum" in problems
    assert f"round {done.pk} counts" in problems
    assert "stratum" in problems
