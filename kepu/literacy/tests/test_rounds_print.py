"""The interviewers' QR sheet (PDF) and the census margins edited by hand, through HTTP:
the sheet holds the points the user gets (a county officer their county's only) and a
big sheet is a job; the margins page shows the totals and refuses a set that does not
add up, writing nothing."""

import re
import shutil
import subprocess

import pytest
from django.db import transaction
from django.urls import reverse

from kepu.core import jobs
from kepu.core.models import AuditEntry, Job, User
from kepu.literacy import points_pdf
from kepu.literacy.models import PopulationMargin, SamplePoint
from kepu.literacy.services import margins as margin_services
from kepu.literacy.services import rounds as services
from kepu.literacy.tests import helpers_rounds as h

pytestmark = pytest.mark.django_db

COUNTY_A, COUNTY_B = "510104", "510703"  # 锦江区 (成都市), 涪城区 (绵阳市)


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        h.bank(h.region("51"))
        h.margins()
        round_ = h.make_round("51")
        services.add_interviewer(round_, User.objects.get(username="demo-member"), actor=None)
        yield {"round": round_}
        transaction.set_rollback(True)


def _codes(round_, county: str) -> set[str]:
    return set(
        SamplePoint.objects.filter(round=round_, stratum__region__code=county).values_list(
            "code", flat=True
        )
    )


def _text(pdf: bytes, *, layout=True) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler's pdftotext is not installed")
    out = subprocess.run(
        ["pdftotext", *(["-layout"] if layout else []), "-", "-"], input=pdf,
        capture_output=True, check=True,
    )  # fmt: skip
    return out.stdout.decode()


def _point_codes(text: str) -> set[str]:
    return set(re.findall(r"\b51\d{4}[UR]\d{2}\b", text))


def test_a_county_officer_gets_their_county_s_points_only(data, as_persona):
    r = data["round"]
    mine, theirs = _codes(r, COUNTY_A), _codes(r, COUNTY_B)
    assert mine and theirs
    # A token with hyphens at both ends (tokens are URL-safe base64): its link must read
    # whole, not as a word hyphenated at a line end (CI once printed one broken there).
    SamplePoint.objects.filter(round=r, code=sorted(mine)[0]).update(token="-PYbjPHdwUuh2Fl-")
    url = reverse("literacy:round_points_pdf", args=[r.pk])
    response = as_persona("county_a").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content[:4] == b"%PDF"
    text = _text(response.content)
    assert _point_codes(text) == mine
    point = SamplePoint.objects.get(round=r, code=sorted(mine)[0])
    reading = re.sub(r"\s", "", _text(response.content, layout=False))
    assert f"http://testserver/survey/p/{point.token}/" in reading
    assert "锦江区" in text and "涪城区" not in text
    entry = AuditEntry.objects.filter(action="literacy.samplepoint.exported").latest("pk")
    assert entry.detail == {"points": len(mine), "job": False}
    # The other county's officer gets theirs, never county A's.
    other = _text(as_persona("county_b").get(url).content)
    assert _point_codes(other) == theirs


def test_the_points_page_lists_the_same_points_and_links_the_sheet(data, as_persona):
    r = data["round"]
    page = as_persona("county_a").get(reverse("literacy:round_points", args=[r.pk]) + "?lang=en")
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("literacy:round_points_pdf", args=[r.pk]) in html
    shown = set(re.findall(r"\b51\d{4}[UR]\d{2}\b", html))
    assert shown == _codes(r, COUNTY_A)


def test_a_big_sheet_is_a_job_with_the_starter_s_points(data, as_persona, monkeypatch):
    """The province's 732 points are a job (the tests run jobs at once: the rendering is
    stubbed there to count what it was given), a county's rendered by one when the
    threshold is lowered."""
    r = data["round"]
    url = reverse("literacy:round_points_pdf", args=[r.pk])
    given = []
    real = points_pdf.sheet_bytes

    def counted(round_, points, *, base):
        given.append(len(points))
        return b"%PDF-1.7 stub"

    monkeypatch.setattr(points_pdf, "sheet_bytes", counted)
    province = as_persona("province").get(url)
    job = Job.objects.get(kind=points_pdf.JOB, created_by__username="demo-province")
    assert province.status_code == 302
    assert province["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.params == {"round": r.pk, "base": "http://testserver/", "lang": "zh-hans"}
    assert given == [r.points.count()] == [732]
    monkeypatch.setattr(points_pdf, "sheet_bytes", real)
    monkeypatch.setattr(points_pdf, "INLINE_POINTS", 2)
    assert as_persona("county_a").get(url).status_code == 302
    job = Job.objects.get(kind=points_pdf.JOB, created_by__username="demo-county-a")
    assert job.status == "succeeded" and job.file_name == f"literacy-points-{r.pk}.pdf"
    assert _point_codes(_text(jobs.stored_file(job))) == _codes(r, COUNTY_A)
    entry = AuditEntry.objects.filter(action="literacy.samplepoint.exported").latest("pk")
    assert entry.detail == {"points": None, "job": True}


def test_a_draft_round_has_no_sheet(as_persona):
    h.bank(h.region("51"), prefix="DR")
    draft = h.make_round("51", status="draft", name="草稿")
    url = reverse("literacy:round_points_pdf", args=[draft.pk])
    assert as_persona("province").get(url).status_code == 404


# -- the margins edited by hand -------------------------------------------------------


def _posted(region, bump=None) -> dict:
    """The edit page's fields with the region's margins, `bump` ({var: n}) added to the
    first category of each variable named."""
    data = {"source": "第七次人口普查县级汇总"}
    for var, cats in margin_services.margins_of(region).items():
        for i, (cat, n) in enumerate(sorted(cats.items())):
            data[f"{var}__{cat}"] = n + ((bump or {}).get(var, 0) if i == 0 else 0)
    return data


def _stored(region) -> list:
    return list(
        PopulationMargin.objects.filter(region=region)
        .order_by("variable", "category")
        .values_list("variable", "category", "population", "source")
    )


def test_the_edit_page_shows_each_variable_and_its_total(data, as_persona):
    region = h.region(COUNTY_A)
    client = as_persona("county_a")
    client.cookies["django_language"] = "en"  # the messages are asserted in English
    page = client.get(reverse("literacy:margin_edit", args=[COUNTY_A]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("data-margin-var=") == 4
    assert html.count('data-margin="age_band"') == 5 and html.count('data-margin="sex"') == 2
    total = sum(margin_services.margins_of(region)["sex"].values())
    assert html.count(f"{total:,}") >= 4  # each variable's total, all the same
    assert "Every variable adds up to the same total." in html
    assert "literacy-margins.js" in html
    listing = as_persona("county_a").get(reverse("literacy:margin_list") + f"?region={COUNTY_A}")
    assert reverse("literacy:margin_edit", args=[COUNTY_A]) in listing.content.decode()
    # The province officer may edit the province's; Chengdu's officer may not (a 404).
    province = as_persona("province").get(reverse("literacy:margin_list") + "?region=51")
    assert reverse("literacy:margin_edit", args=["51"]) in province.content.decode()


def test_a_set_that_does_not_add_up_is_refused_whole(data, as_persona):
    region = h.region(COUNTY_A)
    before = _stored(region)
    client = as_persona("county_a")
    entries = AuditEntry.objects.filter(action__startswith="literacy.").count()
    client.cookies["django_language"] = "en"
    url = reverse("literacy:margin_edit", args=[COUNTY_A])
    refused = client.post(url, _posted(region, bump={"sex": 7, "education": 3}))
    assert refused.status_code == 400
    html = refused.content.decode()
    total = sum(margin_services.margins_of(region)["age_band"].values())
    assert f"Sex adds up to {total + 7:,}, not {total + 7:,}" not in html
    assert f"Age adds up to {total:,}, not {total + 7:,}." in html
    assert f"Education adds up to {total + 3:,}, not {total + 7:,}." in html
    assert html.count("bg-red-lt") == 3  # age band, urban or rural, education differ
    assert _stored(region) == before
    assert AuditEntry.objects.filter(action__startswith="literacy.").count() == entries
    # A number missing is refused by the form, nothing written either.
    partial = _posted(region)
    partial.pop("area__urban")
    assert client.post(url, partial).status_code == 400
    assert _stored(region) == before


def test_a_set_that_adds_up_replaces_the_margins_with_an_audit_entry(data, as_persona):
    region = h.region(COUNTY_A)
    client = as_persona("county_a")
    url = reverse("literacy:margin_edit", args=[COUNTY_A])
    posted = _posted(region, bump={"sex": 5, "age_band": 5, "area": 5, "education": 5})
    done = client.post(url, posted)
    assert done.status_code == 302
    assert done["Location"] == reverse("literacy:margin_list") + f"?region={COUNTY_A}"
    table = margin_services.margins_of(region)
    assert {f"{v}__{k}": n for v, cats in table.items() for k, n in cats.items()} == {
        k: v for k, v in posted.items() if k != "source"
    }
    assert {row[3] for row in _stored(region)} == {"第七次人口普查县级汇总"}
    entry = AuditEntry.objects.filter(action="literacy.populationmargin.set").latest("pk")
    total = sum(table["sex"].values())
    assert entry.object_id == f"{COUNTY_A}/2020" and entry.changes == {"total": [total - 5, total]}
    assert entry.actor.username == "demo-county-a"


def test_out_of_scope_regions(data, as_persona):
    url = reverse("literacy:margin_edit", args=[COUNTY_A])
    assert as_persona("county_b").get(url).status_code == 404
    assert as_persona("city").get(reverse("literacy:margin_edit", args=["51"])).status_code == 404
    assert as_persona("member").get(url).status_code == 403
    unknown = reverse("literacy:margin_edit", args=["99"])
    assert as_persona("province").get(unknown).status_code == 404
