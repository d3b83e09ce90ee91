"""Demo activities for the Sichuan demo province (51): this year's campaigns and theme
days (and last year's 全国科普日), two mobile facilities on tour, and about `size`
activities in every status with their review histories, after-event reports and sign-ups.

Deterministic for a given day (a seeded generator; dates follow today, so the demo always
has past and upcoming activities) and idempotent: a second run creates nothing. Rows are
bulk-created without the services, so the invariants the services keep are kept here by
construction: an activity ends after it starts, never has more confirmed sign-ups than
places, has a waiting list only when it is full, gets its report due date when approved,
and phone numbers are sealed, blind-indexed and masked exactly as `services.sign_up` does.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kepu.activities import choices as c
from kepu.activities import services
from kepu.activities.models import (
    Activity,
    ActivityReport,
    ActivityTag,
    Campaign,
    MobileFacility,
    ReviewDecision,
    SignUp,
)
from kepu.core import audit, crypto, pii
from kepu.core.choices import KeyGroup as G
from kepu.core.choices import OrgType, RegionLevel
from kepu.core.choices import Topic as T
from kepu.core.models import Organization, PrivacyNotice, Region, User
from kepu.core.search import search_text

PROVINCE = "51"
COUNTY_A = "510104"  # 锦江区: demo-county-a
COUNTY_B = "510703"  # 涪城区: demo-county-b
MEMBER_UNIT = "四川省教育厅"  # demo-member
BRAND = "天府科技云讲堂"
K = c.ActivityKind
S = c.ActivityStatus

# name, kind, operator, what it carries
FACILITIES = [
    (
        "四川省科协科普大篷车（1号车）",
        c.FacilityKind.CARAVAN,
        "四川省科学技术协会",
        "车载展品40余件，涵盖航天、机器人、应急避险和健康生活，深入县乡和学校巡回展出。",
    ),
    (
        "中国流动科技馆四川巡展（一队）",
        c.FacilityKind.MOBILE_MUSEUM,
        "四川科技馆",
        "主题展区包括声光体验、数学魅力、健康生活和安全自护，每站展出约一个月。",
    ),
]

# Rough centres of the prefectures, for a few map pins (jittered per activity).
CENTRES = {
    "5101": (30.66, 104.07),
    "5103": (29.34, 104.78),
    "5104": (26.58, 101.72),
    "5105": (28.87, 105.44),
    "5106": (31.13, 104.40),
    "5107": (31.47, 104.68),
    "5108": (32.43, 105.84),
    "5109": (30.53, 105.59),
    "5110": (29.58, 105.06),
    "5111": (29.55, 103.77),
    "5113": (30.84, 106.11),
    "5114": (30.08, 103.85),
    "5115": (28.77, 104.63),
    "5116": (30.46, 106.63),
    "5117": (31.21, 107.47),
    "5118": (29.98, 103.01),
    "5119": (31.87, 106.75),
    "5120": (30.12, 104.63),
    "5132": (31.90, 102.22),
    "5133": (30.05, 101.96),
    "5134": (27.88, 102.27),
}


def _words(text: str) -> list[str]:
    return text.split()


def _templates(text: str) -> dict[str, list[tuple]]:
    """Title templates by set: "set | title | kind | topics | key groups" per line."""
    sets: dict[str, list[tuple]] = {}
    for line in text.strip().splitlines():
        key, title, kind, topics, groups = (cell.strip() for cell in line.split("|"))
        sets.setdefault(key, []).append(
            (title, K(kind), tuple(map(T, topics.split())), tuple(map(G, groups.split())))
        )
    return sets


ROADS = _words(
    "人民路 建设路 解放路 滨江路 文化路 光明路 新华路 学府路 长江路 育才路 府河路 锦绣路"
)
VENUES = {
    K.LECTURE: _words("社区党群服务中心 社区文化活动室 新时代文明实践站 图书馆报告厅"),
    K.SHOW: _words("文化广场 少年宫剧场 学校礼堂"),
    K.EXHIBITION: _words("文化广场 文化馆展厅 科普广场 社区广场"),
    K.CONTEST: _words("青少年活动中心 实验中学体育馆"),
    K.TRAINING: _words("社区党群服务中心 职工之家 农民夜校 应急救护培训基地"),
    K.FIELD_TRIP: _words("科普教育基地 湿地公园 农业科技示范园 天文台"),
    K.OPEN_DAY: _words("科普教育基地 气象站 污水处理厂"),
    K.LAB_OPEN: _words("科研楼 实验楼"),
}
# Laboratories that open their doors, and the county they are in (an open day is held there).
LABS = [
    ("四川大学华西医院转化医学研究中心", "510107"),
    ("中国科学院成都生物研究所", "510107"),
    ("国家超算成都中心", "510116"),
    ("成都理工大学地质灾害防治国家重点实验室", "510108"),
    ("西南科技大学环境与资源学院实验室", COUNTY_B),
    ("四川省地震局地震监测中心", "510107"),
    ("四川省农业科学院作物研究所", COUNTY_A),
    ("电子科技大学智能感知实验室", "510117"),
    ("成都大熊猫繁育研究基地科研中心", "510108"),
    ("四川省气象台", "510107"),
]
SHOWS = _words("奇妙的空气 光影魔术 液氮的秘密 电的奥秘 声音的形状 趣味化学 泡泡科学")
CROPS = _words("柑橘 茶叶 猕猴桃 水稻 花椒 晚熟芒果 中药材 设施蔬菜 油菜")
SKIES = _words("月球环形山 木星与土星 英仙座流星雨 冬季星空 夏夜银河")
# Lecture subjects with their science topics (set names are unused here).
LECTURES = [
    (title, topics)
    for title, _kind, topics, _groups in _templates(
        """
        - | 人工智能如何改变生活 | lecture | ai | general
        - | 地震来了怎么办 | lecture | earthquake | general
        - | 大熊猫的保护与繁育 | lecture | ecology | general
        - | 从超级计算到量子计算 | lecture | ai | general
        - | 碳达峰碳中和知多少 | lecture | ecology | general
        - | 探秘中国空间站 | lecture | space | general
        - | 秋冬季呼吸道传染病防治 | lecture | epidemic health | general
        - | 川茶里的科学 | lecture | agriculture | general
        - | 滑坡泥石流的识别与避险 | lecture | geohazard | general
        - | 极端天气的成因与防范 | lecture | weather | general
        - | 合理膳食与食品安全 | lecture | food health | general
        - | 核与辐射安全常识 | lecture | nuclear | general
        - | 家庭用电用气安全 | lecture | fire chemical | general
        - | 北斗导航与我们的生活 | lecture | space | general
        - | 科学认识抑郁症 | lecture | health | general
        - | 洪涝灾害中的自救互救 | lecture | flood | general
        """
    )["-"]
]
# Placeholders: {place} township or county, {lab}, {show}, {crop}, {sky}, {lecture},
# {school}, {theme} (the campaign's theme). "generic" fits any day; "education" is what
# the member unit 四川省教育厅 organizes; the others fit the campaign of that key.
TEMPLATES = _templates(
    """
    generic | {place}社区防灾减灾科普讲座 | lecture | earthquake geohazard | general elderly
    generic | 走进{lab}开放日 | lab_open | ai health ecology | youth general
    generic | {show}科学秀 | show | | youth
    generic | {place}青少年科技创新大赛 | contest | ai space | youth
    generic | {place}老年人智能手机使用培训 | training | | elderly
    generic | {crop}种植技术田间课堂 | field_trip | agriculture | farmers
    generic | {crop}绿色高效栽培技术培训 | training | agriculture | farmers
    generic | {place}应急救护知识培训 | training | health | general workers
    generic | 天文观测夜：{sky} | field_trip | space | youth general
    generic | 人工智能科普进校园·{school} | lecture | ai | youth
    generic | {place}科普大集 | exhibition | health agriculture food | farmers
    generic | 科学家进社区：{lecture} | lecture | | general elderly
    generic | {place}企业职工安全生产知识讲座 | lecture | fire chemical | workers
    generic | 领导干部科学素质专题讲座：{lecture} | lecture | | officials
    generic | 云上科普直播：{lecture} | live | | general youth
    generic | {place}气象防灾减灾科普进社区 | lecture | weather flood | general
    generic | {place}健康生活方式科普讲座 | lecture | health | elderly general
    generic | {place}汛期防灾避险演练 | training | flood geohazard | general farmers
    generic | {place}科普开放日 | open_day | ecology weather | general youth
    generic | {place}机器人编程体验营 | training | ai | youth
    education | 人工智能科普进校园·{school} | lecture | ai | youth
    education | {place}青少年科技创新大赛 | contest | ai space | youth
    education | {show}科学秀 | show | | youth
    education | 食品安全进校园·{school} | lecture | food | youth
    education | 走进{lab}开放日 | lab_open | ai ecology | youth
    education | {school}校园防震减灾疏散演练 | training | earthquake | youth
    water | {place}节约用水科普宣传 | exhibition | ecology | general
    water | “节水护水”小小水利员研学 | field_trip | ecology flood | youth
    earth | “珍爱地球”{place}地质科普展 | exhibition | geohazard ecology | general
    earth | {place}垃圾分类科普进社区 | lecture | ecology | general elderly
    disaster | {place}社区防灾减灾科普讲座 | lecture | earthquake geohazard | general
    disaster | {place}地震应急避险演练 | training | earthquake | general youth
    disaster | {place}防灾减灾主题科普展 | exhibition | earthquake flood | general
    smoke | {place}世界无烟日控烟科普讲座 | lecture | health | general youth
    environment | {place}生态环境科普开放日 | open_day | ecology | general
    environment | 美丽中国·{place}生态科普行 | field_trip | ecology | youth general
    safety | {place}安全生产月应急演练 | training | fire chemical | workers
    safety | {place}企业危化品安全科普讲座 | lecture | chemical | workers officials
    food | {place}食品安全科普讲座 | lecture | food | general elderly
    food | 食品安全进校园·{school} | lecture | food | youth
    carbon | {place}低碳生活科普宣传 | exhibition | ecology | general
    carbon | 领导干部科学素质专题讲座：碳达峰碳中和知多少 | lecture | ecology | officials
    defence | {place}全民国防教育科普展 | exhibition | space | youth general
    defence | 国防科技知识讲座·{school} | lecture | space ai | youth
    fire | {place}消防安全疏散演练 | training | fire | general youth
    fire | {place}消防宣传进社区 | lecture | fire | elderly general
    science_day | “{theme}”主题科普展 | exhibition | ai space ecology | general
    science_day | {place}全国科普日主题活动 | exhibition | health ai | general youth
    tech_week | “{theme}”主题科普展 | exhibition | ai space | general
    tech_week | 走进{lab}开放日 | lab_open | ai health | youth general
    """
)
RETURN_REASONS = [
    "活动地址不够具体，请补充详细地址和现场联系人。",
    "参与人数超过200人，请补充安全应急预案。",
    "主讲专家信息缺失，请补充专家姓名与职称。",
    "活动内容涉及医疗建议，请附卫生健康部门审核意见。",
    "报名人数上限与场地容量不符，请核实后修改。",
    "活动标题表述不规范，请修改后重新提交。",
    "活动简介过于简单，请补充活动流程和科普内容。",
]
REJECT_REASONS = [
    "活动内容以商业推广为主，不属于公益科普活动。",
    "与已发布的活动重复，请勿重复申报。",
    "活动内容存在伪科学表述，不予通过。",
    "活动时间与场地均无法落实，请重新策划后另行申报。",
]
CANCEL_REASONS = [
    "受强降雨天气影响，活动取消。",
    "场地临时检修，活动取消。",
    "报名人数不足，活动取消。",
    "主讲专家因故无法到场，活动取消，另行安排。",
    "与上级部门重要活动时间冲突，活动取消。",
]
EFFECTS = [
    "通过讲解、互动体验和现场问答普及了相关科学知识，群众反响良好",
    "现场发放科普资料{m}份，解答群众咨询{k}人次",
    "邀请专家现场答疑，参与群众纷纷表示收获很大",
    "活动结合本地实际，形式新颖，参与度高",
    "科技志愿者全程参与服务，活动秩序良好",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红玲兰飞鹏辉林建国志宏晓云雪梅丹琳婷宇浩然子涵欣怡思雨嘉俊梓轩一诺雨桐锦程天佑"  # noqa: E501
SIGNUP_KINDS = (K.LECTURE, K.SHOW, K.LAB_OPEN, K.TRAINING, K.FIELD_TRIP, K.CONTEST)
GROUP_NAMES = {
    G.YOUTH: "青少年",
    G.FARMERS: "农民",
    G.WORKERS: "产业工人",
    G.ELDERLY: "老年人",
    G.OFFICIALS: "领导干部和公务员",
    G.GENERAL: "社会公众",
}
KIND_NAMES = {
    K.LECTURE: "专题讲座",
    K.EXHIBITION: "科普展览",
    K.CONTEST: "竞赛",
    K.OPEN_DAY: "开放参观",
    K.SHOW: "科学表演",
    K.LIVE: "线上直播",
    K.LAB_OPEN: "实验室开放",
    K.TRAINING: "培训和演练",
    K.FIELD_TRIP: "实地研学",
}
# Status weights of activities that have started and of upcoming ones.
PAST_STATUSES = {
    S.PUBLISHED: 82,
    S.CANCELLED: 6,
    S.REJECTED: 5,
    S.DRAFT: 3,
    S.RETURNED: 1,
    S.SUBMITTED: 1,
}
FUTURE_STATUSES = {
    S.PUBLISHED: 48,
    S.SUBMITTED: 20,
    S.DRAFT: 14,
    S.RETURNED: 9,
    S.REJECTED: 4,
    S.CANCELLED: 5,
}


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """The n-th `weekday` (Monday 0) of a month."""
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _md(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


def _campaign_specs(year: int) -> list[dict]:
    """This year's campaigns: (key, name, kind, start, end, theme, description, weight of
    the activities that join it)."""
    d = datetime.date
    science_sat = _nth_weekday(year, 9, 5, 3)
    week_start = _nth_weekday(year, 5, 5, 3)
    provincial = _nth_weekday(year, 10, 0, 3)
    food = _nth_weekday(year, 6, 0, 2)
    carbon = _nth_weekday(year, 6, 2, 3)
    defence = _nth_weekday(year, 9, 5, 3)
    one_day = datetime.timedelta(days=1)
    rows = [
        ("science_day", f"{year}年全国科普日", c.CampaignKind.SCIENCE_DAY,
         d(year, 9, 1), d(year, 9, 30), "提升全民科学素质 协力建设科技强国",
         f"九月为全国科普月，{_md(science_sat)}—{_md(science_sat + one_day)}"
         "（第三个周末）为全国科普日集中活动。", 30),
        ("tech_week", f"{year}年全国科技活动周", c.CampaignKind.TECH_WEEK,
         week_start, week_start + datetime.timedelta(days=7), "热爱科学 崇尚科学",
         "全国科技活动周暨四川省科技活动周，科研院所、高校实验室集中向公众开放。", 14),
        ("science_week", f"{year}年四川省科普宣传周", c.CampaignKind.SCIENCE_WEEK,
         provincial, provincial + datetime.timedelta(days=6), "科普惠民 共享天府",
         "全省各级科协联合成员单位开展科普进社区、进农村、进学校、进企业活动。", 10),
        ("water", f"{year}年世界水日·中国水周", c.CampaignKind.THEME_DAY,
         d(year, 3, 22), d(year, 3, 22), "精打细算用好水资源 从严从细管好水资源",
         "3月22日世界水日，3月22日至28日为中国水周。", 4),
        ("earth", f"{year}年世界地球日", c.CampaignKind.THEME_DAY,
         d(year, 4, 22), d(year, 4, 22), "珍爱地球 人与自然和谐共生", "", 4),
        ("disaster", f"{year}年防灾减灾日", c.CampaignKind.THEME_DAY,
         d(year, 5, 12), d(year, 5, 12), "人人讲安全、个个会应急——着力提升基层防灾避险能力",
         "5月12日全国防灾减灾日，重点开展地震、地质灾害避险科普和应急演练。", 8),
        ("smoke", f"{year}年世界无烟日", c.CampaignKind.THEME_DAY,
         d(year, 5, 31), d(year, 5, 31), "保护青少年免受烟草危害", "", 3),
        ("environment", f"{year}年世界环境日", c.CampaignKind.THEME_DAY,
         d(year, 6, 5), d(year, 6, 5), "全面推进美丽中国建设", "", 5),
        ("safety", f"{year}年安全生产月", c.CampaignKind.THEME_DAY,
         d(year, 6, 1), d(year, 6, 30), "人人讲安全、个个会应急——畅通生命通道",
         "六月为全国安全生产月。", 6),
        ("food", f"{year}年食品安全宣传周", c.CampaignKind.THEME_DAY,
         food, food + datetime.timedelta(days=6), "尚俭崇信 守护阳光下的餐桌", "", 4),
        ("carbon", f"{year}年全国低碳日", c.CampaignKind.THEME_DAY,
         carbon, carbon, "绿色转型 低碳先行", "全国节能宣传周的第三天为全国低碳日。", 3),
        ("defence", f"{year}年全民国防教育日", c.CampaignKind.THEME_DAY,
         defence, defence, "强国强军 同心筑梦", "九月第三个星期六为全民国防教育日。", 3),
        ("fire", f"{year}年“119”消防宣传日", c.CampaignKind.THEME_DAY,
         d(year, 11, 9), d(year, 11, 9), "预防为主 生命至上", "11月9日全国消防日。", 5),
        ("brand", f"{BRAND}（{year}）", c.CampaignKind.BRAND,
         d(year, 1, 1), d(year, 12, 31), "名家讲科学 云上共分享",
         "省科协品牌科普活动：每月邀请院士专家线上开讲，全省同步收看。", 0),
    ]  # fmt: skip
    last_sat = _nth_weekday(year - 1, 9, 5, 3)
    rows.append(
        ("last_science_day", f"{year - 1}年全国科普日", c.CampaignKind.SCIENCE_DAY,
         d(year - 1, 9, 1), d(year - 1, 9, 30), "弘扬科学家精神 激发全社会创新活力",
         f"九月为全国科普月，{_md(last_sat)}—{_md(last_sat + one_day)}"
         "（第三个周末）为全国科普日集中活动。", 0)
    )  # fmt: skip
    keys = ("key", "name", "kind", "start", "end", "theme", "description", "weight")
    return [dict(zip(keys, row, strict=True)) for row in rows]


@transaction.atomic
def report_window(rng, now, ended, due_end, *, overdue: float, late: float = 0.14):
    """When an activity's report was filed, as a (from, to) window, or None when there is
    none yet: half of those still within the period, `overdue` of those past the due date
    (never filed); `late` of the rest came after the due date."""
    if due_end >= now:  # still within the reporting period
        if rng.random() < 0.5:
            return None
        is_late = False
    else:
        if rng.random() < overdue:  # overdue: no report
            return None
        is_late = rng.random() < late
    if is_late:
        window = (
            due_end + datetime.timedelta(hours=1),
            min(now, due_end + datetime.timedelta(days=25)),
        )
    else:
        window = (
            ended + datetime.timedelta(hours=2),
            min(now, due_end - datetime.timedelta(hours=8)),
        )
    if window[1] <= window[0]:  # just ended (or just due): nothing filed yet
        return None
    return window


def report_reach(rng, kind, expected_audience: int, checked_in: int) -> tuple[int, int]:
    """(on-site attendance, online views) a report gives."""
    if checked_in:
        onsite = checked_in + rng.randint(0, max(checked_in // 4, 1))
    else:
        onsite = max(5, int(expected_audience * rng.uniform(0.6, 1.3)))
    if kind == K.LIVE:
        return 0, rng.randint(8, 500) * 100
    return onsite, (rng.randint(100, 5000) if rng.random() < 0.15 else 0)


def load_demo(size: int = 3000, seed: int = 2025) -> dict:
    if MobileFacility.objects.filter(name=FACILITIES[0][0]).exists():  # already loaded
        return {"activities": 0}
    return _Demo(random.Random(seed), size).run()


class _Demo:
    def __init__(self, rng: random.Random, size: int):
        self.rng = rng
        self.size = max(size, 100)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.year = self.today.year
        self.tz = timezone.get_current_timezone()
        self.report_days = settings.KEPU_ACTIVITY_REPORT_DAYS
        self.province = Region.objects.get(code=PROVINCE)
        regions = list(Region.objects.subtree(self.province))
        self.by_code = {r.code: r for r in regions}
        self.by_id = {r.pk: r for r in regions}
        self.counties = sorted(
            (r for r in regions if r.level == RegionLevel.COUNTY), key=lambda r: r.code
        )
        self.towns: dict[int, list] = {}
        for r in regions:
            if r.level == RegionLevel.TOWNSHIP:
                self.towns.setdefault(r.parent_id, []).append(r)
        self.orgs: dict[int, list] = {}
        self.org_by_name = {}
        for org in Organization.objects.filter(
            region__path__startswith=self.province.path, is_active=True
        ).order_by("pk"):
            org.region = self.by_id[org.region_id]
            self.orgs.setdefault(org.region_id, []).append(org)
            self.org_by_name[org.name] = org
        usernames = ["demo-county-a", "demo-county-b", "demo-city", "demo-province", "demo-member"]
        self.users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        self.notice = PrivacyNotice.current()
        self.tickets: set[str] = set()
        self.activities: list[Activity] = []
        self.tags: list[ActivityTag] = []
        self.decisions: list[ReviewDecision] = []
        self.reports: list[ActivityReport] = []
        self.signups: list[SignUp] = []

    # --- helpers -----------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def between(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        return start + (end - start) * self.rng.random()

    def county_of(self, region: Region) -> Region:
        return region if region.level == RegionLevel.COUNTY else self.by_id[region.parent_id]

    def place_name(self, region: Region) -> str:
        """City, county and township names, without the province."""
        return "".join(self.by_code[code].name for code in region.ancestor_codes[1:])

    def reviewer(self, region: Region):
        """The most local demo officer whose region holds `region`."""
        for code, username in (
            (COUNTY_A, "demo-county-a"),
            (COUNTY_B, "demo-county-b"),
            ("5101", "demo-city"),
        ):
            if region.path.startswith(self.by_code[code].path):
                return self.users.get(username)
        return self.users.get("demo-province")

    def organizer(self, region: Region, *, school: bool) -> Organization:
        """An organization whose region holds `region`, most often a local one (a school
        only when the activity is for young people)."""
        county = self.county_of(region)
        local = self.orgs.get(county.pk, []) + (
            self.orgs.get(region.pk, []) if region is not county else []
        )
        if not school:
            local = [o for o in local if o.org_type != OrgType.SCHOOL] or local
        pools = [
            (local, 6),
            (self.orgs.get(county.parent_id, []), 2),
            (self.orgs.get(self.province.pk, []), 2),
        ]
        pools = [(pool, w) for pool, w in pools if pool]
        pool = self.rng.choices([p for p, _w in pools], weights=[w for _p, w in pools])[0]
        return self.rng.choice(pool)

    def random_day(self) -> datetime.date:
        """A day of this year (or, late in the year, of the next weeks), upcoming days
        somewhat over-represented so the portal always has a programme."""
        rng = self.rng
        first = datetime.date(self.year, 1, 1)
        last = max(datetime.date(self.year, 12, 31), self.today + datetime.timedelta(days=45))
        future_days = (last - self.today).days
        share = max(future_days / ((last - first).days + 1), 0.18)
        if future_days > 0 and (rng.random() < share or self.today <= first):
            day = self.today + datetime.timedelta(days=rng.randint(1, future_days))
        else:
            day = first + datetime.timedelta(days=rng.randint(0, (self.today - first).days))
        if day.weekday() < 5 and rng.random() < 0.35:  # many activities are at weekends
            moved = day + datetime.timedelta(days=5 - day.weekday())
            if moved <= last:
                day = moved
        return day

    def campaign_day(self, spec: dict) -> datetime.date:
        start, end = spec["start"], spec["end"]
        if spec["kind"] == c.CampaignKind.SCIENCE_DAY and self.rng.random() < 0.4:
            start = _nth_weekday(start.year, 9, 5, 3)  # the 科普日 weekend itself
            return start + datetime.timedelta(days=self.rng.randint(0, 1))
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    # --- the run -----------------------------------------------------------------------

    def run(self) -> dict:
        self.create_campaigns()
        self.create_facilities()
        self.plan_tours()
        self.plan_brand()
        self.plan_member_unit()
        self.plan_last_year()
        remaining = max(self.size - len(self.activities), 50)
        self.plan_regular(remaining)

        Activity.objects.bulk_create(self.activities, batch_size=500)
        ActivityTag.objects.bulk_create(self.tags, batch_size=2000)
        ReviewDecision.objects.bulk_create(self.decisions, batch_size=2000)
        ActivityReport.objects.bulk_create(self.reports, batch_size=1000)
        SignUp.objects.bulk_create(self.signups, batch_size=1000)
        audit.bulk_record("activities.campaign.created", self.campaigns, detail={"via": "demo"})
        audit.bulk_record(
            "activities.mobilefacility.created", self.facilities, detail={"via": "demo"}
        )
        audit.bulk_record("activities.activity.created", self.activities, detail={"via": "demo"})
        return {
            "campaigns": len(self.campaigns),
            "facilities": len(self.facilities),
            "activities": len(self.activities),
            "reports": len(self.reports),
            "signups": len(self.signups),
        }

    def create_campaigns(self) -> None:
        self.specs = {spec["key"]: spec for spec in _campaign_specs(self.year)}
        self.campaigns = [
            Campaign(
                name=spec["name"],
                kind=spec["kind"],
                year=spec["start"].year,
                theme=spec["theme"],
                start_date=spec["start"],
                end_date=spec["end"],
                region=self.province,
                description=spec["description"],
            )
            for spec in self.specs.values()
        ]
        existing = set(Campaign.objects.filter(region=self.province).values_list("name", flat=True))
        self.campaigns = [x for x in self.campaigns if x.name not in existing]
        Campaign.objects.bulk_create(self.campaigns)
        by_name = {
            x.name: x
            for x in Campaign.objects.filter(
                region=self.province, name__in=[s["name"] for s in self.specs.values()]
            )
        }
        for spec in self.specs.values():
            spec["campaign"] = by_name[spec["name"]]

    def create_facilities(self) -> None:
        self.facilities = []
        for name, kind, operator, description in FACILITIES:
            org = self.org_by_name[operator]
            self.facilities.append(
                MobileFacility(
                    name=name,
                    kind=kind,
                    organization=org,
                    region=org.region,
                    description=description,
                )
            )
        MobileFacility.objects.bulk_create(self.facilities)

    # --- plans -------------------------------------------------------------------------

    def plan_tours(self) -> None:
        """Each facility's stops: consecutive, non-overlapping, in different counties, all
        but the last three or so already over."""
        rng = self.rng
        outside = [r for r in self.counties if not r.code.startswith("5101")]
        rural = [r for r in outside if r.name.endswith("县")] or outside
        for facility in self.facilities:
            caravan = facility.kind == c.FacilityKind.CARAVAN
            stops = rng.randint(8, 10) if caravan else rng.randint(6, 8)
            pool = rural if caravan else [r for r in outside if r.code != COUNTY_B]
            counties = rng.sample(pool, stops)
            if not caravan:  # the mobile museum also visits demo-county-b's 涪城区
                counties[stops // 2] = self.by_code[COUNTY_B]
            length = (2, 3) if caravan else (21, 30)
            gap = (18, 30) if caravan else (6, 12)
            step = sum(length) // 2 + sum(gap) // 2
            day = self.today - datetime.timedelta(days=step * (stops - 3))
            org = facility.organization
            for number, county in enumerate(counties, 1):
                days = rng.randint(*length)
                starts_at = self.at(day, 9)
                ends_at = self.at(day + datetime.timedelta(days=days - 1), 17)
                if caravan:
                    title = f"科普大篷车走进{county.name}"
                    venue = rng.choice(["文化广场", "实验中学操场", "乡镇中心小学", "农贸市场广场"])
                    audience = rng.randint(8, 30) * 100
                else:
                    title = f"中国流动科技馆{county.name}巡展"
                    venue = rng.choice(["体育馆", "文化馆", "青少年活动中心"])
                    audience = rng.randint(50, 300) * 100
                campaign = self.campaign_for(day, ("science_day", "tech_week", "science_week"))
                activity = Activity(
                    title=title,
                    organization=org,
                    campaign=campaign,
                    kind=K.TOUR_STOP,
                    region=county,
                    address=f"{self.place_name(county)}{venue}",
                    starts_at=starts_at,
                    ends_at=ends_at,
                    volunteers_needed=rng.choice((5, 8, 10, 12)),
                    expected_audience=audience,
                    description=f"{facility.name}第{number}站。{facility.description}",
                    facility=facility,
                )
                self.coordinates(activity, county, always=True)
                if ends_at < self.now:
                    status = S.PUBLISHED
                else:
                    ahead = sum(
                        1
                        for a in self.activities
                        if a.facility is facility and a.ends_at > self.now
                    )
                    status = (
                        (S.PUBLISHED, S.PUBLISHED, S.SUBMITTED)[ahead] if ahead < 3 else S.DRAFT
                    )
                self.finish(
                    activity, (T.SPACE, T.AI, T.HEALTH), (G.YOUTH, G.FARMERS), status=status
                )
                day += datetime.timedelta(days=days + rng.randint(*gap))

    def campaign_for(self, day: datetime.date, keys) -> Campaign | None:
        for key in keys:
            spec = self.specs[key]
            if spec["start"] <= day <= spec["end"]:
                return spec["campaign"]
        return None

    def plan_brand(self) -> None:
        """天府科技云讲堂: an evening live lecture about twice a month, all year."""
        rng = self.rng
        spec = self.specs["brand"]
        names = ["四川省科学技术协会", "四川大学", "中国科学院成都分院", "四川科技馆"]
        names += ["西南科技大学", "四川省地震局"]
        hosts = [self.org_by_name[n] for n in names if n in self.org_by_name]
        count = max(6, self.size // 120)
        for i in range(count):
            day = spec["start"] + datetime.timedelta(days=int(i * 365 / count) + rng.randint(0, 6))
            org = rng.choice(hosts)
            lecture, topics = rng.choice(LECTURES)
            activity = Activity(
                title=f"{BRAND}·{lecture}",
                organization=org,
                campaign=spec["campaign"],
                kind=K.LIVE,
                region=org.region,
                address="线上直播",
                starts_at=self.at(day, 19, 30),
                ends_at=self.at(day, 21),
                online_url=f"https://live.example.cn/tianfu/{day:%Y%m%d}",
                expected_audience=rng.randint(20, 300) * 100,
                brand=BRAND,
                description=f"{BRAND}邀请专家围绕“{lecture}”线上开讲，并在线答疑。",
            )
            self.finish(activity, topics, (G.GENERAL, G.YOUTH, G.OFFICIALS))

    def plan_member_unit(self) -> None:
        """四川省教育厅 (the demo-member account's unit) in both persona counties, in every
        status, so its staff see drafts to edit, a review queue, reports to file."""
        org = self.org_by_name.get(MEMBER_UNIT)
        if org is None:
            return
        plan = [
            (S.DRAFT, 1),
            (S.SUBMITTED, 1),
            (S.SUBMITTED, 1),
            (S.RETURNED, 1),
            (S.PUBLISHED, 1),
            (S.PUBLISHED, 1),
            (S.PUBLISHED, -1),
            (S.PUBLISHED, -1),
            (S.PUBLISHED, -1),
            (S.REJECTED, 1),
            (S.CANCELLED, -1),
        ]
        first = datetime.date(self.year, 1, 1)
        for code in (COUNTY_A, COUNTY_B):
            county = self.by_code[code]
            for status, direction in plan:
                if direction > 0:
                    day = self.today + datetime.timedelta(days=self.rng.randint(2, 40))
                else:
                    past = max((self.today - first).days, 10)
                    day = self.today - datetime.timedelta(days=self.rng.randint(3, past))
                region = self.rng.choice(self.towns.get(county.pk, []) + [county])
                template = self.rng.choice(TEMPLATES["education"])
                self.regular(region, day, None, template, org=org, status=status)

    def plan_last_year(self) -> None:
        """Last year's 全国科普日, for the year-on-year comparison."""
        spec = self.specs["last_science_day"]
        for _i in range(max(10, self.size // 30)):
            region = self.pick_region()
            template = self.template_for("science_day")
            self.regular(region, self.campaign_day(spec), spec, template)

    def plan_regular(self, count: int) -> None:
        rng = self.rng
        keys = [k for k, s in self.specs.items() if s["weight"]]
        weights = [self.specs[k]["weight"] for k in keys]
        fixed = [self.by_code[COUNTY_A]] * 40 + [self.by_code[COUNTY_B]] * 30
        for i in range(count):
            region = self.pick_region(fixed[i] if i < len(fixed) else None)
            spec = None
            if rng.random() < 0.45:
                spec = self.specs[rng.choices(keys, weights=weights)[0]]
            day = self.campaign_day(spec) if spec else self.random_day()
            self.regular(region, day, spec, self.template_for(spec["key"] if spec else None))

    def pick_region(self, county: Region | None = None) -> Region:
        if county is None:
            if not hasattr(self, "county_weights"):
                self.county_weights = [
                    8 if r.code.startswith("5101") else 3 if r.code[:4] in ("5107", "5106") else 1
                    for r in self.counties
                ]
            county = self.rng.choices(self.counties, weights=self.county_weights)[0]
        towns = self.towns.get(county.pk, [])
        return self.rng.choice(towns) if towns and self.rng.random() < 0.55 else county

    def template_for(self, key: str | None):
        themed = TEMPLATES.get(key.removeprefix("last_")) if key else None
        if themed and self.rng.random() < 0.7:
            return self.rng.choice(themed)
        return self.rng.choice(TEMPLATES["generic"])

    # --- one activity --------------------------------------------------------------------

    def regular(self, region, day, spec, template, *, org=None, status=None) -> None:
        rng = self.rng
        title, kind, topics, groups = template
        lab, lab_county = rng.choice(LABS)
        if "{lab}" in title and lab_county in self.by_code:  # held at the laboratory
            region = self.by_code[lab_county]
        county = self.county_of(region)
        lecture, lecture_topics = rng.choice(LECTURES)
        if "{lecture}" in title:
            topics = topics + lecture_topics
        school = f"{county.name}{rng.choice(['实验小学', '第一中学', '实验中学', '第二小学'])}"
        title = title.format(
            place=region.name,
            lab=lab,
            show=rng.choice(SHOWS),
            crop=rng.choice(CROPS),
            sky=rng.choice(SKIES),
            lecture=lecture,
            school=school,
            theme=spec["theme"] if spec else "",
        )
        org = org or self.organizer(region, school=G.YOUTH in groups)
        starts_at, ends_at = self.times(day, kind, title)
        activity = Activity(
            title=title,
            organization=org,
            campaign=spec["campaign"] if spec else None,
            kind=kind,
            region=region,
            starts_at=starts_at,
            ends_at=ends_at,
            volunteers_needed=rng.choice((0, 0, 2, 3, 5, 8, 10, 15)),
        )
        if kind == K.LIVE:
            activity.address = "线上直播"
            activity.online_url = f"https://live.example.cn/kepu/{activity.uid.hex[:12]}"
            activity.expected_audience = rng.randint(5, 200) * 100
        else:
            venue = rng.choice(VENUES[kind])
            if "{school}" in template[0] or "{lab}" in template[0]:
                venue = school if "{school}" in template[0] else lab
            activity.address = (
                f"{self.place_name(region)}{rng.choice(ROADS)}{rng.randint(1, 300)}号{venue}"
            )
            if rng.random() < 0.45:
                self.coordinates(activity, county)
            audience = {K.EXHIBITION: (300, 3000), K.OPEN_DAY: (100, 800), K.SHOW: (100, 500)}
            activity.expected_audience = rng.randint(*audience.get(kind, (30, 300)))
        if kind in SIGNUP_KINDS and rng.random() < 0.35:
            activity.signup_required = True
            activity.capacity = rng.choice((30, 40, 50, 60, 80, 100, 120))
            activity.expected_audience = activity.capacity
        elif kind != K.LIVE and rng.random() < 0.25:
            activity.capacity = rng.choice((100, 200, 300, 500))
        who = "、".join(GROUP_NAMES[g] for g in groups)
        activity.description = (
            f"本次活动由{org.name}主办，面向{who}，"
            f"以{KIND_NAMES[kind]}的形式普及科学知识，欢迎参加。"
        )
        picked_groups = rng.sample(groups, rng.randint(1, len(groups)))
        picked_topics = rng.sample(topics, min(len(topics), rng.randint(1, 2))) if topics else []
        self.finish(activity, picked_topics, picked_groups, status=status)

    def times(self, day, kind, title):
        rng = self.rng
        if kind == K.EXHIBITION:
            return self.at(day, 9), self.at(day + datetime.timedelta(days=rng.randint(0, 6)), 17)
        if kind in (K.OPEN_DAY, K.LAB_OPEN):
            return self.at(day, 9), self.at(day, 16, 30)
        if kind == K.LIVE or "天文" in title:
            start = self.at(day, 19, 30)
            return start, start + datetime.timedelta(minutes=rng.choice((90, 120, 150)))
        hour, minute = rng.choice(((9, 0), (9, 30), (10, 0), (14, 0), (14, 30), (15, 0)))
        start = self.at(day, hour, minute)
        minutes = {
            K.TRAINING: (120, 180),
            K.CONTEST: (240, 360),
            K.FIELD_TRIP: (180, 240),
        }.get(kind, (90, 120))
        return start, start + datetime.timedelta(minutes=rng.choice(minutes))

    def coordinates(self, activity, county, *, always=False) -> None:
        if not always and county.path.split("/")[1] not in CENTRES:
            return
        lat, lng = CENTRES.get(county.path.split("/")[1], CENTRES["5101"])
        spread = 0.12 if county.code.startswith("5101") else 0.3
        activity.latitude = Decimal(f"{lat + self.rng.uniform(-spread, spread):.6f}")
        activity.longitude = Decimal(f"{lng + self.rng.uniform(-spread, spread):.6f}")

    def finish(self, activity, topics, groups, *, status=None) -> None:
        """Status and review history, tags, report and sign-ups of a planned activity."""
        rng = self.rng
        activity.search_text = search_text(
            activity.title, activity.organization.name, activity.brand, activity.address
        )
        future = activity.starts_at > self.now
        if status is None:
            weights = FUTURE_STATUSES if future else PAST_STATUSES
            status = rng.choices(list(weights), weights=list(weights.values()))[0]
        officer = self.reviewer(activity.region)
        member = activity.organization.name == MEMBER_UNIT
        author = self.users.get("demo-member") if member else officer
        activity.created_by = author

        lead = datetime.timedelta(days=rng.randint(7, 45), hours=rng.randint(0, 23))
        created = activity.starts_at - lead
        if created > self.now - datetime.timedelta(hours=2):
            created = self.now - datetime.timedelta(hours=rng.randint(2, 240))
        limit = min(self.now, activity.starts_at) - datetime.timedelta(hours=1)
        activity.created_at = created

        before_cancel = status
        if status == S.CANCELLED:
            before_cancel = rng.choices(
                (S.PUBLISHED, S.SUBMITTED, S.DRAFT, S.RETURNED), weights=(60, 15, 15, 10)
            )[0]
        steps = self.steps(before_cancel)
        stamps = sorted(self.between(created, limit) for _s in steps)
        last = created
        for step, at in zip(steps, stamps, strict=True):
            last = at
            if step == "submit":
                activity.submitted_at = at
                continue
            reasons = {c.Decision.RETURNED: RETURN_REASONS, c.Decision.REJECTED: REJECT_REASONS}
            reason = rng.choice(reasons[step]) if step in reasons else ""
            self.decisions.append(
                ReviewDecision(
                    activity=activity,
                    decision=step,
                    reason=reason,
                    decided_by=officer,
                    decided_at=at,
                )
            )
            activity.reviewed_at, activity.reviewed_by, activity.review_note = at, officer, reason
            if step == c.Decision.APPROVED:
                local_end = timezone.localtime(activity.ends_at).date()
                activity.report_due = local_end + datetime.timedelta(days=self.report_days)
        activity.status = status
        if status == S.CANCELLED:
            activity.review_note = rng.choice(CANCEL_REASONS)
        self.activities.append(activity)
        self.tags += [
            ActivityTag(activity=activity, kind=c.TagKind.GROUP, code=g)
            for g in sorted(set(groups))
        ]
        self.tags += [
            ActivityTag(activity=activity, kind=c.TagKind.TOPIC, code=t)
            for t in sorted(set(topics))
        ]
        if status != S.PUBLISHED:
            return
        checked_in = 0
        upcoming = activity.starts_at > self.now
        if activity.signup_required and (upcoming or rng.random() < 0.4):
            checked_in = self.sign_ups(activity, last, groups)
        if activity.ends_at < self.now:
            self.report(activity, checked_in, author)

    def steps(self, status) -> list[str]:
        """The workflow steps (submissions and decisions) that end in `status`."""
        rng = self.rng
        r = rng.random()
        ret, app, rej = c.Decision.RETURNED, c.Decision.APPROVED, c.Decision.REJECTED
        if status == S.DRAFT:
            return []
        if status == S.SUBMITTED:
            return ["submit"] if r < 0.75 else ["submit", ret, "submit"]
        if status == S.RETURNED:
            return ["submit", ret] if r < 0.8 else ["submit", ret, "submit", ret]
        if status == S.REJECTED:
            return ["submit", rej] if r < 0.75 else ["submit", ret, "submit", rej]
        if r < 0.76:
            return ["submit", app]
        if r < 0.95:
            return ["submit", ret, "submit", app]
        return ["submit", ret, "submit", ret, "submit", app]

    def sign_ups(self, activity, published_at, groups) -> int:
        """Sign-ups from publication until the start, replayed in time order like the
        service does (a place while one is free, else the waiting list; a cancelled place
        goes to the first person waiting). Returns how many checked in."""
        rng = self.rng
        cap = activity.capacity
        soon = activity.starts_at - self.now < datetime.timedelta(days=30)
        full = rng.random() < 0.3 and (soon or activity.starts_at < self.now)
        if full:
            arrivals = cap + rng.randint(1, 10)
        elif activity.starts_at < self.now or soon:
            arrivals = int(cap * rng.uniform(0.4, 0.95))
        else:
            arrivals = int(cap * rng.uniform(0.05, 0.5))
        end = min(self.now, activity.starts_at) - datetime.timedelta(minutes=10)
        if end <= published_at or arrivals == 0:
            return 0
        events = []
        for i in range(arrivals):
            at = self.between(published_at, end)
            events.append((at, 0, i))
            if rng.random() < 0.07:
                events.append((self.between(at, end), 1, i))
        events.sort()
        rows: dict[int, SignUp] = {}
        phones: set[str] = set()
        confirmed: set[int] = set()
        waiting: list[int] = []
        for at, cancel, i in events:
            if cancel:
                row = rows[i]
                row.status, row.cancelled_at = c.SignUpStatus.CANCELLED, at
                if i in confirmed:
                    confirmed.discard(i)
                    if waiting:
                        moved = waiting.pop(0)
                        rows[moved].status = c.SignUpStatus.CONFIRMED
                        rows[moved].promoted_at = at
                        confirmed.add(moved)
                else:
                    waiting.remove(i)
                continue
            phone = self.phone(phones)
            has_place = len(confirmed) < cap
            rows[i] = SignUp(
                activity=activity,
                name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                phone_enc=crypto.seal(phone),
                phone_hash=crypto.blind_index(phone),
                phone_masked=pii.mask_phone(phone),
                key_group=rng.choice(groups) if rng.random() < 0.8 else G.GENERAL,
                status=c.SignUpStatus.CONFIRMED if has_place else c.SignUpStatus.WAITING,
                ticket_code=self.ticket(),
                notice=self.notice,
                created_at=at,
            )
            (confirmed.add if has_place else waiting.append)(i)
        activity.confirmed_count, activity.waiting_count = len(confirmed), len(waiting)
        checked_in = 0
        if activity.starts_at < self.now:
            for i in confirmed:
                if rng.random() < 0.85:
                    rows[i].checked_in_at = min(
                        self.now,
                        activity.starts_at + datetime.timedelta(minutes=rng.randint(-40, 20)),
                    )
                    rows[i].checked_in_by = activity.created_by
                    checked_in += 1
        self.signups += rows.values()
        return checked_in

    def phone(self, taken: set[str]) -> str:
        while True:
            phone = pii.normalize_phone(
                f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"
            )
            if phone not in taken:
                pii.validate_mobile(phone)
                taken.add(phone)
                return phone

    def ticket(self) -> str:
        while True:
            code = services.new_ticket_code()
            if code not in self.tickets:
                self.tickets.add(code)
                return code

    def report(self, activity, checked_in, author) -> None:
        """Most ended activities have their report; some came late, some are overdue."""
        rng = self.rng
        due_end = self.at(activity.report_due, 23, 59)
        window = report_window(rng, self.now, activity.ends_at, due_end, overdue=0.15)
        if window is None:
            return
        filed = self.between(*window)
        onsite, views = report_reach(rng, activity.kind, activity.expected_audience, checked_in)
        effect = rng.choice(EFFECTS).format(m=rng.randint(1, 20) * 50, k=rng.randint(20, 300))
        local_day = timezone.localtime(activity.starts_at).date()
        where = "线上" if activity.kind == K.LIVE else activity.region.name
        reach = f"线上观看{views}人次" if activity.kind == K.LIVE else f"现场参与{onsite}人次"
        self.reports.append(
            ActivityReport(
                activity=activity,
                onsite_attendance=onsite,
                online_views=views,
                volunteers_served=rng.randint(0, activity.volunteers_needed + 2),
                summary=(
                    f"{_md(local_day)}，{activity.organization.name}在{where}举办"
                    f"“{activity.title}”，{reach}。{effect}。"
                ),
                links=(
                    f"https://news.example.cn/kepu/{self.year}/{activity.uid.hex[:10]}.html"
                    if rng.random() < 0.4
                    else ""
                ),
                filed_at=filed,
                filed_by=author,
                is_late=timezone.localtime(filed).date() > activity.report_due,
            )
        )
