"""Demo catalog for the Sichuan demo province (51): the policy library (the five seed
documents, full text), about `size` resources of every type spread over the province
(more in the big cities, as in reality), most of them published with a listing number
and a review-by date, and a share in every step of the workflow — submitted, in expert
review (with the demo expert `demo-expert` among the reviewers), returned, draft,
suspended and withdrawn.

Deterministic (a seeded generator) and idempotent: a second run creates nothing.
Published rows are bulk-created without the services, keeping by construction what the
services keep: one approved version holding the live content, tags, a listing number,
a review-by date two years after publication, the search text, an audit entry each.
The entries in the workflow go through the services.
"""

from __future__ import annotations

import datetime
import json
import random
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from kepu.core import audit
from kepu.core.choices import KeyGroup as G
from kepu.core.choices import RegionLevel
from kepu.core.choices import Topic as T
from kepu.core.models import Organization, Region, User
from kepu.people import rollups as people_counters
from kepu.people import services as people_services
from kepu.people.models import ExpertPool, MembershipTopic, Person, PoolMembership
from kepu.resources import choices as c
from kepu.resources import rollups as counted
from kepu.resources import services
from kepu.resources.models import (
    Resource,
    ResourceEvent,
    ResourceTag,
    ResourceVersion,
)

PROVINCE = "51"
DATA = Path(__file__).parent / "data" / "policies"
RT = c.ResourceType

# file, title, issuer, issue date — the five seed documents (shared/seeds), kept as the
# first entries of the policy library.
POLICIES = [
    (
        "000.txt",
        "关于加强高水平科普人才队伍建设的实施方案（2023—2025年）",
        "四川省科学技术厅",
        datetime.date(2023, 12, 20),
    ),
    (
        "001.txt",
        "清远市全民科学素质行动规划纲要实施方案（2021—2025年）",
        "清远市人民政府",
        datetime.date(2022, 6, 30),
    ),
    (
        "002.txt",
        "关于新时代进一步加强科学技术普及工作的实施方案（中国科学院分院转发）",
        "中国科学院分院综合办",
        datetime.date(2023, 1, 6),
    ),
    (
        "003.txt",
        "2023年江苏省科协科普工作要点",
        "江苏省科学技术协会",
        datetime.date(2023, 3, 20),
    ),
    (
        "004.txt",
        "天津市关于进一步深化新时代科学技术普及工作的实施意见",
        "天津市科普工作联席会议办公室",
        datetime.date(2023, 5, 31),
    ),
]

WORKS = {
    T.EARTHQUAKE: ["地震来了怎么办", "家庭防震减灾手册", "校园地震应急疏散指南", "地震预警知多少"],
    T.FLOOD: ["汛期安全十问", "洪水来临如何自救", "山洪灾害防御常识"],
    T.GEOHAZARD: ["认识滑坡与泥石流", "山区地质灾害避险", "地质灾害群测群防手册"],
    T.FIRE: ["家庭消防安全课", "高层建筑火灾逃生", "森林草原防火知识"],
    T.EPIDEMIC: ["传染病防控小知识", "科学洗手与佩戴口罩", "流感季防护指南"],
    T.METEOROLOGY: ["高温中暑预防", "暴雨预警信号解读", "雷电防护常识"],
    T.FOOD_SAFETY: ["食品标签怎么看", "远离野生菌中毒", "厨房里的食品安全"],
    T.HEALTH: ["合理膳食与健康", "老年人慢病管理", "科学就医指南", "中医药健康养生常识"],
    T.AGRICULTURE: ["水稻绿色高产技术", "茶树病虫害绿色防控", "柑橘优质栽培技术", "生猪健康养殖"],
    T.AI: ["人工智能启蒙课", "机器人编程入门", "数字生活：识破电信诈骗", "老年人智能手机使用"],
    T.ECOLOGY: ["大熊猫的家园", "垃圾分类从我做起", "碳达峰碳中和知多少", "长江上游生态保护"],
    T.SPACE: ["航天梦·中国梦", "走近北斗卫星导航", "星空观测入门", "月球探测的故事"],
    T.CHEMICAL: ["危险化学品安全常识"],
    T.NUCLEAR: ["核与辐射安全科普"],
}
HAZARD_CODES = {h.value for h in c.HAZARDS}
STREETS = ["人民路", "科技路", "文化路", "滨江路", "学府路"]
EDITIONS = ["少儿版", "老年版", "农村版", "图解版", "双语版", "藏文版", "彝文版"]
BRANCHES = ["东区分馆", "西区分馆", "南区分馆", "北区分馆", "新馆"]
WORK_FORMS = [
    (c.WorkKind.VIDEO, "（科普动画）"),
    (c.WorkKind.VIDEO, "（短视频）"),
    (c.WorkKind.BOOK, "（图文读本）"),
    (c.WorkKind.ARTICLE, "（科普文章）"),
    (c.WorkKind.COURSE, "（系列课程）"),
    (c.WorkKind.EXHIBIT, "（主题展板）"),
    (c.WorkKind.GAME, "（互动游戏）"),
]
AUDIENCE = {
    T.EARTHQUAKE: [G.YOUTH, G.GENERAL, G.ELDERLY],
    T.FLOOD: [G.FARMERS, G.GENERAL],
    T.GEOHAZARD: [G.FARMERS, G.GENERAL],
    T.FIRE: [G.WORKERS, G.GENERAL, G.YOUTH],
    T.EPIDEMIC: [G.GENERAL, G.ELDERLY],
    T.METEOROLOGY: [G.FARMERS, G.WORKERS],
    T.FOOD_SAFETY: [G.GENERAL, G.ELDERLY],
    T.HEALTH: [G.ELDERLY, G.GENERAL],
    T.AGRICULTURE: [G.FARMERS],
    T.AI: [G.YOUTH, G.OFFICIALS, G.ELDERLY],
    T.ECOLOGY: [G.YOUTH, G.OFFICIALS],
    T.SPACE: [G.YOUTH],
    T.CHEMICAL: [G.WORKERS],
    T.NUCLEAR: [G.OFFICIALS, G.GENERAL],
}
# kind of place -> title patterns ({county}, {city}) and its topics
PLACES = [
    (c.PlaceKind.SCIENCE_MUSEUM, ["{county}科技馆", "{county}青少年科技活动中心"], [T.SPACE, T.AI]),
    (c.PlaceKind.MUSEUM, ["{county}博物馆", "{county}自然博物馆"], [T.ECOLOGY]),
    (
        c.PlaceKind.BASE,
        ["{county}防灾减灾科普教育基地", "{county}农业科技示范园"],
        [T.EARTHQUAKE, T.AGRICULTURE],
    ),
    (
        c.PlaceKind.BASE,
        ["{county}健康科普教育基地", "{county}食品安全科普馆"],
        [T.HEALTH, T.FOOD_SAFETY],
    ),
    (c.PlaceKind.BOTANICAL, ["{county}植物园"], [T.ECOLOGY]),
    (c.PlaceKind.LABORATORY, ["{org}开放实验室"], [T.AI]),
    (
        c.PlaceKind.PARK,
        ["{county}科普公园", "{county}应急避难场所科普点"],
        [T.EARTHQUAKE, T.ECOLOGY],
    ),
    (c.PlaceKind.OBSERVATORY, ["{county}天文科普馆"], [T.SPACE]),
]
FACILITIES = [
    ("VR地震体验设备", T.EARTHQUAKE),
    ("便携式天文望远镜", T.SPACE),
    ("球幕科普影院", T.SPACE),
    ("无人机编程套件", T.AI),
    ("校园气象观测站", T.METEOROLOGY),
    ("消防逃生体验设施", T.FIRE),
    ("农业病虫害智能识别仪", T.AGRICULTURE),
]
PRODUCTS = [
    ("{county}科普研学线路", T.ECOLOGY),
    ("“平安{county}”应急科普展览", T.EARTHQUAKE),
    ("{county}乡村振兴科技服务包", T.AGRICULTURE),
    ("“健康{county}”科普剧", T.HEALTH),
]
INFORMATION = [
    ("{county}科普场馆开放信息", T.ECOLOGY),
    ("{county}汛期地质灾害风险提示", T.GEOHAZARD),
    ("{county}农技服务信息", T.AGRICULTURE),
    ("{county}科普活动月历", T.SPACE),
]
# name, kind, scientific name, region code, plain-language description
HERITAGE = [
    (
        "大熊猫",
        c.HeritageKind.SPECIES,
        "Ailuropoda melanoleuca",
        "511826",
        "大熊猫是我国特有的珍稀动物，主要吃竹子，四川的野生大熊猫数量占全国七成以上。",
    ),
    (
        "珙桐",
        c.HeritageKind.SPECIES,
        "Davidia involucrata",
        "511123",
        "珙桐开花时白色的苞片像一群停在枝头的鸽子，所以又叫“中国鸽子树”，是第四纪冰川留下的“活化石”。",
    ),
    (
        "川金丝猴",
        c.HeritageKind.SPECIES,
        "Rhinopithecus roxellana",
        "513225",
        "川金丝猴有一身金黄色的长毛和朝天的鼻孔，成群生活在高山森林里，是国家一级保护动物。",
    ),
    (
        "绿尾虹雉",
        c.HeritageKind.SPECIES,
        "Lophophorus lhuysii",
        "513226",
        "绿尾虹雉生活在海拔三千米以上的高山草甸，羽毛在阳光下闪着彩虹般的光泽。",
    ),
    (
        "红豆杉",
        c.HeritageKind.SPECIES,
        "Taxus wallichiana var. chinensis",
        "511181",
        "红豆杉是古老的树种，生长很慢，树皮中可以提取抗癌药物紫杉醇，野外植株受到严格保护。",
    ),
    (
        "攀枝花钒钛磁铁矿",
        c.HeritageKind.MINERAL,
        "",
        "510400",
        "这里的铁矿里还含有钒和钛，钛又轻又结实，是制造飞机和人造骨骼的好材料。",
    ),
    (
        "甲基卡锂辉石",
        c.HeritageKind.MINERAL,
        "",
        "513321",
        "锂辉石是提取锂的重要矿物，锂是手机和电动汽车电池里不可缺少的元素。",
    ),
    (
        "自贡恐龙化石群",
        c.HeritageKind.GEOLOGICAL,
        "",
        "510300",
        "一亿多年前，自贡一带生活着大量恐龙，这里发现的化石让人们了解到侏罗纪恐龙的样子。",
    ),
    (
        "九寨沟钙华湖群",
        c.HeritageKind.GEOLOGICAL,
        "",
        "513225",
        "湖水中的碳酸钙慢慢沉积，形成了一级级的钙华堤坝，湖水因此清澈多彩。",
    ),
    (
        "黄龙钙华池",
        c.HeritageKind.GEOLOGICAL,
        "",
        "513224",
        "富含碳酸钙的泉水顺山流下，像一条金色的巨龙，沉积出数千个彩色水池。",
    ),
    (
        "海螺沟冰川",
        c.HeritageKind.GEOLOGICAL,
        "",
        "513322",
        "海螺沟冰川是低海拔的现代冰川，冰川一直延伸到森林里，记录着气候的变化。",
    ),
    (
        "映秀汶川地震遗址",
        c.HeritageKind.GEOLOGICAL,
        "",
        "513221",
        "2008年汶川大地震留下的遗址，保留了断层和倒塌的建筑，提醒人们认识地震、学会避险。",
    ),
    (
        "兴文石海天坑",
        c.HeritageKind.GEOLOGICAL,
        "",
        "511528",
        "雨水长期溶蚀石灰岩，形成了巨大的天坑和溶洞，是喀斯特地貌的典型代表。",
    ),
]


def load_demo(size: int = 3000, seed: int = 2026) -> dict:
    if Resource.objects.filter(resource_type=RT.POLICY, title=POLICIES[0][1]).exists():
        return {"resources": 0}
    return _Demo(random.Random(seed), max(size, 150)).run()


class _Demo:
    def __init__(self, rng, size):
        self.rng = rng
        self.size = size
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.province = Region.objects.get(code=PROVINCE)
        regions = list(Region.objects.subtree(self.province))
        self.by_code = {r.code: r for r in regions}
        self.counties = [r for r in regions if r.level == RegionLevel.COUNTY]
        self.orgs_by_region: dict[int, list] = {}
        for org in Organization.objects.filter(
            region__path__startswith=self.province.path, is_active=True
        ).select_related("region"):
            self.orgs_by_region.setdefault(org.region_id, []).append(org)
        self.centres = self._centres()
        # Big cities hold more of the catalog (Chengdu about a third).
        self.weights = [
            8 if r.code.startswith("5101") else 3 if r.code[:4] in ("5107", "5103", "5105") else 1
            for r in self.counties
        ]
        self.titles = set()

    def _centres(self) -> dict[str, tuple[float, float]]:
        path = Path(settings.MAP_GEOJSON_DIR) / f"{PROVINCE}.json"
        try:
            features = json.loads(path.read_text(encoding="utf-8"))["features"]
        except (OSError, ValueError, KeyError):
            return {}
        centres = {}
        for feature in features:
            props = feature.get("properties", {})
            if props.get("adcode") and props.get("cp"):
                centres[str(props["adcode"])[:4]] = tuple(props["cp"])
        return centres

    def point(self, region) -> tuple[Decimal, Decimal] | tuple[None, None]:
        centre = self.centres.get(region.code[:4])
        if centre is None:
            return None, None
        lon = centre[0] + self.rng.uniform(-0.25, 0.25)
        lat = centre[1] + self.rng.uniform(-0.18, 0.18)
        return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")

    def county(self):
        return self.rng.choices(self.counties, weights=self.weights)[0]

    def owner(self, region):
        candidates = self.orgs_by_region.get(region.pk) or self.orgs_by_region.get(
            region.parent_id, []
        )
        return self.rng.choice(candidates) if candidates else None

    def unique(self, title, region, *, place=False):
        """A title not used yet: a second venue of a name becomes a branch (分馆); a
        second work of a title becomes another edition; beyond that a title repeats, as it does
        in real catalogs (many units publish a 防震减灾手册)."""
        variants = [title]
        if place:
            variants += [f"{title}{branch}" for branch in BRANCHES]
        else:
            variants += [f"{title}（{edition}）" for edition in EDITIONS]
            variants += [f"{title}（{year}年版）" for year in range(self.today.year, 2019, -1)]
        for candidate in variants:
            if candidate not in self.titles:
                self.titles.add(candidate)
                return candidate
        return title

    # --- the entries ------------------------------------------------------------------

    def policies(self) -> list[tuple[str, dict]]:
        items = []
        for filename, title, issuer, issued in POLICIES:
            body = (DATA / filename).read_text(encoding="utf-8").strip()
            items.append(
                (
                    RT.POLICY,
                    None,
                    {
                        "title": title,
                        "region": self.province,
                        "summary": f"{issuer}{issued.year}年印发，全文收录于政策库。",
                        "keywords": "科普、政策文件",
                        "issuer": issuer,
                        "issued_on": issued,
                        "body": body,
                        "groups": [G.OFFICIALS, G.GENERAL],
                        "topics": [],
                        "hazards": [],
                    },
                )
            )
        return items

    def heritage(self) -> list:
        items = []
        for name, kind, latin, code, plain in HERITAGE:
            region = self.by_code.get(code) or self.province
            lat, lon = self.point(region)
            items.append(
                (
                    RT.HERITAGE,
                    self.owner(region),
                    {
                        "title": name,
                        "region": region,
                        "summary": plain[:60],
                        "heritage_kind": kind,
                        "scientific_name": latin,
                        "plain_description": plain,
                        "latitude": lat,
                        "longitude": lon,
                        "groups": [G.YOUTH, G.GENERAL],
                        "topics": [T.ECOLOGY],
                        "hazards": [],
                    },
                )
            )
        return items

    def address(self, region) -> str:
        return f"{region.full_name}{self.rng.choice(STREETS)}{self.rng.randint(1, 99)}号"

    def place(self, region):
        kind, patterns, topics = self.rng.choice(PLACES)
        org = self.owner(region)
        city = self.by_code.get(region.code[:4])
        title = self.rng.choice(patterns).format(
            county=region.name, city=city.name if city else "", org=org.name if org else region.name
        )
        lat, lon = self.point(region)
        groups = sorted({G.YOUTH, *self.rng.sample([G.GENERAL, G.ELDERLY, G.FARMERS], 1)})
        return (
            RT.PLACE,
            org,
            {
                "title": self.unique(title, region, place=True),
                "region": region,
                "summary": f"位于{region.name}，面向公众开放的{c.PlaceKind(kind).label}。",
                "description": "常设展区与互动体验项目，节假日开展科普讲座和科学实验活动。",
                "keywords": "、".join(str(T(t).label) for t in topics),
                "place_kind": kind,
                "address": self.address(region),
                "latitude": lat,
                "longitude": lon,
                "opening_hours": self.rng.choice(
                    [
                        "周二至周日 9:00—17:00",
                        "每天 9:00—17:30",
                        "周三至周日 9:30—16:30（节假日照常开放）",
                    ]
                ),
                "capacity": self.rng.choice([200, 300, 500, 800, 1200, 2000]),
                "booking_info": self.rng.choice(
                    ["免费开放，团体请提前3天预约", "凭身份证免费入馆", "微信公众号预约"]
                ),
                "groups": groups,
                "topics": list(topics),
                "hazards": [t for t in topics if t in HAZARD_CODES],
                "is_emergency": any(t in HAZARD_CODES for t in topics),
            },
        )

    def work(self, region):
        # Every title as likely as any other (topics with more titles come up more).
        topic = self.rng.choice([t for t, titles in WORKS.items() for _ in titles])
        kind, _form = self.rng.choice(WORK_FORMS)
        base = self.rng.choice(WORKS[topic])
        # The form (动画, 课程 …) is the kind of work, not part of the title.
        title = f"《{base}》" if kind == c.WorkKind.BOOK else base
        org = self.owner(region)
        hazard = topic in HAZARD_CODES
        return (
            RT.WORK,
            org,
            {
                "title": self.unique(title, region),
                "region": region,
                "summary": f"围绕“{base}”，用通俗的语言讲清{T(topic).label}方面的科学知识。",
                "keywords": str(T(topic).label),
                "work_kind": kind,
                "authors": f"{org.name if org else region.name}科普创作组",
                "publisher": self.rng.choice(
                    ["四川科学技术出版社", "四川教育出版社", "天府科普云", ""]
                ),
                "published_on": self.today - datetime.timedelta(days=self.rng.randint(30, 1500)),
                "duration_minutes": self.rng.choice([5, 8, 12, 20, 45])
                if kind in (c.WorkKind.VIDEO, c.WorkKind.COURSE)
                else None,
                "groups": AUDIENCE[topic][: self.rng.randint(1, len(AUDIENCE[topic]))],
                "topics": [topic],
                "hazards": [topic] if hazard else [],
                "is_emergency": hazard,
            },
        )

    def thing(self, region, rtype):
        table = {RT.FACILITY: FACILITIES, RT.PRODUCT: PRODUCTS, RT.INFORMATION: INFORMATION}[rtype]
        pattern, topic = self.rng.choice(table)
        org = self.owner(region)
        title = pattern.format(county=region.name)
        if rtype == RT.FACILITY:
            title = f"{org.name if org else region.name}{title}"
        content = {
            "title": self.unique(title, region),
            "region": region,
            "summary": f"{region.name}可共享的{c.ResourceType(rtype).label}，服务基层科普。",
            "keywords": str(T(topic).label),
            "groups": AUDIENCE.get(topic, [G.GENERAL])[:2],
            "topics": [topic],
            "hazards": [topic] if topic in HAZARD_CODES else [],
            "is_emergency": topic in HAZARD_CODES,
        }
        if rtype in (RT.FACILITY, RT.PRODUCT):
            content["specification"] = self.rng.choice(
                ["成套设备，含使用说明", "标准版", "可移动式"]
            )
            content["quantity"] = self.rng.randint(1, 12)
            content["sharing_terms"] = "向辖区学校和社区免费借用，提前一周预约"
        if rtype == RT.FACILITY:
            content["address"] = f"{region.full_name}"
        if rtype == RT.INFORMATION:
            content["publisher"] = org.name if org else region.name
            content["published_on"] = self.today - datetime.timedelta(days=self.rng.randint(1, 200))
        return rtype, org, content

    def generated(self) -> list:
        kinds = (
            [RT.PLACE] * 30
            + [RT.WORK] * 40
            + [RT.FACILITY] * 10
            + [RT.PRODUCT] * 8
            + [RT.INFORMATION] * 12
        )
        items = []
        for _ in range(self.size):
            region = self.county()
            rtype = self.rng.choice(kinds)
            if rtype == RT.PLACE:
                items.append(self.place(region))
            elif rtype == RT.WORK:
                items.append(self.work(region))
            else:
                items.append(self.thing(region, rtype))
        return items

    # --- writing ----------------------------------------------------------------------

    @transaction.atomic
    def run(self) -> dict:
        # The entries' texts are data: written in Chinese whatever the command's language.
        with translation.override("zh-hans"):
            return self._run()

    def _run(self) -> dict:
        expert_memberships = self.experts()
        fixed = self.policies() + self.heritage()
        items = self.generated()
        # Workflow share: the last entries go through the services.
        n_flow = max(len(items) // 8, 12)
        published = fixed + items[:-n_flow]
        flow = items[-n_flow:]
        resources = self.bulk_publish(published)
        self.manage_some(resources)
        in_flow = self.workflow(flow, expert_memberships)
        # The published entries were written in bulk: their counters from the raw rows.
        counted.rebuild()
        return {"published": len(resources), "in workflow": in_flow}

    def bulk_publish(self, items) -> list:
        rows = []
        for rtype, org, content in items:
            resource = Resource(resource_type=rtype, organization=org)
            services.set_fields(resource, content)
            services.refresh_search_text(resource)
            published = self.now - datetime.timedelta(days=self.rng.randint(1, 760))
            resource.status = c.ResourceStatus.PUBLISHED
            resource.published_at = published
            resource.created_at = published - datetime.timedelta(days=self.rng.randint(5, 30))
            resource.review_by = services.add_years(
                timezone.localdate(published), services.review_years()
            )
            resource.live_version = 1
            rows.append((resource, content))
        Resource.objects.bulk_create([r for r, _ in rows], batch_size=500)
        for resource, _ in rows:
            resource.listing_number = services.listing_number_for(resource).replace(
                f"-{self.today.year}-", f"-{resource.published_at.year}-"
            )
        Resource.objects.bulk_update([r for r, _ in rows], ["listing_number"], batch_size=500)
        # Last changed when published (`auto_now` stamped the loading time).
        Resource.objects.filter(pk__in=[r.pk for r, _ in rows]).update(updated_at=F("published_at"))
        ResourceTag.objects.bulk_create(
            [
                ResourceTag(resource=resource, kind=kind, code=code)
                for resource, content in rows
                for name, kind in services.TAG_LISTS.items()
                for code in sorted(set(content.get(name) or []))
            ],
            batch_size=1000,
        )
        versions = [
            ResourceVersion(
                resource=resource,
                number=1,
                data=services.to_data(content),
                status=c.VersionStatus.APPROVED,
                created_at=resource.created_at,
                submitted_at=resource.created_at,
                # Checked two days after the application (it was sent 5 to 30 days
                # before publication): the order of the services' steps.
                checked_at=resource.created_at + datetime.timedelta(days=2),
                decided_at=resource.published_at,
            )
            for resource, content in rows
        ]
        ResourceVersion.objects.bulk_create(versions, batch_size=500)
        ResourceEvent.objects.bulk_create(
            [
                ResourceEvent(
                    resource=v.resource, version=v, action=c.EventAction.PUBLISHED, at=v.decided_at
                )
                for v in versions
            ],
            batch_size=1000,
        )
        resources = [r for r, _ in rows]
        audit.bulk_record("resources.resource.created", resources, detail={"via": "demo"})
        return resources

    def manage_some(self, resources):
        generated = [r for r in resources if r.resource_type not in (RT.POLICY, RT.HERITAGE)]
        for resource in generated[:: max(len(generated) // 12, 1)][:12]:
            action = self.rng.choice(["suspend", "withdraw"])
            reason = "场馆改造，暂停开放" if action == "suspend" else "单位撤销，资源不再提供"
            services.manage(resource, actor=None, action=action, reason=reason)

    def experts(self) -> list:
        """The demo expert (周明远 of 四川大学, in the provincial science expert pool) and
        the pool members who already have accounts (the demo creates no accounts: those
        are the core demo's)."""
        pool = (
            ExpertPool.objects.filter(region=self.province, is_active=True).order_by("pk").first()
        )
        if pool is None:
            return []
        memberships = []
        account = User.objects.filter(username="demo-expert").first()
        if account is not None:
            person = Person.objects.filter(user=account).first()
            if person is None:
                person = Person(
                    name="周明远",
                    region=self.province,
                    organization=Organization.objects.filter(name="四川大学").first(),
                    title="教授",
                    specialties="地震科学、防灾减灾、科学传播",
                    user=account,
                )
                people_services._refresh_search(person)  # searchable like any registration
                person.save()
            membership, _ = PoolMembership.objects.get_or_create(pool=pool, person=person)
            for topic in (T.EARTHQUAKE, T.GEOHAZARD, T.SPACE, T.ECOLOGY):
                MembershipTopic.objects.get_or_create(membership=membership, topic=topic)
            people_counters.rebuild_all()  # the rows above bypass the people services
            memberships.append(membership)
        memberships += PoolMembership.objects.filter(
            pool__region=self.province, pool__is_active=True, person__user__isnull=False
        ).select_related("person", "person__user", "pool")
        # One membership per expert (an expert may sit in several pools).
        return list({m.person_id: m for m in memberships}.values())

    def workflow(self, items, memberships) -> int:
        officer = User.objects.filter(username="demo-province").first()
        count = 0
        for index, (rtype, org, content) in enumerate(items):
            resource = services.create_resource(
                actor=None,
                resource_type=rtype,
                organization=org,
                content=content,
                note="请审核。" if index % 3 else "",
                audit_entry=True,
            )
            count += 1
            stage = index % 6
            if stage == 0:
                continue  # a draft
            services.submit_version(resource, actor=None)
            if stage == 1 or not memberships:
                continue  # waiting for the completeness check
            if stage == 2:
                services.check_completeness(
                    resource, actor=officer, complete=False, note="请补充展品清单和开放时间的说明。"
                )
                continue
            eligible = [m for m in memberships if not services.conflict_reason(resource, m.person)]
            if not eligible:
                continue
            # Two experts each, in turn (the demo expert gets a share, not all).
            start = index % len(eligible)
            chosen = list(
                {m.person_id: m for m in (eligible + eligible)[start : start + 2]}.values()
            )
            version = services.check_completeness(
                resource, actor=officer, complete=True, reviewers=chosen
            )
            if stage in (3, 4):
                continue  # in review, the experts' reviews outstanding
            for assignment in version.assignments.select_related("reviewer__user"):
                services.file_review(
                    assignment,
                    actor=assignment.reviewer.user,
                    verdict=c.Verdict.ACCURATE,
                    comments="内容科学准确，表述通俗易懂。",
                    facts_correct=True,
                    sources_reliable=True,
                    fits_audience=True,
                )
        return count
