"""What the benchmark dataset's entries contain: the states and their shares, the
notes and texts of each step, and the demo's entry builders on the dataset's random
source (`kepu.resources.dataset` writes the rows)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from kepu.core.choices import KeyGroup as G
from kepu.core.dataset import Dataset
from kepu.core.models import Region
from kepu.resources import choices as c
from kepu.resources.demo import _Demo

RT = c.ResourceType
VS = c.VersionStatus
EV = c.EventAction
PERSONA_COUNTIES = ("510104", "510703")

# Type mix of the catalog (works and places dominate; heritage and policies are few).
TYPES = [
    (RT.WORK, 46),
    (RT.PLACE, 20),
    (RT.INFORMATION, 12),
    (RT.FACILITY, 10),
    (RT.PRODUCT, 8),
    (RT.HERITAGE, 2),
    (RT.POLICY, 2),
]
# Where an entry stands. "edit_*": published, with an edit of it in the workflow.
STATES = [
    ("published", 730),
    ("republished", 80),
    ("reinstated", 8),
    ("edit_draft", 10),
    ("edit_submitted", 8),
    ("edit_in_review", 14),
    ("edit_returned", 6),
    ("draft", 30),
    ("submitted", 22),
    ("in_review", 34),
    ("returned", 22),
    ("rejected", 14),
    ("suspended", 16),
    ("withdrawn", 18),
]
WORKFLOW = [s for s, _w in STATES if s not in ("published", "republished", "reinstated")]
PUBLISHED_STATES = {"published", "republished", "reinstated"} | {
    s for s in WORKFLOW if s.startswith("edit_")
}
# The demo member unit's and the demo volunteer's own entries.
MEMBER_STATES = [
    "published",
    "published",
    "published",
    "republished",
    "submitted",
    "in_review",
    "returned",
    "edit_in_review",
    "withdrawn",
]
VOLUNTEER_STATES = [
    "published",
    "published",
    "published",
    "draft",
    "submitted",
    "in_review",
    "returned",
    "edit_draft",
]
EMERGENCY_SHARE = 0.6  # of the entries on a hazard, those in the emergency library
INDIVIDUAL_SHARE = 0.1  # of the works, those applied for by an individual
RENEW_SHARE = 0.8  # of the reminded entries, those renewed (the rest fall overdue)

NOTES = ["请审核。", "请审核。", "", "", "申请纳入科普资源名录。", "已按要求补充材料，请审核。"]
INCOMPLETE = {
    RT.PLACE: ["请补充展品清单和开放时间的说明。", "请上传场所照片并注明预约方式。"],
    RT.FACILITY: ["请补充设备规格和共享方式。", "请注明设备存放地点和借用流程。"],
    RT.PRODUCT: ["请补充产品规格和共享方式。"],
    RT.WORK: ["请补充作者信息和内容来源。", "请补充作品简介和适用人群。"],
    RT.INFORMATION: ["请注明信息来源和发布日期。"],
    RT.HERITAGE: ["请补充通俗说明和具体位置。"],
    RT.POLICY: ["请补充文号和全文。"],
}
ACCURATE = [
    "内容科学准确，表述通俗易懂。",
    "数据来源可靠，同意发布。",
    "内容准确，适合目标人群。",
    "",
]
REVISE = [
    "部分数据需要更新，请注明出处。",
    "表述不够通俗，建议增加图示说明。",
    "个别概念表述不准确，请修改后再提交。",
]
REJECT = ["内容存在科学性错误，不宜发布。", "与已收录资源高度重复，且缺少可靠来源。"]
PUBLISH_ANYWAY = "专家提出的问题申请方已修改，同意发布。"
RETURN_NOTE = ["请根据专家意见修改后重新提交。", "请按专家意见修订相关表述并补充参考资料。"]
REJECT_NOTE = ["经专家审核，内容存在科学性问题，不予收录。", "与已收录资源重复，不予收录。"]
SUSPEND = [
    "场馆改造，暂停开放",
    "设备维修，暂停共享",
    "内容待更新，暂停展示",
    "安全检查整改期间暂停开放",
]
WITHDRAW = ["单位撤销，资源不再提供", "场馆已关闭", "内容已过时，申请方撤回", "设备已报废"]
REVISIONS = [
    "更新了开放时间和预约方式。",
    "补充了最新的科学数据和参考资料。",
    "根据读者反馈修订了部分表述。",
    "新增了适合老年人阅读的图文说明。",
]
HOURS = ["周二至周日 9:00—17:00", "每天 9:00—17:30", "周三至周日 9:30—16:30（节假日照常开放）"]

# Heritage beyond the demo's famous sites: the old trees and landforms every county lists.
TREES = [
    ("银杏", "Ginkgo biloba"),
    ("桢楠", "Phoebe zhennan"),
    ("黄葛树", "Ficus virens"),
    ("柏木", "Cupressus funebris"),
    ("香樟", "Camphora officinarum"),
    ("桫椤", "Alsophila spinulosa"),
    ("水杉", "Metasequoia glyptostroboides"),
]
LANDFORMS = [
    ("溶洞", "雨水溶蚀石灰岩形成的溶洞，洞内的石笋和钟乳石要上万年才长高一点点。"),
    ("地质剖面", "一层层岩石像一本打开的书，记录着这里几亿年来海陆变迁的历史。"),
    ("温泉", "地下水被地热加热后涌出地面，水中溶解了多种矿物质。"),
    ("古生物化石点", "岩层中保存着远古生物的遗体和遗迹，是研究地球生命演化的证据。"),
]
# Policies issued by the cities and counties (the demo's seed documents head the library).
POLICY_TITLES = [
    "{region}全民科学素质行动实施方案（2021—2025年）",
    "{region}{year}年科普工作要点",
    "关于加强{region}科普基础设施建设的实施意见",
    "{region}科普教育基地认定和管理办法",
    "{region}应急科普工作方案",
    "关于新时代进一步加强{region}科学技术普及工作的实施意见",
    "{region}科普资源共建共享管理办法（试行）",
]
ISSUERS = [
    ("{region}人民政府办公室", "府办发"),
    ("{region}科学技术协会", "科协发"),
    ("{region}科学技术局", "科发"),
]
POLICY_BODY = (
    "为深入贯彻落实《全民科学素质行动规划纲要（2021—2035年）》和省委、省政府关于科学技术"
    "普及工作的部署，结合{region}实际，制定本文件。\n"
    "一、总体要求\n坚持把科学普及放在与科技创新同等重要的位置，以提升公民科学素质为目标，"
    "推动科普工作融入经济社会发展各领域。\n"
    "二、主要任务\n（一）加强科普基础设施建设，推进科普场馆和科普教育基地建设。\n"
    "（二）实施重点人群科学素质提升行动，面向青少年、农民、产业工人、老年人和领导干部"
    "开展科普。\n（三）建设应急科普资源库，提升防灾减灾和突发事件应对能力。\n"
    "（四）壮大科普人才和科技志愿者队伍。\n"
    "三、保障措施\n各地各部门要加强组织领导，落实经费保障，建立健全考核评价机制。\n"
    "本文件自印发之日起施行，有效期{years}年。"
)


@dataclass(slots=True)
class _Org:
    """A unit as the demo's builders use it (they read `name`)."""

    pk: int
    name: str


class _Where:
    """A region with its full name at hand (`Region.full_name` queries its ancestors)."""

    __slots__ = ("region", "name", "code", "path", "pk", "level", "parent_id", "full_name")

    def __init__(self, region: Region, full_name: str):
        self.region = region
        self.name, self.code, self.path = region.name, region.code, region.path
        self.pk, self.level, self.parent_id = region.pk, region.level, region.parent_id
        self.full_name = full_name


_AUTO = object()


class _Builder(_Demo):
    """The demo's entry builders (titles, texts, addresses, map points) on the dataset's
    random source, regions and units."""

    def __init__(self, ds: Dataset, org_names: dict[int, str]):
        self.ds = ds
        self.rng = ds.rng
        self.now = ds.now
        self.today = ds.today
        self.province = ds.province
        self.by_code = {r.code: r for r in (ds.province, *ds.cities, *ds.counties)}
        self.centres = self._centres()
        self.titles: set[str] = set()
        self.org_names = org_names
        self.forced = _AUTO
        self.orgs_by_city: dict[str, list[int]] = {}
        for county, ids in ds.orgs_by_county.items():
            self.orgs_by_city.setdefault(county[:4], []).extend(ids)

    def owner(self, region):
        """The unit a new entry gets: the one set in `forced` (None: an individual), or a
        unit of the entry's county (of its city for a city-level entry)."""
        if self.forced is not _AUTO:
            return self.forced
        county = self.ds.county_of(region)
        ids = (
            self.ds.orgs_by_county.get(county) if county else self.orgs_by_city.get(region.code[:4])
        )
        if not ids:
            return None
        pk = self.rng.choice(ids)
        return _Org(pk, self.org_names[pk])

    def unique(self, title, region, *, place=False):
        """The demo's variants (branches, editions, years), then the region's own
        edition of a much-published work, then the title repeats."""
        before = len(self.titles)
        title = super().unique(title, region, place=place)
        if len(self.titles) > before or place:
            return title
        for candidate in (
            f"{title}（{region.name}版）",
            *(f"{title}（{region.name}{year}年版）" for year in range(self.today.year, 2019, -1)),
        ):
            if candidate not in self.titles:
                self.titles.add(candidate)
                return candidate
        return title

    def first_free(self, *candidates: str) -> str:
        """The first candidate title not used yet (else the first repeats)."""
        for candidate in candidates:
            if candidate not in self.titles:
                self.titles.add(candidate)
                return candidate
        return candidates[0]

    # --- entries the demo does not build ----------------------------------------------

    def local_heritage(self, where: _Where):
        org = self.owner(where)
        if self.rng.random() < 0.6:
            tree, latin = self.rng.choice(TREES)
            age = self.rng.choice((100, 200, 300, 500, 800, 1000, 1200))
            kind, name, scientific = c.HeritageKind.SPECIES, f"{where.name}古{tree}", latin
            plain = (
                f"这株{tree}树龄约{age}年，是{where.name}登记保护的古树名木，"
                f"见证了当地的气候与生态变迁。"
            )
        else:
            landform, plain = self.rng.choice(LANDFORMS)
            kind, name, scientific = c.HeritageKind.GEOLOGICAL, f"{where.name}{landform}", ""
        lat, lon = self.point(where)
        return (
            RT.HERITAGE,
            org,
            {
                "title": self.first_free(name, *(f"{name}（{i}号）" for i in range(2, 10))),
                "region": where,
                "summary": plain[:60],
                "heritage_kind": kind,
                "scientific_name": scientific,
                "plain_description": plain,
                "address": f"{where.full_name}",
                "latitude": lat,
                "longitude": lon,
                "groups": [G.YOUTH, G.GENERAL],
                "topics": [c.Topic.ECOLOGY],
                "hazards": [],
            },
        )

    def local_policy(self, where: _Where):
        year = self.rng.randint(2019, self.today.year)
        pattern = self.rng.choice(POLICY_TITLES)
        issuer, prefix = self.rng.choice(ISSUERS)
        issuer = issuer.format(region=where.name)
        issued = datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 364))
        issued = min(issued, self.today - datetime.timedelta(days=40))
        short = where.name[:2]
        title = pattern.format(region=where.name, year=year)
        return (
            RT.POLICY,
            None,
            {
                "title": self.first_free(title, f"{title}（修订）", f"{title}（{year}年修订）"),
                "region": where,
                "summary": f"{issuer}{issued.year}年印发，全文收录于政策库。",
                "keywords": "科普、政策文件",
                "issuer": issuer,
                "doc_number": f"{short}{prefix}〔{issued.year}〕{self.rng.randint(1, 80)}号",
                "issued_on": issued,
                "body": POLICY_BODY.format(region=where.name, years=self.rng.choice((3, 5))),
                "groups": [G.OFFICIALS, G.GENERAL],
                "topics": [],
                "hazards": [],
            },
        )

    def build(self, rtype, where: _Where):
        if rtype == RT.PLACE:
            return self.place(where)
        if rtype == RT.WORK:
            return self.work(where)
        if rtype == RT.HERITAGE:
            return self.local_heritage(where)
        if rtype == RT.POLICY:
            return self.local_policy(where)
        return self.thing(where, rtype)
