"""Constants of the core app: region levels, organization types, roles, audit outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    PREFECTURE = 2, _("City")
    COUNTY = 3, _("County")
    TOWNSHIP = 4, _("Township")


class OrgType(models.TextChoices):
    SCIENCE_ASSOCIATION = "kx", _("Science and technology association")
    SCIENCE_BUREAU = "kjj", _("Science and technology bureau")
    MEMBER_DEPARTMENT = "member", _("Member department of the joint conference")
    SCHOOL = "school", _("School")
    UNIVERSITY = "university", _("University")
    RESEARCH_INSTITUTE = "institute", _("Research institute")
    SOCIETY = "society", _("Learned society")
    ENTERPRISE = "enterprise", _("Enterprise")
    VENUE = "venue", _("Science venue or education base")
    MEDIA = "media", _("Media")
    COMMUNITY = "community", _("Community or village committee")
    OTHER = "other", _("Other")


class MemberSector(models.TextChoices):
    """Sector of a member department of the joint conference (联席会议成员单位)."""

    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    AGRICULTURE = "agriculture", _("Agriculture and rural affairs")
    EMERGENCY = "emergency", _("Emergency management")
    TRADE_UNION = "trade_union", _("Trade union")
    YOUTH_LEAGUE = "youth_league", _("Communist Youth League")
    WOMEN = "women", _("Women's federation")
    NATURAL_RESOURCES = "natural_resources", _("Natural resources")
    ECOLOGY = "ecology", _("Ecology and environment")
    CULTURE = "culture", _("Culture and tourism")
    PUBLICITY = "publicity", _("Publicity department")
    EARTHQUAKE = "earthquake", _("Earthquake administration")
    METEOROLOGY = "meteorology", _("Meteorology")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    SYSTEM_ADMIN = "sysadmin", _("System administrator")
    SECURITY_ADMIN = "secadmin", _("Security administrator")
    AUDIT_ADMIN = "auditor", _("Audit administrator")
    REGIONAL_OFFICER = "officer", _("Regional officer")
    MEMBER_STAFF = "member", _("Member-unit staff")
    REVIEWER = "reviewer", _("Reviewer / expert")
    PI_OFFICER = "pi", _("Personal-information officer")
    VOLUNTEER = "volunteer", _("Volunteer")
    PUBLIC = "public", _("Public user")


class ScopeKind(models.TextChoices):
    """What a role assignment is bound to."""

    SYSTEM = "system", _("Whole system (administration only)")
    REGION = "region", _("Region and everything below it")
    ORGANIZATION = "organization", _("Organization and its sub-units")
    OWN = "own", _("Own records only")


# The three administrator roles of 三员分立 (separation of duties): no user holds two of
# them, none of them touches business data, and each must log in with a second factor.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

ROLE_SCOPE = {
    Role.SYSTEM_ADMIN: ScopeKind.SYSTEM,
    Role.SECURITY_ADMIN: ScopeKind.SYSTEM,
    Role.AUDIT_ADMIN: ScopeKind.SYSTEM,
    Role.REGIONAL_OFFICER: ScopeKind.REGION,
    Role.MEMBER_STAFF: ScopeKind.ORGANIZATION,
    Role.REVIEWER: ScopeKind.REGION,
    # May see full ID and phone numbers (with a reason, audited) in a region.
    Role.PI_OFFICER: ScopeKind.REGION,
    Role.VOLUNTEER: ScopeKind.OWN,
    Role.PUBLIC: ScopeKind.OWN,
}


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


class TokenRevocation(models.TextChoices):
    """Why an API token stopped working before it expired."""

    BY_USER = "user", _("revoked by its owner")
    PASSWORD_CHANGED = "password", _("the password was changed")
    PASSWORD_RESET = "reset", _("the password was reset by an administrator")
    LOCKED_OUT = "lockout", _("the account was locked after failed logins")
    DEACTIVATED = "disabled", _("the account was disabled")


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    VALIDATED = "validated", _("Checked, ready to import")
    INVALID = "invalid", _("Checked, has errors")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")


class Topic(models.TextChoices):
    """Science domains: what an expert can speak on (in an emergency too), what an activity
    or a resource is about."""

    EPIDEMIC = "epidemic", _("Epidemics")
    EARTHQUAKE = "earthquake", _("Earthquakes")
    FLOOD = "flood", _("Floods")
    GEOHAZARD = "geohazard", _("Landslides and geological hazards")
    FIRE = "fire", _("Fire")
    METEOROLOGY = "weather", _("Extreme weather")
    CHEMICAL = "chemical", _("Chemical safety")
    FOOD_SAFETY = "food", _("Food safety")
    NUCLEAR = "nuclear", _("Nuclear and radiation safety")
    HEALTH = "health", _("Health and medicine")
    AGRICULTURE = "agriculture", _("Agricultural technology")
    AI = "ai", _("Artificial intelligence")
    ECOLOGY = "ecology", _("Ecology and carbon neutrality")
    SPACE = "space", _("Space and astronomy")


class KeyGroup(models.TextChoices):
    """The key groups of the science-literacy action plan (seed 000, 001 四(二))."""

    YOUTH = "youth", _("Young people")
    FARMERS = "farmers", _("Farmers")
    WORKERS = "workers", _("Industrial workers")
    ELDERLY = "elderly", _("Older people")
    OFFICIALS = "officials", _("Leading cadres and civil servants")
    GENERAL = "general", _("General public")


class NoticePurpose(models.TextChoices):
    """What a privacy notice is for: each public form asks consent to its own notice
    (PIPL Art. 17: the notice names what that processing collects and why)."""

    REGISTRATION = "registration", _("Volunteer and talent registration")
    SIGNUP = "signup", _("Activity sign-up")
    ORDER = "order", _("Volunteer service order")
    SURVEY = "survey", _("Survey")
    CONTEST = "contest", _("Contest")
