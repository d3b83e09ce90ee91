"""The demo's vocabularies and calendars (shared with the benchmark dataset): places,
venues, titles by theme, review and cancel reasons, names, this year's campaigns, and
how reports are filed (when, with what reach)."""

from __future__ import annotations

import datetime

from kepu.activities import choices as c
from kepu.core.choices import KeyGroup as G
from kepu.core.choices import Topic as T

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
