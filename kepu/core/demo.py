"""The demo province (Sichuan, 51): organizations of every type across its cities and
counties, and the demo accounts. Idempotent: a second run creates nothing."""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from kepu.core import audit, services
from kepu.core.choices import MemberSector, OrgType, RegionLevel, Role
from kepu.core.models import Organization, Region, RoleAssignment, User
from kepu.core.validators import credit_code_check_char

PROVINCE = "51"
CITY = "5101"  # 成都市
COUNTY_A = "510104"  # 锦江区 (成都市)
COUNTY_B = "510703"  # 涪城区 (绵阳市)

_AUTHORITY = {  # first two characters of a credit code by kind of registrant (GB 32100)
    OrgType.SCIENCE_ASSOCIATION: "51",
    OrgType.SOCIETY: "51",
    OrgType.SCIENCE_BUREAU: "11",
    OrgType.MEMBER_DEPARTMENT: "11",
    OrgType.ENTERPRISE: "91",
    OrgType.COMMUNITY: "55",
}
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def demo_credit_code(name: str, region_code: str, org_type: str) -> str:
    """A well-formed, deterministic credit code for a demo organization."""
    digits = "".join(str(int(c, 16) % 10) for c in hashlib.sha256(name.encode()).hexdigest()[:8])
    check = 11 - sum(int(d) * w for d, w in zip(digits, _ORG_CODE_WEIGHTS, strict=True)) % 11
    org_code = digits + {10: "X", 11: "0"}.get(check, str(check))
    body = _AUTHORITY.get(org_type, "12") + (region_code + "000000")[:6] + org_code
    return body + credit_code_check_char(body)


# (name, type, sector, region code, parent name)
ORGANIZATIONS = [
    ("四川省科学技术协会", OrgType.SCIENCE_ASSOCIATION, "", "51", None),
    ("四川省科学技术厅", OrgType.SCIENCE_BUREAU, "", "51", None),
    ("四川省教育厅", OrgType.MEMBER_DEPARTMENT, MemberSector.EDUCATION, "51", None),
    ("四川省卫生健康委员会", OrgType.MEMBER_DEPARTMENT, MemberSector.HEALTH, "51", None),
    ("四川省农业农村厅", OrgType.MEMBER_DEPARTMENT, MemberSector.AGRICULTURE, "51", None),
    ("四川省应急管理厅", OrgType.MEMBER_DEPARTMENT, MemberSector.EMERGENCY, "51", None),
    ("四川省总工会", OrgType.MEMBER_DEPARTMENT, MemberSector.TRADE_UNION, "51", None),
    ("共青团四川省委员会", OrgType.MEMBER_DEPARTMENT, MemberSector.YOUTH_LEAGUE, "51", None),
    ("四川省妇女联合会", OrgType.MEMBER_DEPARTMENT, MemberSector.WOMEN, "51", None),
    ("四川省地震局", OrgType.MEMBER_DEPARTMENT, MemberSector.EARTHQUAKE, "51", None),
    ("四川科技馆", OrgType.VENUE, "", "5101", "四川省科学技术协会"),
    ("四川大学", OrgType.UNIVERSITY, "", "510107", None),
    ("中国科学院成都分院", OrgType.RESEARCH_INSTITUTE, "", "510107", None),
    ("四川省地震学会", OrgType.SOCIETY, "", "5101", "四川省科学技术协会"),
    ("四川日报社", OrgType.MEDIA, "", "5101", None),
    ("成都市科学技术协会", OrgType.SCIENCE_ASSOCIATION, "", "5101", "四川省科学技术协会"),
    ("成都市科学技术局", OrgType.SCIENCE_BUREAU, "", "5101", None),
    ("成都市教育局", OrgType.MEMBER_DEPARTMENT, MemberSector.EDUCATION, "5101", None),
    ("成都大熊猫繁育研究基地", OrgType.VENUE, "", "510108", None),
    ("成都石室中学", OrgType.SCHOOL, "", "510104", None),
    ("锦江区科学技术协会", OrgType.SCIENCE_ASSOCIATION, "", "510104", "成都市科学技术协会"),
    ("锦江区教育局", OrgType.MEMBER_DEPARTMENT, MemberSector.EDUCATION, "510104", None),
    ("锦江区天府新谷科技有限公司", OrgType.ENTERPRISE, "", "510104", None),
    ("锦官驿街道水井坊社区居民委员会", OrgType.COMMUNITY, "", "510104017", None),
    ("武侯区科学技术协会", OrgType.SCIENCE_ASSOCIATION, "", "510107", "成都市科学技术协会"),
    ("绵阳市科学技术协会", OrgType.SCIENCE_ASSOCIATION, "", "5107", "四川省科学技术协会"),
    ("绵阳科技馆", OrgType.VENUE, "", "5107", "绵阳市科学技术协会"),
    ("西南科技大学", OrgType.UNIVERSITY, "", "510703", None),
    ("绵阳市农业科学研究院", OrgType.RESEARCH_INSTITUTE, "", "5107", None),
    ("涪城区科学技术协会", OrgType.SCIENCE_ASSOCIATION, "", "510703", "绵阳市科学技术协会"),
    ("绵阳南山中学", OrgType.SCHOOL, "", "510703", None),
    ("涪城区城厢街道社区居民委员会", OrgType.COMMUNITY, "", "510703", None),
    ("德阳市科学技术协会", OrgType.SCIENCE_ASSOCIATION, "", "5106", "四川省科学技术协会"),
    ("南充市科学技术协会", OrgType.SCIENCE_ASSOCIATION, "", "5113", "四川省科学技术协会"),
    ("宜宾市科学技术协会", OrgType.SCIENCE_ASSOCIATION, "", "5115", "四川省科学技术协会"),
]

# username, full name, role, region code or organization name
ACCOUNTS = [
    ("demo-province", "省科协业务处 张明", Role.REGIONAL_OFFICER, "51"),
    ("demo-province", "省科协业务处 张明", Role.PI_OFFICER, "51"),
    # A second province officer: four-eyes needs someone else to approve what the province
    # submits (kepu.core.workflow).
    ("demo-province-2", "省科协业务处 孙悦", Role.REGIONAL_OFFICER, "51"),
    ("demo-city", "成都市科协 李娜", Role.REGIONAL_OFFICER, CITY),
    ("demo-county-a", "锦江区科协 王磊", Role.REGIONAL_OFFICER, COUNTY_A),
    ("demo-county-b", "涪城区科协 赵静", Role.REGIONAL_OFFICER, COUNTY_B),
    ("demo-member", "省教育厅 陈晨", Role.MEMBER_STAFF, "四川省教育厅"),
    ("demo-volunteer", "志愿者 刘洋", Role.VOLUNTEER, None),
    ("demo-expert", "省科普专家 周明远", Role.REVIEWER, "51"),
    ("demo-sysadmin", "系统管理员", Role.SYSTEM_ADMIN, None),
    ("demo-secadmin", "安全管理员", Role.SECURITY_ADMIN, None),
    ("demo-auditor", "审计管理员", Role.AUDIT_ADMIN, None),
]


def demo_totp_hex(username: str) -> str:
    """The demo administrators' TOTP secret: fixed so it can be printed (demo only)."""
    return hashlib.sha256(f"kepu-demo-totp:{username}".encode()).hexdigest()[:40]


def totp_base32(hex_key: str) -> str:
    return base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")


def _county_organizations(regions):
    """A science association, a school and a community for every county of the province."""
    rows = []
    for county in regions:
        if county.code in (COUNTY_A, COUNTY_B, "510107"):
            continue
        name = county.name
        rows.append((f"{name}科学技术协会", OrgType.SCIENCE_ASSOCIATION, "", county.code, None))
        rows.append((f"{name}实验小学", OrgType.SCHOOL, "", county.code, None))
        if int(county.code[-2:]) % 3 == 0:
            rows.append((f"{name}青少年科技活动中心", OrgType.VENUE, "", county.code, None))
    return rows


@transaction.atomic
def load_demo() -> dict:
    regions = {r.code: r for r in Region.objects.subtree(Region.objects.get(code=PROVINCE))}
    counties = sorted(
        (r for r in regions.values() if r.level == RegionLevel.COUNTY), key=lambda r: r.code
    )
    rows = ORGANIZATIONS + _county_organizations(counties)
    existing = set(Organization.objects.values_list("name", "region__code"))
    new = []
    for name, org_type, sector, region_code, _parent in rows:
        if (name, region_code) in existing:
            continue
        new.append(
            Organization(
                name=name,
                org_type=org_type,
                sector=sector,
                region=regions[region_code],
                credit_code=demo_credit_code(name, region_code, org_type),
                address=f"{regions[region_code].full_name}",
            )
        )
    Organization.objects.bulk_create(new, batch_size=500)
    by_name = {o.name: o for o in Organization.objects.filter(region__in=regions.values())}
    with_parent = []
    for name, _t, _s, _r, parent in rows:
        org = by_name[name]
        if parent and org.parent_id is None:
            org.parent = by_name[parent]
            with_parent.append(org)
    Organization.objects.bulk_update(with_parent, ["parent"])
    audit.bulk_record("core.organization.created", new, detail={"via": "demo"})

    created_users = []
    for username, full_name, role, target in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.create_user(
                actor=None,
                username=username,
                full_name=full_name,
                password=settings.DEMO_PASSWORD,
                must_change_password=False,
            )
            created_users.append(username)
        if not RoleAssignment.objects.filter(user=user, role=role).exists():
            scope = {}
            if role in (Role.REGIONAL_OFFICER, Role.REVIEWER, Role.PI_OFFICER):
                scope["region"] = regions[target]
            elif role == Role.MEMBER_STAFF:
                scope["organization"] = by_name[target]
            services.assign_role(user, actor=None, role=role, **scope)
        if user.requires_otp and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(
                user=user, name="demo", confirmed=True, key=demo_totp_hex(username)
            )
            audit.record("core.user.totp_enabled", obj=user, detail={"via": "demo"})
    return {"organizations": len(new), "users": created_users}
