"""Prize lists with their 公示, objections, and certificates with their public check."""

import datetime
import subprocess
import uuid

import pytest
from django.test import Client
from django.utils import translation

from kepu.contests import certificates
from kepu.contests import choices as c
from kepu.contests.models import Certificate, Prize, PrizeObjection
from kepu.contests.services import prizes, taking
from kepu.contests.tests import helpers as h
from kepu.contests.tests.authz_results import finished_round, register
from kepu.contests.views.taking_common import participant_cookie
from kepu.core import clock
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import User

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
OBJECTION = "该获奖者的成绩存在疑问，请核查答题记录。"


def _published():
    contest = h.contest()
    rows = [
        ("王小明", "13800000061", "510104", 9, 300), ("李红", "13800000062", "510703", 8, 200),
        ("张伟", "13800000063", "510105", 7, 100), ("赵敏", "13800000064", "510104", 4, 400),
    ]  # fmt: skip
    people = [(register(contest, n, p, code), r, s) for n, p, code, r, s in rows]
    round_ = finished_round(
        contest, people, pool=h.items(12, prefix=f"P{contest.pk}"),
        status=c.RoundStatus.PUBLISHED,
    )  # fmt: skip
    return round_, {p.name: p for p, _r, _s in people}


def _en(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_prize_list_from_draft_through_notice_to_final(as_persona):
    round_, people = _published()
    client = _en(as_persona("province"))
    url = f"/contests/rounds/{round_.pk}/prize-list/"
    data = {"first": 1, "second": 1, "third": 1, "excellence": 0, "organizers": 1,
            "publicity_days": 5}  # fmt: skip
    assert client.post(url, data, **EN).status_code == 302
    plist = round_.prize_list
    tiers = list(
        plist.prizes.order_by("tier", "rank").values_list("tier", "rank", "participant__name")
    )
    assert tiers == [("first", 1, "王小明"), ("organizer", 1, None), ("second", 2, "李红"),
                     ("third", 3, "张伟")]  # fmt: skip
    assert plist.prizes.get(tier="organizer").region.name == "成都市"
    assert client.post(f"/contests/prize-lists/{plist.pk}/publicize/", **EN).status_code == 302
    plist.refresh_from_db()
    assert plist.status == c.PrizeListStatus.PUBLICITY
    assert plist.publicity_end == clock.today() + datetime.timedelta(days=4)
    # The public page: masked names, the objection links.
    public = _en(Client()).get(f"/contests/rounds/{round_.pk}/prizes/", **EN).content.decode()
    assert "王*" in public and "王小明" not in public and "Outstanding organizer award" in public
    second = plist.prizes.get(tier="second")
    objection, _ = prizes.file_objection(second, name="陈异议", phone="13900000002", text=OBJECTION)
    # Finalizing waits for the end of the notice and the answers.
    with pytest.raises(DomainError, match="public notice runs until"):
        prizes.finalize_prizes(plist, actor=None)
    answer = client.post(
        f"/contests/prize-objections/{objection.pk}/answer/",
        {"upheld": "yes", "answer": "经核查，该获奖者不符合条件。"}, **EN,
    )  # fmt: skip
    assert answer.status_code == 302
    objection.refresh_from_db()
    assert objection.status == "upheld"
    assert client.post(f"/contests/prizes/{second.pk}/withdraw/", **EN).status_code == 302
    second.refresh_from_db()
    assert second.withdrawn
    third = plist.prizes.get(tier="third")
    with pytest.raises(DomainError, match="only after an objection"):
        prizes.withdraw_prize(third, actor=None)
    with clock.frozen(clock.now() + datetime.timedelta(days=6)):
        final = prizes.finalize_prizes(plist, actor=None)  # not the drafter (four-eyes)
    assert final.status == c.PrizeListStatus.FINAL
    with pytest.raises(StateConflict, match="already final"):
        prizes.finalize_prizes(plist, actor=None)
    assert prizes.final_prize_of(round_, people["李红"].pk) is None  # withdrawn
    assert prizes.final_prize_of(round_, people["王小明"].pk).tier == "first"


def test_the_officer_who_drafted_the_list_does_not_finalize_it():
    round_, _ = _published()
    province = User.objects.get(username="demo-province")
    plist = prizes.draft_prizes(round_, actor=province, counts={"first": 2})
    prizes.start_publicity(plist, actor=province)
    later = clock.now() + datetime.timedelta(days=6)
    with clock.frozen(later), pytest.raises(DomainError, match="another officer must approve"):
        prizes.finalize_prizes(plist, actor=province)
    with clock.frozen(later):
        assert prizes.finalize_prizes(plist, actor=None).status == c.PrizeListStatus.FINAL


def test_a_closed_round_has_no_prizes_and_a_list_on_notice_is_not_redrafted():
    round_, _ = _published()
    plist = prizes.draft_prizes(round_, actor=None, counts={"first": 1})
    prizes.start_publicity(plist, actor=None)
    with pytest.raises(StateConflict, match="already in public notice"):
        prizes.draft_prizes(round_, actor=None, counts={"first": 2})
    round_.status = c.RoundStatus.CLOSED
    round_.save(update_fields=["status"])
    with pytest.raises(StateConflict, match="results are published"):
        prizes.draft_prizes(round_, actor=None, counts={"first": 2})


def test_objections_need_a_real_name_and_are_filed_once_per_key():
    round_, _ = _published()
    plist = prizes.draft_prizes(round_, actor=None, counts={"first": 1})
    prizes.start_publicity(plist, actor=None)
    prize = plist.prizes.get()
    url = f"/contests/rounds/{round_.pk}/prizes/{prize.pk}/objection/"
    client = _en(Client())
    assert client.get(url, **EN).status_code == 200
    assert client.post(url, {"name": "", "phone": "", "text": OBJECTION}).status_code == 400
    anonymous = client.post(url, {"name": "某", "phone": "13900000003", "text": OBJECTION})
    assert anonymous.status_code == 400
    assert "Give your real name." in anonymous.content.decode()
    assert not PrizeObjection.objects.filter(prize=prize).exists()
    key = str(uuid.uuid4())
    for _ in range(2):
        response = client.post(
            url, {"name": "陈异议", "phone": "13900000003", "text": OBJECTION, "client_key": key},
            **EN,
        )  # fmt: skip
        assert response.status_code == 302
    assert PrizeObjection.objects.filter(prize=prize).count() == 1
    objection = PrizeObjection.objects.get(prize=prize)
    assert objection.phone_masked == "139****0003" and "13900000003" not in objection.phone_enc
    later = clock.frozen(clock.now() + datetime.timedelta(days=6))
    with later, pytest.raises(StateConflict, match="public notice has closed"):
        prizes.file_objection(prize, name="陈异议", phone="13900000003", text=OBJECTION)


def _pdf_text(content: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode()


def test_the_participation_certificate_and_its_public_check():
    round_, people = _published()
    wang = people["王小明"]
    client = _en(Client())
    url = f"/contests/rounds/{round_.pk}/certificate/"
    assert client.get(url).status_code == 404  # no participant cookie
    client.cookies[participant_cookie(round_.contest_id)] = taking.participant_token(wang)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    # Chinese text with the embedded fonts (the labels are in the catalog's language).
    assert "王小明" in text and "四川省全民科学素质网络知识竞赛" in text and "90" in text
    assert "四川省科学技术协会" in text
    cert = Certificate.objects.get(round=round_, participant=wang)
    assert cert.code in text and cert.kind == c.CertificateKind.PARTICIPATION
    client.get(url)
    assert Certificate.objects.filter(round=round_, participant=wang).count() == 1
    # No prize certificate without a final prize.
    refused = client.get(f"{url}?kind=prize", **EN)
    assert refused.status_code == 404 and "final prize list" in refused.content.decode()
    check = _en(Client()).get(f"/contests/certificates/{cert.code}/", **EN).content.decode()
    assert "This certificate is genuine." in check and "王*" in check and "王小明" not in check
    assert "Certificate of participation" in check and round_.contest.title in check
    assert _en(Client()).get("/contests/certificates/ZZZZZZZZZZZZ/").status_code == 404
    Certificate.objects.filter(pk=cert.pk).update(revoked=True)
    check = _en(Client()).get(f"/contests/certificates/{cert.code.lower()}/", **EN).content.decode()
    assert "This certificate has been revoked." in check


def test_certificates_wait_for_publication_and_prize_certificates_for_the_final_list(settings):
    round_, people = _published()
    plist = prizes.draft_prizes(round_, actor=None, counts={"first": 1})
    with pytest.raises(DomainError, match="final prize list"):
        certificates.issue(round_, people["王小明"], c.CertificateKind.PRIZE)
    prizes.start_publicity(plist, actor=None)
    with clock.frozen(clock.now() + datetime.timedelta(days=6)):
        prizes.finalize_prizes(plist, actor=None)
    cert = certificates.issue(round_, people["王小明"], c.CertificateKind.PRIZE)
    assert cert.prize == Prize.objects.get(prize_list=plist) and cert.score == 90
    text = _pdf_text(certificates.render(cert, base="https://kepu.example.cn/"))
    with translation.override(settings.LANGUAGE_CODE):  # the certificate's language
        tier = str(c.PrizeTier.FIRST.label)
    assert "王小明" in text and tier in text
    round_.status = c.RoundStatus.CLOSED
    with pytest.raises(StateConflict, match="results are published"):
        certificates.issue(round_, people["李红"], c.CertificateKind.PARTICIPATION)


def test_officers_download_the_prize_certificates_in_one_zip(as_persona):
    round_, _ = _published()
    plist = prizes.draft_prizes(round_, actor=None, counts={"first": 1, "second": 1})
    prizes.start_publicity(plist, actor=None)
    with clock.frozen(clock.now() + datetime.timedelta(days=6)):
        prizes.finalize_prizes(plist, actor=None)
    client = _en(as_persona("province"))
    page = client.get(f"/contests/rounds/{round_.pk}/prize-list/", **EN).content.decode()
    assert "Prize certificates (ZIP)" in page
    response = client.post(f"/contests/rounds/{round_.pk}/prize-list/certificates/", **EN)
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    from kepu.core.models import Job

    job = Job.objects.get(kind=certificates.BATCH)
    assert job.status == "succeeded", job.error
    assert job.result == {"certificates": 2}
    assert Certificate.objects.filter(round=round_, kind=c.CertificateKind.PRIZE).count() == 2
