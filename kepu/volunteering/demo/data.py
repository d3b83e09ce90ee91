"""The words, places and weights of the volunteer service demo (shared with the benchmark
dataset generator)."""

from __future__ import annotations

import datetime

from kepu.core.choices import KeyGroup as G
from kepu.volunteering import choices as c

S = c.OrderStatus
A = c.OrderAction
K = c.ServiceCategory
PROVINCE = "51"
COUNTY_A = "510104"  # 锦江区: demo-county-a
COUNTY_B = "510703"  # 涪城区: demo-county-b
MEMBER_UNIT = "四川省教育厅"  # demo-member; the demo volunteer leads its team
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)
HISTORY_DAYS = 300  # about ten months

# name, organization, specialties, region code, base (latitude, longitude) or None
TEAMS = [
    ("四川省教育厅科技志愿服务队", MEMBER_UNIT,
     "青少年科技创新、科学实验、编程教育、地震科普、天文观测", "51", (30.6571, 104.0657)),
    ("四川省卫生健康科普志愿服务队", "四川省卫生健康委员会",
     "健康科普、应急救护、中医药、心理健康、食品安全", "51", (30.6480, 104.0433)),
    ("四川省农技科技志愿服务队", "四川省农业农村厅",
     "农业技术、果树栽培、茶叶种植、植物识别", "51", (30.6755, 104.0850)),
    ("四川省应急科普志愿服务队", "四川省应急管理厅",
     "应急救护、防灾减灾、消防安全、地质灾害防治", "51", (30.6395, 104.0780)),
    ("四川省防震减灾科普志愿服务队", "四川省地震局",
     "地震科普、防灾减灾、科普讲解", "51", (30.6418, 104.0469)),
    ("四川省总工会职工科技志愿服务队", "四川省总工会",
     "消防安全、应急救护、科普讲解", "51", None),
    ("成都市教育系统科技志愿服务队", "成都市教育局",
     "青少年科技创新、机器人、人工智能、天文观测", "5101", (30.6600, 104.0640)),
    ("锦江区科协科技志愿服务队", "锦江区科学技术协会",
     "老年人智能手机培训、健康科普、科普讲解、心理健康", COUNTY_A, (30.6560, 104.0838)),
    ("武侯区科协科技志愿服务队", "武侯区科学技术协会",
     "人工智能、科普讲解、应急救护", "510107", (30.6421, 104.0431)),
    ("涪城区科协科技志愿服务队", "涪城区科学技术协会",
     "农业技术、应急救护、生态环保、科普讲解", COUNTY_B, (31.4675, 104.7410)),
]  # fmt: skip
COUNTY_TEAM_SPECIALTIES = [
    "农业技术",
    "应急救护",
    "健康科普",
    "防灾减灾",
    "老年人智能手机培训",
    "生态环保",
    "科普讲解",
    "青少年科技创新",
]
# The departments an order of each category is most often dispatched to (a county
# association of the order's county is tried for the local categories).
CATEGORY_DEPARTMENTS = {
    K.HEALTH: ["四川省卫生健康委员会"],
    K.EMERGENCY: ["四川省应急管理厅", "四川省地震局"],
    K.AGRICULTURE: ["四川省农业农村厅"],
    K.YOUTH_SCIENCE: [MEMBER_UNIT, "成都市教育局"],
    K.ELDERLY_DIGITAL: ["county", MEMBER_UNIT],
    K.ECOLOGY: ["county", "四川省农业农村厅"],
    K.ANTI_FRAUD: ["county"],
    K.TECH_SERVICE: ["county", "四川省总工会"],
    K.OTHER: ["county"],
}
CATEGORY_WEIGHTS = {
    K.ELDERLY_DIGITAL: 18,
    K.HEALTH: 18,
    K.EMERGENCY: 14,
    K.AGRICULTURE: 14,
    K.YOUTH_SCIENCE: 14,
    K.ECOLOGY: 6,
    K.ANTI_FRAUD: 9,
    K.TECH_SERVICE: 4,
    K.OTHER: 3,
}
CATEGORY_GROUPS = {
    K.HEALTH: (G.ELDERLY, G.GENERAL),
    K.EMERGENCY: (G.YOUTH, G.GENERAL, G.WORKERS),
    K.AGRICULTURE: (G.FARMERS,),
    K.ELDERLY_DIGITAL: (G.ELDERLY,),
    K.YOUTH_SCIENCE: (G.YOUTH,),
    K.ECOLOGY: (G.GENERAL, G.YOUTH),
    K.ANTI_FRAUD: (G.ELDERLY, G.GENERAL, G.YOUTH),
    K.TECH_SERVICE: (G.WORKERS,),
    K.OTHER: (G.GENERAL,),
}
DESCRIPTIONS = {
    K.HEALTH: [
        "社区老人想请医生讲讲高血压、糖尿病的日常管理和用药误区。",
        "想请专家给居民讲秋冬季呼吸道传染病的预防。",
        "村卫生室希望组织一次急救培训，教村民心肺复苏和AED使用。",
        "想为社区婴幼儿家长开展一次营养与喂养健康讲座。",
        "学校想请心理健康专家给初三学生做考前减压辅导。",
    ],
    K.EMERGENCY: [
        "学校想请专家讲防震减灾，并指导开展一次地震疏散演练。",
        "小区高层住户多，想请消防志愿者讲家庭火灾逃生。",
        "汛期将至，村里想请专家讲讲山洪、泥石流的识别和避险。",
        "社区想组织居民学习家庭应急包准备和应急预案。",
        "园区企业职工想学习危化品泄漏的应急处置常识。",
    ],
    K.AGRICULTURE: [
        "村里果树病虫害防治指导：柑橘叶片发黄，想请农技专家到现场看看。",
        "茶园今年春茶减产，想请专家指导修剪和科学施肥。",
        "合作社想学习猕猴桃溃疡病的防治技术。",
        "种植户想了解水稻机插秧和病虫害绿色防控。",
        "养殖户想请专家讲讲生猪养殖的疫病防控。",
        "想请专家指导设施大棚蔬菜的水肥一体化技术。",
    ],
    K.ELDERLY_DIGITAL: [
        "社区老人想学智能手机挂号、缴费。",
        "老年大学学员想学手机视频通话，认识诈骗短信。",
        "想请志愿者教老人使用医保电子凭证和网上办事。",
        "村里留守老人想学用手机查天气、看新闻、和子女视频。",
        "社区老人想学网上购物和手机支付的安全使用。",
    ],
    K.YOUTH_SCIENCE: [
        "小学科技节想请科技志愿者带孩子们做趣味科学实验。",
        "中学想请专家开展人工智能和编程科普讲座。",
        "暑期托管班想组织一次天文观测科普活动。",
        "学校科技社团想请专家指导青少年科技创新大赛项目。",
        "乡村小学想请志愿者开一堂机器人编程体验课。",
    ],
    K.ECOLOGY: [
        "社区想开展垃圾分类科普宣传，请专家讲讲分类知识。",
        "村里想请专家讲讲秸秆综合利用和禁烧。",
        "学校想组织学生开展湿地生态观察活动。",
        "社区想举办一次低碳生活科普讲座。",
    ],
    K.ANTI_FRAUD: [
        "社区老人多，想请志愿者讲讲如何防范电信网络诈骗。",
        "想请专家讲讲保健品骗局和养老诈骗的识别。",
        "学校想给学生讲网络安全和个人信息保护。",
        "社区想开展一次科学辟谣讲座，澄清网传的健康谣言。",
    ],
    K.TECH_SERVICE: [
        "企业想请专家指导生产线的节能改造。",
        "小微企业想了解专利申请和知识产权保护。",
        "工厂想请专家指导设备故障诊断和安全检修。",
        "食品加工企业想请专家指导质量检测和工艺改进。",
    ],
    K.OTHER: [
        "社区想办一次科普大集，需要科技志愿者现场讲解。",
        "村里想请专家讲讲农村电商直播的基本技能。",
    ],
}
VENUES = {
    G.ELDERLY: ["社区党群服务中心", "社区老年活动中心", "新时代文明实践站", "老年大学教室"],
    G.YOUTH: ["实验小学", "第一中学", "中心小学", "青少年活动中心"],
    G.FARMERS: ["村委会活动室", "农民夜校", "农业专业合作社", "村便民服务中心"],
    G.WORKERS: ["工业园区职工之家", "企业会议室", "园区党群服务中心"],
    G.GENERAL: ["社区党群服务中心", "新时代文明实践站", "社区文化活动室", "文化广场"],
    G.OFFICIALS: ["机关会议室"],
}
ROADS = ["人民路", "建设路", "解放路", "滨江路", "文化路", "光明路"]
ROADS += ["新华路", "学府路", "长江路", "育才路", "府河路", "锦绣路"]
RETURN_BY_DEPARTMENT = [
    "本部门暂无对口的服务队伍，请改派其他部门或服务队。",
    "服务内容不属于本系统职责范围，请重新派单。",
]
RETURN_BY_TEAM = [
    "服务时间与队伍已有任务冲突，请另行安排。",
    "队伍专业方向与需求不符，请改派。",
    "服务地点较远，队员无法按时到达。",
]
REJECT_REASONS = [
    "不属于科技志愿服务范围，已建议联系社区卫生服务中心。",
    "服务地点不在本省，请向当地科协点单。",
    "需求涉及商业推广，不予受理。",
    "与已受理的点单重复，已合并处理。",
    "联系不上点单人，无法确认服务需求。",
]
CANCEL_REASONS = [
    "活动时间调整，暂时取消。",
    "已通过其他渠道解决，取消点单。",
    "参加人数不足，取消本次服务。",
    "受天气影响，活动取消。",
]
COMMENTS = [
    "志愿者讲解耐心细致，老人们都学会了。",
    "专家讲得很实用，村民收获很大。",
    "服务准时，内容丰富，孩子们很喜欢。",
    "希望以后多组织这样的活动。",
    "总体不错，就是时间稍短。",
    "",
    "",
]
CLOSE_NOTES = ["点单人超过7天未评价，电话回访满意，予以办结。", "多次联系点单人未评价，予以办结。"]
MANUAL_WORK = [
    "社区科普宣传活动（补录）",
    "全国科普日现场讲解服务",
    "科普大篷车进校园讲解",
    "农技下乡现场指导（补录）",
    "应急救护培训助教",
]
SLOTS = ((9, 0), (9, 30), (10, 0), (14, 0), (14, 30), (15, 0), (19, 0))
# Rough centres of the prefectures, for the map pins of some orders (jittered).
CENTRES = {
    "5101": (30.66, 104.07),
    "5103": (29.34, 104.78),
    "5105": (28.87, 105.44),
    "5106": (31.13, 104.40),
    "5107": (31.47, 104.68),
    "5108": (32.43, 105.84),
    "5109": (30.53, 105.59),
    "5111": (29.55, 103.77),
    "5113": (30.84, 106.11),
    "5115": (28.77, 104.63),
    "5117": (31.21, 107.47),
}
# Share of the orders by the status they are in today.
STATUS_WEIGHTS = {
    S.CLOSED: 52,
    S.SERVED: 6,
    S.IN_SERVICE: 2,
    S.ACCEPTED: 7,
    S.AWAITING_TEAM: 5,
    S.DISPATCHED: 5,
    S.SUBMITTED: 8,
    S.REJECTED: 8,
    S.CANCELLED: 7,
}
