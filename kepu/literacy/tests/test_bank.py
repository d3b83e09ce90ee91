"""The item bank: the services (validation, versions, the accuracy review and its
four-eyes rule, retirement, statistics written back), the Excel import, the demo bank,
and the pages and endpoint through HTTP."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kepu.core.errors import StateConflict
from kepu.core.models import AuditEntry, User
from kepu.literacy import choices as c
from kepu.literacy.io_bank import ItemImport
from kepu.literacy.models import EstimationRun, Item, ItemReview, ItemStatistic, SurveyRound
from kepu.literacy.services import bank as services
from kepu.literacy.services.bank_checks import item_errors, parse_key, parse_options
from kepu.literacy.tests import helpers_bank as h
from kepu.resources.accuracy import AccuracyReview, Verdict
from kepu.resources.models import ReviewAssignment

pytestmark = pytest.mark.django_db
COUNTY_A = "510104"


def officer(name="demo-county-a"):
    return User.objects.get(username=name)


def messages(exc) -> dict:
    return {k: [str(m) for m in v] for k, v in exc.value.message_dict.items()}


# --- the rules --------------------------------------------------------------------------


def test_options_and_keys_are_read_as_an_officer_types_them():
    assert parse_options("A. 金星\nB．水星\n\nC、火星\n地球") == [
        {"key": "A", "text": "金星"}, {"key": "B", "text": "水星"},
        {"key": "C", "text": "火星"}, {"key": "D", "text": "地球"},
    ]  # fmt: skip
    with pytest.raises(ValueError, match="appears twice"):
        parse_options("A. 一\nA. 二")
    assert parse_key("对", "tf") == ["T"] and parse_key("错误", "tf") == ["F"]
    assert parse_key("a, c", "multiple") == ["A", "C"]
    assert parse_key("ACD", "multiple") == ["A", "C", "D"]


def test_each_kind_of_item_keeps_its_rules():
    with __import__("django").utils.translation.override("en"):
        assert item_errors(h.tf_fields(key="A")) == {
            "key": "The answer of a true-or-false question is T (true) or F (false)."
        }
        assert item_errors(h.single_fields(key=("A", "B"))) == {
            "key": "A single-choice question has exactly one correct option."
        }
        assert item_errors(h.single_fields(key=("E",))) == {
            "key": "The answer E is not one of the options."
        }
        assert item_errors(h.single_fields(kind="multiple", key=("B",))) == {
            "key": "A multiple-choice question has at least two correct options."
        }
        assert item_errors(h.single_fields(kind="likert", key=())) == {
            "kind": "A scored test has true-or-false, single-choice and multiple-choice questions."
        }
        opinion = h.dimension("satisfaction", "satisfaction")
        likert = h.single_fields(
            kind="likert", key=("A",), instrument=opinion.instrument, dimension=opinion
        )
        assert item_errors(likert) == {
            "key": "A questionnaire question has no correct answer: leave it empty."
        }
        bench = h.dimension("benchmark-2016", "benchmark")
        fields = h.tf_fields(instrument=bench.instrument, dimension=bench, sub_dimension="基准27")
        assert item_errors(fields) == {
            "sub_dimension": "Name the 基准 the item tests: 基准1 to 基准26."
        }
        assert item_errors(h.tf_fields(dimension=bench)) == {
            "dimension": "This dimension belongs to another test structure."
        }
        assert item_errors(h.single_fields(options=[{"key": "A", "text": "只有一个"}])) == {
            "options": "Give at least two options, one per line (“A. …”).",
        }


# --- versions, review and four-eyes -------------------------------------------------------


def test_a_draft_changes_in_place_and_an_approved_item_as_a_new_version():
    membership = h.expert("bank-expert-1", "审题专家甲")
    author = officer()
    item = services.create_item(h.region(COUNTY_A), actor=author, **h.tf_fields())
    assert item.code == "knowledge-001" and item.status == c.ItemStatus.DRAFT
    same = services.change_item(item, actor=author, stem="地球绕太阳公转一周约需一年。")
    assert same.pk == item.pk and same.version == 1
    (review,) = services.send_to_review(item, actor=author, reviewers=[membership])
    with pytest.raises(StateConflict):
        services.change_item(item, actor=author, stem="审核中不能改")
    h.file(review)
    item.refresh_from_db()
    assert item.status == c.ItemStatus.APPROVED
    version = services.change_item(item, actor=author, explanation="公转周期约 365.25 天。")
    assert (version.version, version.previous_id, version.code) == (2, item.pk, item.code)
    assert version.status == c.ItemStatus.DRAFT
    item.refresh_from_db()
    assert item.status == c.ItemStatus.APPROVED  # still in use until v2 passes
    with pytest.raises(StateConflict):
        services.change_item(item, actor=author, explanation="第二个新版本")
    (review2,) = services.send_to_review(version, actor=author, reviewers=[membership])
    h.file(review2)
    item.refresh_from_db()
    version.refresh_from_db()
    assert (item.status, version.status) == (c.ItemStatus.RETIRED, c.ItemStatus.APPROVED)
    actions = list(
        AuditEntry.objects.filter(object_type="literacy.item").values_list("action", flat=True)
    )
    for code in ("created", "changed", "sent_to_review", "approved", "versioned"):
        assert f"literacy.item.{code}" in actions


def test_one_revise_verdict_returns_the_item_and_withdraws_the_other_reviews():
    first, second = h.expert("bank-expert-1", "审题专家甲"), h.expert("bank-expert-2", "审题专家乙")
    item = services.create_item(h.region(COUNTY_A), actor=None, **h.tf_fields())
    reviews = services.send_to_review(item, actor=None, reviewers=[first, second])
    with pytest.raises(ValidationError) as exc:
        h.file(reviews[0], Verdict.REVISE, "")
    assert list(exc.value.message_dict) == ["comments"]
    h.file(reviews[0], Verdict.REVISE, "“一年”应写明约 365 天。")
    item.refresh_from_db()
    assert item.status == c.ItemStatus.DRAFT
    assert not ItemReview.objects.filter(pk=reviews[1].pk).exists()
    # The same expert can review the corrected item again.
    again = services.send_to_review(item, actor=None, reviewers=[first, second])
    h.file(again[0])
    item.refresh_from_db()
    assert item.status == c.ItemStatus.IN_REVIEW  # one review still open
    h.file(again[1])
    item.refresh_from_db()
    assert item.status == c.ItemStatus.APPROVED


def test_the_author_does_not_review_their_own_item():
    membership = h.expert("demo-county-a", "锦江区科协 王磊")
    other = h.expert("bank-expert-1", "审题专家甲")
    author = officer()
    item = services.create_item(h.region(COUNTY_A), actor=author, **h.tf_fields())
    candidates = services.reviewer_candidates(item, author)
    assert membership.person_id not in {m.person_id for m in candidates}
    assert other.person_id in {m.person_id for m in candidates}
    with pytest.raises(ValidationError) as exc:
        services.send_to_review(item, actor=author, reviewers=[membership])
    assert "wrote this item" in str(exc.value) or "编写" in str(exc.value)
    # Even a review assigned behind the rule's back cannot be filed by the author.
    review = ItemReview.objects.create(item=item, reviewer=membership.person)
    Item.objects.filter(pk=item.pk).update(status=c.ItemStatus.IN_REVIEW)
    with pytest.raises(ValidationError):
        h.file(review, actor=author)
    assert ItemReview.objects.get(pk=review.pk).submitted_at is None


def test_retire_needs_a_reason_and_withdraws_open_reviews():
    membership = h.expert("bank-expert-1", "审题专家甲")
    item = services.create_item(h.region(COUNTY_A), actor=None, **h.tf_fields())
    services.send_to_review(item, actor=None, reviewers=[membership])
    with pytest.raises(ValidationError):
        services.retire_item(item, actor=None, reason=" ")
    services.retire_item(item, actor=None, reason="与 ZS-001 重复")
    item.refresh_from_db()
    assert item.status == c.ItemStatus.RETIRED and not item.reviews.exists()
    assert services.retire_reason(item) == "与 ZS-001 重复"
    with pytest.raises(StateConflict):
        services.retire_item(item, actor=None, reason="再次")


def test_an_officer_outside_the_bank_cannot_write_to_it():
    with pytest.raises(ValidationError):
        services.create_item(h.region(COUNTY_A), actor=officer("demo-county-b"), **h.tf_fields())
    item = services.create_item(h.region(COUNTY_A), actor=None, **h.tf_fields())
    with pytest.raises(ValidationError):
        services.change_item(item, actor=officer("demo-county-b"), stem="越权修改")
    assert Item.objects.get(pk=item.pk).stem == h.tf_fields()["stem"]


def test_statistics_are_written_back_to_the_item():
    item = services.create_item(h.region("51"), actor=None, **h.single_fields())
    rnd = SurveyRound.objects.create(
        region=h.region("51"), name="统计回写测试", year=2025, instrument=item.instrument,
        opens_at="2025-05-01T00:00:00Z", closes_at="2025-06-01T00:00:00Z", consent_text="说明",
    )  # fmt: skip
    run = EstimationRun.objects.create(round=rnd, status=c.RunStatus.OK)
    stats = [
        {"item": item, "n": 812, "p_value": 0.62, "discrimination": 0.41,
         "options": {"A": 0.2, "B": 0.62, "C": 0.17, "D": 0.01}, "alpha_if_deleted": 0.81},
    ]  # fmt: skip
    services.record_item_statistics(run, stats)
    services.record_item_statistics(run, stats)  # again: replaces, does not duplicate
    item.refresh_from_db()
    assert (item.p_value, item.discrimination, item.stats_n) == (0.62, 0.41, 812)
    assert ItemStatistic.objects.filter(run=run).count() == 1
    from kepu.literacy.views.bank_reading import reading

    words = [sentence for _level, sentence in reading(item.stats.get(), item)]
    assert any("D" in w for w in words)  # the dead distractor is named


# --- the shared accuracy review -----------------------------------------------------------


def test_the_catalog_and_the_bank_share_one_review_base():
    assert issubclass(ReviewAssignment, AccuracyReview)
    assert issubclass(ItemReview, AccuracyReview)
    shared = {f.name for f in AccuracyReview._meta.fields}
    for model in (ReviewAssignment, ItemReview):
        assert shared <= {f.name for f in model._meta.fields}
        assert model._meta.get_field("verdict").choices == Verdict.choices


# --- import ---------------------------------------------------------------------------------


def _row(**over):
    row = {
        "code": "", "instrument": "national-2024", "dimension": "科学知识", "sub_dimension": "",
        "kind": "tf", "stem": "光速比声速快。", "options": "", "key": "对",
        "explanation": "", "difficulty": "", "source": "",
    }  # fmt: skip
    row.update(over)
    return row


def test_an_import_with_bad_rows_reports_each_and_writes_nothing():
    spec, actor = ItemImport(), officer()
    with __import__("django").utils.translation.override("en"):
        rows = [
            (2, _row()),
            (
                3,
                _row(
                    kind="single",
                    stem="水是由哪些元素组成的？",
                    options="A. 氢和氧\nB. 碳和氧",
                    key="C",
                ),
            ),
            (4, _row(instrument="nope")),
            (5, _row(code="ZS-9", stem="甲")),
            (6, _row(code="ZS-9", stem="乙")),
        ]
        plan = spec.plan(rows, actor)
    assert {(e.row, e.column) for e in plan.errors} == {
        (3, "Correct answer"),
        (4, "Test structure"),
        (6, "Item code"),
    }
    assert plan.creates == []
    before = Item.objects.count()
    good = spec.plan([(2, _row()), (3, _row(stem="声音可以在真空中传播。", key="F"))], actor)
    assert not good.errors
    spec.apply(good, actor)
    made = Item.objects.filter(region__code=COUNTY_A).order_by("pk")
    assert Item.objects.count() == before + 2
    assert [i.status for i in made] == [c.ItemStatus.DRAFT] * 2
    assert AuditEntry.objects.filter(action="literacy.item.imported").exists()


# --- the demo bank --------------------------------------------------------------------------


def test_the_demo_bank_loads_approved_and_valid():
    h.expert("demo-expert", "周明远")
    counts = services.load_demo_bank(h.region("51"), actor=officer("demo-province"))
    items = list(Item.objects.filter(region__code="51").select_related("instrument", "dimension"))
    assert counts["created"] == len(items) >= 220
    assert {i.status for i in items} == {c.ItemStatus.APPROVED}
    for item in items:
        fields = {n: getattr(item, n) for n in Item.EDITABLE_FIELDS}
        assert item_errors(fields) == {}, item.code
    per = {}
    for item in items:
        per[item.dimension.code] = per.get(item.dimension.code, 0) + 1
    assert per["knowledge"] >= 60 and per["benchmark"] >= 60
    assert min(per["method"], per["spirit"], per["application"]) >= 30
    benchmarks = {i.sub_dimension for i in items if i.dimension.code == "benchmark"}
    assert benchmarks == {f"基准{n}" for n in range(1, 27)}
    assert len({i.stem for i in items}) == len(items)  # no duplicates
    again = services.load_demo_bank(h.region("51"), actor=None)
    assert again["created"] == 0


# --- pages and the endpoint -----------------------------------------------------------------


def _post(dim, **over):
    data = {
        "instrument": dim.instrument.code, "dimension": dim.pk, "kind": "single",
        "stem": "人体最大的器官是什么？", "options": "A. 心脏\nB. 皮肤", "key": "B",
        "difficulty": "medium", "sub_dimension": "", "code": "", "explanation": "", "source": "",
    }  # fmt: skip
    data.update(over)
    return data


def test_pages_write_show_and_export_items(as_persona):
    client = as_persona("county_a")
    client.cookies["django_language"] = "en"  # the messages are asserted in English
    dim = h.dimension()
    bad = client.post(reverse("literacy:item_create") + "?lang=en", _post(dim, key="AB"))
    assert bad.status_code == 400
    assert "A single-choice question has exactly one correct option." in bad.content.decode()
    assert not Item.objects.filter(stem="人体最大的器官是什么？").exists()
    done = client.post(reverse("literacy:item_create"), _post(dim))
    item = Item.objects.get(stem="人体最大的器官是什么？")
    assert done.status_code == 302 and item.region.code == COUNTY_A and item.key == ["B"]
    page = client.get(reverse("literacy:item_detail", args=[item.pk]) + "?lang=en")
    text = page.content.decode()
    assert page.status_code == 200 and "皮肤" in text and "Correct answer" in text
    listed = client.get(reverse("literacy:item_list") + "?q=最大的器官&kind=single")
    assert list(listed.context["page"]) == [item]
    export = client.get(reverse("literacy:item_list") + "?q=最大的器官&format=xlsx")
    assert export.status_code == 200
    assert "spreadsheet" in export["Content-Type"]
    assert client.get(reverse("literacy:instrument_list")).status_code == 200


def test_the_expert_files_a_review_on_their_queue(client):
    membership = h.expert("bank-expert-1", "审题专家甲")
    item = services.create_item(h.region(COUNTY_A), actor=None, **h.tf_fields())
    (review,) = services.send_to_review(item, actor=None, reviewers=[membership])
    from kepu.core.choices import Role
    from kepu.core.models import RoleAssignment

    RoleAssignment.objects.create(
        user=membership.person.user, role=Role.REVIEWER, region=h.region("51")
    )
    from kepu.core.testing import login_client

    login_client(client, membership.person.user.username)
    queue = client.get(reverse("literacy:itemreview_queue"))
    assert queue.status_code == 200 and list(queue.context["pending"]) == [review]
    url = reverse("literacy:itemreview_file", args=[review.pk])
    answer = client.post(url, {
        "facts_correct": "yes", "sources_reliable": "yes", "fits_audience": "yes",
        "verdict": "accurate", "comments": "",
    })  # fmt: skip
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.status == c.ItemStatus.APPROVED


def test_the_endpoint_creates_and_refuses_through_the_services(as_persona):
    client = as_persona("county_a")
    dim = h.dimension()
    url = reverse("api:literacy-item-list")
    body = {"instrument": "national-2024", "dimension": dim.pk, "kind": "tf",
            "stem": "接口：月球本身会发光。", "key": ["F"], "difficulty": "easy"}  # fmt: skip
    made = client.post(url, body, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "draft" and made.json()["region"] == COUNTY_A
    refused = client.post(
        url, {**body, "stem": "接口：错误答案", "key": ["X"]}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert not Item.objects.filter(stem="接口：错误答案").exists()
    listed = client.get(url, {"q": "月球本身", "status": "draft"})
    assert [row["stem"] for row in listed.json()["results"]] == ["接口：月球本身会发光。"]
