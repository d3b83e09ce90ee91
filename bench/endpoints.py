"""The pages and API endpoints that `make bench` measures, and the targets of the public
submissions under load. Officers' pages are measured as the persona who uses them daily:
the province officer for province-wide views, the county officer for scoped lists."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoint:
    name: str  # label in the report
    path: str  # path and query string
    persona: str | None  # demo username to log in as; None = anonymous
    module: str  # core, people, volunteering, activities, plans, resources, portal
    cookie: str = ""  # sent as the Cookie header (anonymous preferences, e.g. the region)
    # A surge measured after c16 at this concurrency (0: none), e.g. 64 for the public
    # emergency pages when people look for help (issue 25: p95 ≤ 150 ms at c=64).
    peak: int = 0


FLOOR = Endpoint("floor: session status", "/accounts/session/", "demo-province", "core")

SURGE = 64
PROVINCE = "demo-province"
CITY = "demo-city"
COUNTY = "demo-county-a"
EXPERT = "demo-expert"


def endpoints(sample: dict) -> list[Endpoint]:
    """`sample` is bench/measure.py's "sample" object ({} when it did not run)."""
    rows = [
        # core
        Endpoint("工作台 workbench (province)", "/workbench/", PROVINCE, "core"),
        Endpoint("工作台 workbench (county)", "/workbench/", COUNTY, "core"),
        Endpoint("单位列表 organizations (city)", "/organizations/?region=5101", CITY, "core"),
        # people
        Endpoint("人员列表 people, county", "/people/", COUNTY, "people"),
        Endpoint(
            "人员列表 people, province, filters",
            "/people/?kind=volunteer&title_level=senior",
            PROVINCE,
            "people",
        ),
        Endpoint("人员搜索 people search 科普", "/people/?q=科普", PROVINCE, "people"),
        Endpoint("人员搜索 people search 地震", "/people/?q=地震", PROVINCE, "people"),
        Endpoint("人员统计 registry rollup by region", "/people/stats/", PROVINCE, "people"),
        Endpoint("人员接口 people API", "/api/v1/people/?q=地震", PROVINCE, "people"),
        Endpoint("服务队 teams (city)", "/people/teams/", CITY, "people"),
        # people: training (issue 26)
        Endpoint("培训课程 training courses", "/training/courses/", PROVINCE, "people"),
        Endpoint(
            "培训课程 courses, audience", "/training/courses/?audience=tutor", PROVINCE, "people"
        ),
        Endpoint("培训期次 training sessions", "/training/sessions/", PROVINCE, "people"),
        Endpoint("培训期次 sessions, county", "/training/sessions/", COUNTY, "people"),
        Endpoint("培训统计 training statistics", "/training/stats/", PROVINCE, "people"),
        Endpoint(
            "培训统计 training statistics (city)", "/training/stats/?region=5101", CITY, "people"
        ),
        Endpoint(
            "培训接口 enrolments API",
            "/api/v1/training-enrolments/?status=completed",
            PROVINCE,
            "people",
        ),
        # people: teams, second pass (issue 26)
        Endpoint(
            "服务队 teams awaiting certification",
            "/people/teams/?status=pending",
            PROVINCE,
            "people",
        ),
        Endpoint(
            "服务队 top-level teams (province)", "/people/teams/?level=top", PROVINCE, "people"
        ),
        Endpoint("服务团 service groups (province)", "/people/service-groups/", PROVINCE, "people"),
        Endpoint("服务团 groups serving a county", "/people/service-groups/", COUNTY, "people"),
        Endpoint("服务队荣誉 team honours", "/people/team-honours/", PROVINCE, "people"),
        # information officers (issue 26)
        Endpoint(
            "信息员传播记录 officer activity (county)",
            "/people/officers/activity/",
            COUNTY,
            "people",
        ),
        Endpoint(
            "信息员传播记录 officer activity (province, channel)",
            "/people/officers/activity/?channel=douyin",
            PROVINCE,
            "people",
        ),
        Endpoint(
            "信息员排名 officer rankings (province)",
            "/people/officers/rankings/?region=51",
            PROVINCE,
            "people",
        ),
        Endpoint(
            "信息员排名 officer rankings (city)",
            "/people/officers/rankings/?region=5101",
            CITY,
            "people",
        ),
        Endpoint(
            "信息员月度反馈 monthly feedback (province)",
            "/people/officers/feedback/?region=51",
            PROVINCE,
            "people",
        ),
        Endpoint(
            "信息员接口 officer activity API", "/api/v1/officer-activities/", PROVINCE, "people"
        ),
        # volunteering
        Endpoint("服务订单 orders (county)", "/volunteering/orders/", COUNTY, "volunteering"),
        Endpoint(
            "服务订单 orders (province, status)",
            "/volunteering/orders/?status=served",
            PROVINCE,
            "volunteering",
        ),
        Endpoint("服务时长 hours (county)", "/volunteering/hours/", COUNTY, "volunteering"),
        Endpoint(
            "服务时长 hours (province)",
            "/volunteering/hours/?status=approved",
            PROVINCE,
            "volunteering",
        ),
        Endpoint(
            "志愿服务简报 bulletin (province)", "/volunteering/bulletin/", PROVINCE, "volunteering"
        ),
        Endpoint("订单接口 orders API (county)", "/api/v1/orders/", COUNTY, "volunteering"),
        # portal
        Endpoint("门户首页 home page", "/", None, "portal"),
        Endpoint(
            "门户首页 home page, region cookie 锦江区", "/", None, "portal", "kepu_region=510104"
        ),
        Endpoint("站内搜索 unified search 科普", "/search/?q=科普", None, "portal"),
        Endpoint("站内搜索 unified search 地震", "/search/?q=地震", None, "portal"),
        Endpoint("公告列表 public notices", "/notices/", None, "portal"),
        # activities
        Endpoint("活动列表 activities (county)", "/activities/", COUNTY, "activities"),
        Endpoint(
            "活动列表 activities (province, search 科普)",
            "/activities/?q=科普",
            PROVINCE,
            "activities",
        ),
        Endpoint(
            "活动统计 activity statistics (province)", "/activities/stats/", PROVINCE, "activities"
        ),
        Endpoint("活动日历 public calendar", "/events/", None, "activities"),
        Endpoint("活动日历 calendar search 地震", "/events/?q=地震", None, "activities"),
        Endpoint("活动接口 activities API", "/api/v1/activities/", PROVINCE, "activities"),
        # plans
        Endpoint("规划列表 plans", "/plans/", PROVINCE, "plans"),
        Endpoint("规划列表 plans reaching a county", "/plans/", COUNTY, "plans"),
        Endpoint("目标 targets reaching a county", "/plans/targets/", COUNTY, "plans"),
        Endpoint("目标 targets (live actuals)", "/plans/targets/", PROVINCE, "plans"),
        Endpoint("进度报告 progress reports", "/plans/reports/", PROVINCE, "plans"),
        # plans: joint conferences (issue 26)
        Endpoint("联席会议 conference meetings", "/plans/meetings/", PROVINCE, "plans"),
        Endpoint("联席会议 meetings of a county", "/plans/meetings/", COUNTY, "plans"),
        Endpoint("联席会议 conferences", "/plans/conferences/", PROVINCE, "plans"),
        Endpoint("考核列表 assessments", "/plans/assessments/", PROVINCE, "plans"),
        Endpoint("考核列表 assessments (county)", "/plans/assessments/", COUNTY, "plans"),
        Endpoint("考核结果 public assessment results", "/progress/assessments/", None, "plans"),
        # resources
        Endpoint("资源管理 resources (county)", "/resources/", COUNTY, "resources"),
        Endpoint(
            "资源管理 resources (province, 科普)", "/resources/?q=科普", PROVINCE, "resources"
        ),
        Endpoint("资源目录 catalog search 科普 + facets", "/catalog/?q=科普", None, "resources"),
        Endpoint("资源目录 catalog search 地震", "/catalog/?q=地震", None, "resources"),
        Endpoint(
            "资源目录 catalog, city facet", "/catalog/?region=5101&type=place", None, "resources"
        ),
        Endpoint("资源地图 map points", "/catalog/map/points.json", None, "resources"),
        Endpoint("应急科普库 emergency library", "/catalog/emergency/", None, "resources"),
        Endpoint(
            "公开接口 public resources API", "/api/v1/public/resources/?q=地震", None, "resources"
        ),
        Endpoint(
            "开放数据 open-data JSON",
            "/catalog/open-data/resources.json?region=510104",
            None,
            "resources",
        ),
    ]
    # Pages this wave added or made province-scale (issue 16).
    rows += [
        Endpoint("人员统计 city statistics", "/people/stats/?region=5101", PROVINCE, "people"),
        Endpoint("登记审核 registration review", "/people/review/", PROVINCE, "people"),
        Endpoint("人才库 pools", "/people/pools/", PROVINCE, "people"),
        # Talent evaluation and the high-level talent service (issue 26).
        Endpoint("高层次人才 talents (province)", "/people/talents/", PROVINCE, "people"),
        Endpoint(
            "高层次人才 talents not contacted 6 months",
            "/people/talents/?overdue=6",
            PROVINCE,
            "people",
        ),
        Endpoint("高层次人才接口 talents API", "/api/v1/talents/?overdue=6", PROVINCE, "people"),
        Endpoint(
            "人才评价申报 talent applications", "/people/talent-applications/", PROVINCE, "people"
        ),
        Endpoint("人才评价轮次 talent rounds", "/people/talent-rounds/", PROVINCE, "people"),
        Endpoint(
            "服务订单 orders (province, city filter)",
            "/volunteering/orders/?region=5101",
            PROVINCE,
            "volunteering",
        ),
        Endpoint(
            "志愿服务简报 bulletin (city)",
            "/volunteering/bulletin/?region=5101",
            PROVINCE,
            "volunteering",
        ),
        Endpoint(
            "服务队搜索 team search as you type",
            "/volunteering/hours/teams/?q=科普",
            PROVINCE,
            "volunteering",
        ),
        Endpoint("活动列表 activities (province)", "/activities/", PROVINCE, "activities"),
        Endpoint("活动日历 calendar search 科普", "/events/?q=科普", None, "activities"),
        Endpoint(
            "单位搜索 owner search as you type",
            "/resources/owners.json?q=科学",
            COUNTY,
            "resources",
        ),
        Endpoint(
            "公开接口 public facets",
            "/api/v1/public/resources/facets/?q=地震",
            None,
            "resources",
        ),
        Endpoint("资源目录 youth menu", "/catalog/groups/youth/", None, "resources"),
    ]
    # emergency (issue 25): the public pages under a surge, the rebuttal library, the
    # officers' incident lists.
    rows += [
        Endpoint("应急响应 public incident list", "/emergency/", None, "emergency", peak=SURGE),
        Endpoint("辟谣库 rebuttal library", "/emergency/rebuttals/", None, "emergency"),
        Endpoint("应急事件 incidents (province)", "/incidents/", PROVINCE, "emergency"),
        Endpoint("应急事件 incidents (county)", "/incidents/", COUNTY, "emergency"),
        Endpoint("谣言线索 rumour leads (province)", "/rumors/", PROVINCE, "emergency"),
        Endpoint("谣言线索 rumour leads (county)", "/rumors/", COUNTY, "emergency"),
        Endpoint("谣言监测 misinformation log", "/rumors/trends/", PROVINCE, "emergency"),
    ]
    if sample.get("incident"):
        rows.append(
            Endpoint(
                "应急响应 public incident page",
                f"/emergency/{sample['incident']}/",
                None,
                "emergency",
                peak=SURGE,
            )
        )
        for suffix, label in (("", "概况与专家组 overview"), ("pushes/", "推送与覆盖 reach"),
                              ("review/", "复盘报告 review report")):  # fmt: skip
            rows.append(
                Endpoint(
                    f"应急事件 {label}",
                    f"/incidents/{sample['incident']}/{suffix}",
                    PROVINCE,
                    "emergency",
                )
            )
    # bases (issue 23): the registry as the officers use it, the portal's directory,
    # the map's data and a base's public page (p95 ≤ 150 ms at c=16).
    rows += [
        Endpoint("科普基地 base registry (province)", "/bases/", PROVINCE, "bases"),
        Endpoint("科普基地 base registry (county)", "/bases/", COUNTY, "bases"),
        Endpoint(
            "科普基地 registry, provincial, active",
            "/bases/?level=provincial&status=active",
            PROVINCE,
            "bases",
        ),
        Endpoint("科普基地名录 public directory", "/venues/", None, "bases"),
        Endpoint("科普基地地图 map page", "/venues/map/", None, "bases"),
        Endpoint("科普基地地图 map points", "/venues/map/points.json", None, "bases"),
        Endpoint("科普基地接口 bases API", "/api/v1/bases/", PROVINCE, "bases"),
    ]
    # selections (issue 24): call and entry pages p95 ≤ 150 ms at c=16, the reviewer's
    # queue, the public results, and the funded projects' list and statistics.
    rows += [
        Endpoint("评选通知 calls (province)", "/selections/calls/", PROVINCE, "selections"),
        Endpoint("评选通知 calls (county)", "/selections/calls/", COUNTY, "selections"),
        Endpoint("申报列表 entries (province)", "/selections/entries/", PROVINCE, "selections"),
        Endpoint("申报列表 entries (county)", "/selections/entries/", COUNTY, "selections"),
        Endpoint("形式审查 check queue", "/selections/checks/", PROVINCE, "selections"),
        Endpoint("我的评审 review queue", "/selections/reviews/", EXPERT, "selections"),
        Endpoint("评选公告 public calls", "/calls/", None, "selections"),
        Endpoint("评选结果 public results", "/calls/results/", None, "selections"),
        Endpoint("科普专项 projects (province)", "/selections/projects/", PROVINCE, "selections"),
        Endpoint("科普专项 projects (county)", "/selections/projects/", COUNTY, "selections"),
        Endpoint("专项统计 project stats", "/selections/projects/stats/", PROVINCE, "selections"),
        Endpoint("评选接口 entries API", "/api/v1/selections/entries/", PROVINCE, "selections"),
    ]
    # literacy (issue 20): the results list, the trend, the index list and the public list;
    # a round's report and an index below (when the data holds them).
    rows += [
        Endpoint("调查结果 survey results", "/literacy/results/", PROVINCE, "literacy"),
        Endpoint("科学素质趋势 trend", "/literacy/trend/", PROVINCE, "literacy"),
        Endpoint("科普指数 index list", "/literacy/index/", PROVINCE, "literacy"),
        Endpoint("公民科学素质 public results", "/science-literacy/", None, "literacy"),
        Endpoint("题库 item bank", "/literacy/items/", PROVINCE, "literacy"),
        Endpoint("调查轮次 survey rounds", "/literacy/rounds/", PROVINCE, "literacy"),
        Endpoint("答卷 responses (province)", "/literacy/responses/", PROVINCE, "literacy"),
        Endpoint("答卷 responses (county)", "/literacy/responses/", COUNTY, "literacy"),
        Endpoint("答卷接口 responses API", "/api/v1/literacy/responses/", PROVINCE, "literacy"),
        Endpoint("竞赛管理 contests (province)", "/contests/manage/", PROVINCE, "contests"),
        Endpoint("竞赛列表 public contests", "/contests/", None, "contests"),
    ]
    details = [
        ("base", "科普基地 public base page", "/venues/{}/", None, "bases"),
        ("call", "评选详情 call detail", "/selections/calls/{}/", PROVINCE, "selections"),
        ("call", "评选详情 call detail (county)", "/selections/calls/{}/", COUNTY, "selections"),
        ("call", "申报列表 call entries", "/selections/entries/?call={}", PROVINCE, "selections"),
        (
            "call",
            "评审分配 assignment page",
            "/selections/calls/{}/assignment/",
            PROVINCE,
            "selections",
        ),
        ("call", "排名 ranking page", "/selections/calls/{}/ranking/", PROVINCE, "selections"),
        ("entry", "申报详情 entry detail", "/selections/entries/{}/", COUNTY, "selections"),
        ("notice_call", "公示页 public call in notice", "/calls/{}/", None, "selections"),
        ("project", "专项详情 project detail", "/selections/projects/{}/", PROVINCE, "selections"),
        ("person", "人员详情 person detail", "/people/{}/", COUNTY, "people"),
        (
            "talent_round",
            "人才评价排名 talent ranking",
            "/people/talent-rounds/{}/ranking/",
            PROVINCE,
            "people",
        ),
        (
            "talent_round",
            "人才评价申报 applications of a round",
            "/people/talent-applications/?round={}",
            PROVINCE,
            "people",
        ),
        ("talent", "高层次人才 talent page", "/people/talents/{}/", COUNTY, "people"),
        ("person", "人员记录 person records (forms)", "/people/{}/add/", COUNTY, "people"),
        ("signup_activity", "活动报名页 public event page", "/events/{}/", None, "activities"),
        ("order", "订单详情 order detail", "/volunteering/orders/{}/", COUNTY, "volunteering"),
        ("activity", "活动详情 activity detail", "/activities/{}/", COUNTY, "activities"),
        ("plan", "规划看板 plan dashboard", "/plans/{}/", PROVINCE, "plans"),
        (
            "assess_province",
            "考核矩阵 assessment of the cities",
            "/plans/assessments/{}/",
            PROVINCE,
            "plans",
        ),
        (
            "assess_province",
            "考核排名 assessment ranking",
            "/plans/assessments/{}/ranking/",
            PROVINCE,
            "plans",
        ),
        (
            "assess_city",
            "考核矩阵 assessment of the counties (county)",
            "/plans/assessments/{}/",
            COUNTY,
            "plans",
        ),
        (
            "assess_city",
            "考核结果 public assessment result",
            "/progress/assessments/{}/",
            None,
            "plans",
        ),
        ("resource", "资源详情 public resource page", "/catalog/{}/", None, "resources"),
    ]
    details += [
        ("literacy_round", "调查报告 round report", "/literacy/rounds/{}/report/", PROVINCE,
         "literacy"),
        ("literacy_round", "调查报告 public report", "/science-literacy/{}/", None, "literacy"),
        ("literacy_index", "科普指数 index page", "/literacy/index/{}/", PROVINCE, "literacy"),
        # contests (issue 21): a contest of a million participants and its finished round
        ("contest", "竞赛页 public contest page", "/contests/{}/", None, "contests"),
        ("contest", "参赛者 participants (county)", "/contests/manage/{}/participants/", COUNTY,
         "contests"),
        ("contest_round", "竞赛轮次 round page", "/contests/rounds/{}/", PROVINCE, "contests"),
        ("contest_round", "答题记录 attempts (province)", "/contests/rounds/{}/attempts/",
         PROVINCE, "contests"),
        ("contest_round", "答题记录 attempts (county)", "/contests/rounds/{}/attempts/", COUNTY,
         "contests"),
        ("contest_round", "排名 rankings (province)", "/contests/rounds/{}/rankings/", PROVINCE,
         "contests"),
        ("contest_round", "统计报告 round report (county)", "/contests/rounds/{}/report/",
         COUNTY, "contests"),
        ("contest_round", "排行榜 public leaderboard (1M standings)",
         "/contests/rounds/{}/leaderboard/", None, "contests"),
    ]  # fmt: skip
    # statistics survey (issue 22): 20,000 returns × 200 values; paths by URL name, each
    # left out when its page is not there (bench/stats_survey.py)
    details += [
        ("stats_form", "统计填报表 data-entry form (county)", "{}", COUNTY, "stats"),
        ("stats_completeness", "统计完成率 completeness (province)", "{}", PROVINCE, "stats"),
        ("stats_completeness", "统计完成率 completeness (county)", "{}", COUNTY, "stats"),
        ("stats_returns", "统计报表列表 return list (county)", "{}", COUNTY, "stats"),
        ("stats_aggregates", "统计汇总 aggregates (province)", "{}", PROVINCE, "stats"),
        ("stats_aggregates", "统计汇总 aggregates (county)", "{}", COUNTY, "stats"),
    ]
    for key, name, pattern, persona, module in details:
        if sample.get(key):
            rows.append(Endpoint(name, pattern.format(sample[key]), persona, module))
    return rows


def submission_targets(sample: dict) -> dict:
    """Where the public submissions under load go: the region of the orders and the
    activity (pk) whose sign-up form is posted (None: sign-ups are not measured)."""
    return {
        "order_region": sample.get("county_a", "510104"),
        "signup_activity": sample.get("signup_activity"),
    }
