"""Demo notices (公告), made through the services by the demo officers at past moments:
five published (the province's 全国科普日 and earthquake-safety notices, Chengdu's
volunteer recruitment, news from 锦江区 and 涪城区), one submitted by 锦江区 awaiting
review (by 成都市 or the province: never by its author), one returned to 成都市 with a
reason."""

from __future__ import annotations

import datetime

from django.db import transaction

from kepu.core import clock
from kepu.core.models import Region, User
from kepu.portal import services
from kepu.portal.choices import NoticeCategory
from kepu.portal.models import Notice

ANNOUNCEMENT, NEWS = NoticeCategory.ANNOUNCEMENT, NoticeCategory.NEWS


def _notices(year: int) -> list[dict]:
    """(author, reviewer or None, outcome) and the notice's fields; days = how long ago
    it was drafted."""
    return [
        dict(
            author="demo-province",
            reviewer="demo-province-2",
            outcome="publish",
            days=20,
            region="51",
            category=ANNOUNCEMENT,
            pinned=True,
            issuer="四川省科学技术协会",
            title=f"关于组织开展{year}年全国科普日四川省活动的通知",
            body=(
                "各市（州）科协，省级学会、协会、研究会，各有关单位：\n\n"
                f"为深入贯彻落实《全民科学素质行动规划纲要（2021—2035年）》，根据中国科协有关部署，"
                f"{year}年全国科普日活动定于9月中旬集中开展。现将有关事项通知如下。\n\n"
                "一、活动主题。围绕“提升全民科学素质，协同建设科技强国”，突出防灾减灾、"
                "健康生活、人工智能等群众关心的主题，面向青少年、农民、老年人等重点人群开展活动。\n\n"
                "二、活动安排。省级主场活动在成都市举办；各市（州）、县（市、区）结合实际组织"
                "线上线下活动，科技馆、科普教育基地免费开放，组织科技志愿者深入社区、乡村开展服务。\n\n"
                "三、工作要求。各单位请于8月31日前通过本平台登记活动信息，经审核后在活动日历公开发布，"
                "活动结束后10个工作日内填报活动总结。\n\n"
                "联系人：省科协科普部，电话：028-86000000。"
            ),
        ),
        dict(
            author="demo-province-2",
            reviewer="demo-province",
            outcome="publish",
            days=45,
            region="51",
            category=ANNOUNCEMENT,
            issuer="四川省科学技术协会",
            title="关于做好汛期和地震防范科普宣传工作的通知",
            body=(
                "各市（州）科协：\n\n"
                "当前已进入主汛期，地质灾害和地震风险叠加。请各地充分利用应急科普资源库，"
                "面向山区群众、中小学生和老年人开展避险自救科普宣传。\n\n"
                "请结合本地实际，组织科技志愿服务队进村入户，发放防灾减灾科普资料，"
                "开展应急疏散演练，并及时报送工作动态。"
            ),
        ),
        dict(
            author="demo-city",
            reviewer="demo-province",
            outcome="publish",
            days=12,
            region="5101",
            category=ANNOUNCEMENT,
            issuer="成都市科学技术协会",
            title="成都市科技志愿服务队伍招募公告",
            body=(
                "为壮大科技志愿服务力量，满足群众“点单”需求，现面向社会公开招募科技志愿者。\n\n"
                "招募对象：热心科普事业的科技工作者、教师、医务人员、高校学生及退休专业人员。\n\n"
                "报名方式：登录本平台“志愿者”栏目在线注册，经所在区（市）县科协确认后即可参与"
                "科普讲座、科技咨询、应急科普等志愿服务，服务时长按规定记录并可申请证明。"
            ),
        ),
        dict(
            author="demo-county-a",
            reviewer="demo-city",
            outcome="publish",
            days=6,
            region="510104",
            category=NEWS,
            issuer="锦江区科学技术协会",
            title="锦江区开展“科技活动周”进社区系列活动",
            body=(
                "科技活动周期间，锦江区科协联合辖区科普教育基地和学校，在10个社区开展"
                "科普讲座、科学实验秀和健康义诊等活动，吸引居民群众3000余人次参与。\n\n"
                "活动中，科技志愿者为老年人讲解防范电信诈骗和智能手机使用知识，"
                "受到群众欢迎。"
            ),
        ),
        dict(
            author="demo-county-b",
            reviewer="demo-province",
            outcome="publish",
            days=9,
            region="510703",
            category=NEWS,
            issuer="涪城区科学技术协会",
            title="涪城区科技志愿者走进乡村开展农技服务",
            body=(
                "涪城区组织农业科技志愿者深入田间地头，围绕水稻病虫害绿色防控、"
                "高标准农田管护等开展现场指导，服务农户200余户。"
            ),
        ),
        dict(
            author="demo-county-a",
            reviewer=None,
            outcome="submit",
            days=2,
            region="510104",
            category=ANNOUNCEMENT,
            issuer="锦江区科学技术协会",
            title="锦江区青少年科技创新大赛作品征集通知",
            body=(
                "为激发青少年创新热情，锦江区将举办青少年科技创新大赛，"
                "现面向辖区中小学征集科技创新作品、科学幻想绘画和科技实践活动方案。\n\n"
                "请各学校于下月15日前组织报送作品。"
            ),
        ),
        dict(
            author="demo-city",
            reviewer="demo-province",
            outcome="return",
            days=4,
            region="5101",
            category=NEWS,
            issuer="成都市科学技术协会",
            title="成都市科普讲解大赛圆满结束",
            body="成都市科普讲解大赛日前举行决赛，20名选手同台竞技。",
            reason="请补充获奖名单和主办、承办单位，核对选手人数后重新提交。",
        ),
    ]


def load_demo(size: int = 3000) -> dict:
    """Idempotent: does nothing when the demo notices exist."""
    if Notice.objects.filter(title="成都市科技志愿服务队伍招募公告").exists():
        return {"notices": 0}
    now = clock.now()
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    regions = {
        r.code: r for r in Region.objects.filter(code__in=["51", "5101", "510104", "510703"])
    }
    made = 0
    with transaction.atomic():
        for spec in _notices(now.year):
            author = users[spec["author"]]
            start = now - datetime.timedelta(days=spec["days"], hours=3)
            with clock.frozen(start):
                notice = services.create_notice(
                    actor=author,
                    region=regions[spec["region"]],
                    title=spec["title"],
                    body=spec["body"],
                    category=spec["category"],
                    issuer=spec["issuer"],
                    pinned=spec.get("pinned", False),
                )
            with clock.frozen(start + datetime.timedelta(hours=1)):
                services.submit_notice(notice, actor=author)
            if spec["reviewer"]:
                with clock.frozen(start + datetime.timedelta(hours=2)):
                    services.review_notice(
                        notice,
                        actor=users[spec["reviewer"]],
                        step=spec["outcome"],
                        reason=spec.get("reason", ""),
                    )
            made += 1
    return {"notices": made}
