"""Notices at benchmark scale (see `kepu.core.dataset`): a few thousand at province scale
(NOTICES × the scale's factor), issued by the province, the cities and the counties by
their weight, most published over the past two years, some still in review, returned,
drafted or withdrawn — the states the services leave (a published notice was submitted
before it was reviewed; rows of the system have no submitter, so four-eyes holds)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kepu.core.dataset import Dataset
from kepu.core.search import search_text
from kepu.portal.choices import NoticeCategory, NoticeStatus
from kepu.portal.models import Notice

NOTICES = 4000
TOPICS = (
    "全国科普日",
    "科技活动周",
    "防震减灾科普宣传",
    "科技志愿服务招募",
    "青少年科技创新大赛",
    "农村实用技术培训",
    "老年人智能技术运用",
    "科普讲解大赛",
    "应急科普进社区",
    "科学素质提升行动",
)
STATES = (
    (NoticeStatus.PUBLISHED, 85),
    (NoticeStatus.SUBMITTED, 5),
    (NoticeStatus.RETURNED, 4),
    (NoticeStatus.DRAFT, 3),
    (NoticeStatus.WITHDRAWN, 3),
)


def _body(region: str, topic: str) -> str:
    return (
        f"各有关单位：\n\n为深入实施全民科学素质行动，{region}定于近期开展{topic}工作。"
        "请各单位高度重视，结合实际制定方案，组织科技工作者和科技志愿者广泛参与。\n\n"
        "请于活动结束后十个工作日内通过平台报送工作总结和相关图片资料。"
    )


def _rows(ds: Dataset):
    n = max(1, round(NOTICES * ds.factor))
    ids = ds.ids(Notice, n)
    states = [s for s, _ in STATES]
    weights = [w for _, w in STATES]
    for pk in ids:
        roll = ds.rng.random()
        region = (
            ds.province if roll < 0.05 else ds.rng.choice(ds.cities) if roll < 0.3 else ds.county()
        )
        topic = ds.rng.choice(TOPICS)
        category = NoticeCategory.NEWS if ds.rng.random() < 0.4 else NoticeCategory.ANNOUNCEMENT
        verb = "工作动态" if category == NoticeCategory.NEWS else "通知"
        title = (
            f"{region.name}关于{topic}的{verb}" if verb == "通知" else f"{region.name}{topic}{verb}"
        )
        body = _body(region.name, topic)
        status = ds.rng.choices(states, weights)[0]
        created = ds.moment(730) - datetime.timedelta(days=4)
        submitted = created + datetime.timedelta(hours=ds.rng.randint(1, 30))
        reviewed = submitted + datetime.timedelta(hours=ds.rng.randint(1, 48))
        row = {
            "id": pk,
            "title": title[:120],
            "body": body,
            "region_id": region.pk,
            "category": category,
            "issuer": f"{region.name}科学技术协会",
            "pinned": status == NoticeStatus.PUBLISHED and ds.rng.random() < 0.01,
            "status": status,
            "created_at": created,
            "updated_at": created,
            "search_text": search_text(title, body),
        }
        if status != NoticeStatus.DRAFT:
            row.update(submitted_at=submitted, updated_at=submitted)
        if status in (NoticeStatus.PUBLISHED, NoticeStatus.RETURNED, NoticeStatus.WITHDRAWN):
            row.update(reviewed_at=reviewed, updated_at=reviewed)
        if status in (NoticeStatus.PUBLISHED, NoticeStatus.WITHDRAWN):
            row["published_at"] = reviewed
        if status == NoticeStatus.RETURNED:
            row["review_note"] = "请补充联系人和报送时间后重新提交。"
        if status == NoticeStatus.WITHDRAWN:
            withdrawn = min(
                reviewed + datetime.timedelta(days=ds.rng.randint(1, 60)), timezone.now()
            )
            row.update(withdrawn_at=withdrawn, updated_at=withdrawn, review_note="活动已调整。")
        yield row


def generate(ds: Dataset) -> None:
    ds.step("notices", lambda: ds.insert(Notice, _rows(ds)))
    ds.move_sequences(Notice)
