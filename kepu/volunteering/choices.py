"""Constants of technology volunteer service (科技志愿服务) orders and hours."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ServiceCategory(models.TextChoices):
    """The service catalog: what a citizen or community can order."""

    HEALTH = "health", _("Health and medical care")
    EMERGENCY = "emergency", _("Emergency response and safety")
    AGRICULTURE = "agriculture", _("Agricultural technology")
    ELDERLY_DIGITAL = "elderly_digital", _("Digital skills for older people")
    YOUTH_SCIENCE = "youth_science", _("Science for young people")
    ECOLOGY = "ecology", _("Ecology and low carbon")
    ANTI_FRAUD = "anti_fraud", _("Fraud prevention and rumour control")
    TECH_SERVICE = "tech_service", _("Technical services for enterprises")
    OTHER = "other", _("Other service")


# Disciplines (GB/T 13745 first-level codes, people.choices.Discipline) that fit a category.
CATEGORY_DISCIPLINES = {
    ServiceCategory.HEALTH: ("310", "320", "330", "350", "360", "550"),
    ServiceCategory.EMERGENCY: ("620", "170", "560"),
    ServiceCategory.AGRICULTURE: ("210", "220", "230", "240"),
    ServiceCategory.ELDERLY_DIGITAL: ("520", "510"),
    ServiceCategory.YOUTH_SCIENCE: ("140", "150", "160", "180", "880", "590"),
    ServiceCategory.ECOLOGY: ("610", "170", "220", "570"),
    ServiceCategory.ANTI_FRAUD: ("790", "860", "840"),
    ServiceCategory.TECH_SERVICE: ("460", "470", "430", "530", "510"),
    ServiceCategory.OTHER: (),
}
# Words that show a team's or volunteer's specialty fits a category (matching).
CATEGORY_KEYWORDS = {
    ServiceCategory.HEALTH: ("医", "健康", "护理", "药", "卫生", "营养", "心理", "救护"),
    ServiceCategory.EMERGENCY: ("应急", "安全", "消防", "地震", "防灾", "急救", "减灾"),
    ServiceCategory.AGRICULTURE: ("农", "种植", "养殖", "畜牧", "植保", "园艺", "水产"),
    ServiceCategory.ELDERLY_DIGITAL: ("信息", "计算机", "数字", "智能", "网络", "软件", "编程"),
    ServiceCategory.YOUTH_SCIENCE: (
        "青少年",
        "科技创新",
        "教育",
        "辅导",
        "实验",
        "天文",
        "机器人",
        "编程",
    ),
    ServiceCategory.ECOLOGY: ("生态", "环境", "环保", "低碳", "林", "气象", "水利", "植物"),
    ServiceCategory.ANTI_FRAUD: ("反诈", "法", "公安", "金融", "网络安全", "传播", "谣言"),
    ServiceCategory.TECH_SERVICE: ("工程", "机械", "电子", "材料", "化工", "制造"),
    ServiceCategory.OTHER: (),
}


class OrderStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting dispatch")  # 待派单
    DISPATCHED = "dispatched", _("Awaiting department claim")  # 待领单
    AWAITING_TEAM = "awaiting_team", _("Awaiting team acceptance")  # 待接单
    ACCEPTED = "accepted", _("Accepted, service scheduled")  # 已接单
    IN_SERVICE = "in_service", _("In service")  # 服务中
    SERVED = "served", _("Served, awaiting rating")  # 待评价
    CLOSED = "closed", _("Closed")  # 已办结
    REJECTED = "rejected", pgettext_lazy("order status", "Rejected")
    CANCELLED = "cancelled", _("Cancelled by the requester")


OPEN_STATUSES = (
    OrderStatus.SUBMITTED,
    OrderStatus.DISPATCHED,
    OrderStatus.AWAITING_TEAM,
    OrderStatus.ACCEPTED,
    OrderStatus.IN_SERVICE,
    OrderStatus.SERVED,
)
# Statuses in which an order waits on someone within a deadline (dispatch, then accept).
WAITING_DISPATCH = (OrderStatus.SUBMITTED,)
WAITING_ACCEPT = (OrderStatus.DISPATCHED, OrderStatus.AWAITING_TEAM)


class OrderAction(models.TextChoices):
    """The steps on an order's timeline."""

    SUBMIT = "submit", _("Ordered")  # 点单
    DISPATCH = "dispatch", _("Dispatched")  # 派单
    CLAIM = "claim", _("Claimed by the department")  # 领单
    ACCEPT = "accept", _("Accepted by the team")  # 接单
    ASSIGN = "assign", _("Volunteers assigned")
    CHECK_IN = "check_in", _("Volunteer checked in")
    CHECK_OUT = "check_out", _("Volunteer checked out")
    COMPLETE = "complete", _("Service completed")
    RATE = "rate", _("Rated by the requester")  # 评单
    CLOSE = "close", _("Closed")
    RETURN = "return", _("Returned")
    REJECT = "reject", _("Rejected")
    CANCEL = "cancel", _("Cancelled")
    ESCALATE = "escalate", _("Overdue, escalated")


class RequesterKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen (no account)")
    COMMUNITY = "community", _("Community account")


class HourSource(models.TextChoices):
    CHECK_IN = "check_in", _("Check-in and check-out")
    MANUAL = "manual", _("Manual entry")


class HourStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# Star levels by total approved hours (《志愿服务记录办法》 2012: 100/300/600/1000/1500 h).
STAR_THRESHOLDS = (100, 300, 600, 1000, 1500)
