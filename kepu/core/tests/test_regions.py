import pytest
from django.core.management import call_command

from kepu.core.choices import RegionLevel
from kepu.core.models import Region

pytestmark = pytest.mark.django_db


def test_the_whole_country_is_loaded():
    counts = {level: Region.objects.filter(level=level).count() for level in RegionLevel.values}
    assert counts[RegionLevel.PROVINCE] >= 31
    assert counts[RegionLevel.PREFECTURE] > 330
    assert counts[RegionLevel.COUNTY] > 2800
    assert counts[RegionLevel.TOWNSHIP] > 40000


def test_paths_and_parents_agree():
    jinjiang = Region.objects.get(code="510104")
    assert jinjiang.path == "51/5101/510104/"
    assert jinjiang.parent.code == "5101" and jinjiang.level == RegionLevel.COUNTY
    assert jinjiang.full_name == "四川省成都市锦江区"
    orphans = Region.objects.filter(level__gt=1, parent__isnull=True)
    assert not orphans.exists()


def test_loading_twice_creates_nothing(capsys):
    before = Region.objects.count()
    call_command("load_regions")
    assert Region.objects.count() == before
    assert "0 created" in capsys.readouterr().out


def test_demo_loads_once(capsys):
    from kepu.core.models import Organization, User

    before = (Organization.objects.count(), User.objects.count())
    call_command("load_demo", apps=[])  # core only; each app tests its own demo
    assert (Organization.objects.count(), User.objects.count()) == before
    out = capsys.readouterr().out
    assert "0 organizations and 0 accounts created" in out and "TOTP secret" in out
