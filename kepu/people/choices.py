"""Constants of the people registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNKNOWN = "U", _("Not stated")


class DocType(models.TextChoices):
    RESIDENT_ID = "id", _("Resident ID card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO = "hkmo", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN = "tw", _("Mainland travel permit for Taiwan residents")
    FOREIGNER = "foreigner", _("Foreigner's permanent residence ID card")
    OTHER = "other", _("Other")


class Education(models.TextChoices):
    DOCTORATE = "phd", _("Doctorate")
    MASTER = "master", _("Master's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("Junior college")
    SECONDARY = "secondary", _("Secondary school or below")


class TitleLevel(models.TextChoices):
    """Professional title level (职称级别)."""

    SENIOR = "senior", _("Senior (full)")
    DEPUTY_SENIOR = "deputy", _("Senior (associate)")
    INTERMEDIATE = "intermediate", _("Intermediate")
    JUNIOR = "junior", _("Junior")
    NONE = "none", _("None")


HIGH_LEVEL_TITLES = (TitleLevel.SENIOR, TitleLevel.DEPUTY_SENIOR)


class Discipline(models.TextChoices):
    """First-level disciplines of GB/T 13745-2009 (学科分类与代码)."""

    MATH = "110", _("Mathematics")
    INFO_SCIENCE = "120", _("Information and systems science")
    MECHANICS = "130", _("Mechanics")
    PHYSICS = "140", _("Physics")
    CHEMISTRY = "150", _("Chemistry")
    ASTRONOMY = "160", _("Astronomy")
    EARTH = "170", _("Earth sciences")
    BIOLOGY = "180", _("Biology")
    PSYCHOLOGY = "190", _("Psychology")
    AGRONOMY = "210", _("Agronomy")
    FORESTRY = "220", _("Forestry")
    ANIMAL = "230", _("Animal husbandry and veterinary science")
    AQUATIC = "240", _("Aquatic sciences")
    BASIC_MEDICINE = "310", _("Basic medicine")
    CLINICAL = "320", _("Clinical medicine")
    PUBLIC_HEALTH = "330", _("Preventive medicine and public health")
    PHARMACY = "350", _("Pharmacy")
    TCM = "360", _("Chinese medicine and pharmacology")
    SURVEYING = "420", _("Surveying and mapping")
    MATERIALS = "430", _("Materials science")
    MECHANICAL = "460", _("Mechanical engineering")
    ELECTRICAL = "470", _("Power and electrical engineering")
    ENERGY = "480", _("Energy science and technology")
    NUCLEAR = "490", _("Nuclear science and technology")
    ELECTRONICS = "510", _("Electronics and communications")
    COMPUTING = "520", _("Computer science and technology")
    CHEMICAL_ENG = "530", _("Chemical engineering")
    FOOD = "550", _("Food science and technology")
    CIVIL = "560", _("Civil engineering and architecture")
    WATER = "570", _("Hydraulic engineering")
    TRANSPORT = "580", _("Transportation engineering")
    AEROSPACE = "590", _("Aeronautics and astronautics")
    ENVIRONMENT = "610", _("Environmental and resource sciences")
    SAFETY = "620", _("Safety science and technology")
    MANAGEMENT = "630", _("Management")
    ECONOMICS = "790", _("Economics")
    SOCIOLOGY = "840", _("Sociology")
    JOURNALISM = "860", _("Journalism and communication")
    EDUCATION = "880", pgettext_lazy("discipline", "Education")
    SPORTS = "890", _("Sports science")
    STATISTICS = "910", _("Statistics")


class RegistrationKind(models.TextChoices):
    FULL_TIME = "fulltime", _("Full-time science-popularization staff")
    PART_TIME = "parttime", _("Part-time science-popularization staff")
    VOLUNTEER = "volunteer", _("Science and technology volunteer")
    INFO_OFFICER = "info_officer", _("Kepu China information officer")
    EXPERT = "expert", _("Expert")
    # Seeds 000 (二) (科普“网格员”) and 001 三(二)3, 004 (16) (科技特派员).
    GRID_OFFICER = "grid_officer", _("Science popularization grid officer")
    TECH_ENVOY = "tech_envoy", _("Science and technology envoy")


# Where each kind is attached: a grid officer to a township (community) grid, an envoy to
# the county or township they serve (with their sending unit); the others county or below.
KIND_MIN_LEVEL = {"grid_officer": 4}
KINDS_WITH_UNIT = ("tech_envoy",)


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    CERTIFIED = "certified", _("Certified")
    REJECTED = "rejected", _("Rejected")
    ENDED = "ended", _("Ended")


ACTIVE_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CERTIFIED)


class Source(models.TextChoices):
    SELF = "self", _("Self-registration")
    OFFICER = "officer", _("Entered by an officer")
    IMPORT = "import", _("Excel import")


class PoolKind(models.TextChoices):
    SCIENCE = "science", _("Science popularization expert pool")
    EMERGENCY = "emergency", _("Emergency science expert pool")
    HEALTH = "health", _("Health science expert pool")
    LECTURE = "lecture", _("Lecture group")
    THINK_TANK = "thinktank", _("Science popularization think tank")
    CHIEF = "chief", _("Chief science communication experts")
    OTHER = "other", _("Other pool")


class Honour(models.TextChoices):
    TIANFU_ENVOY = "tianfu", _("Tianfu science popularization envoy")
    AMBASSADOR = "ambassador", _("Science popularization ambassador")
    MOST_BEAUTIFUL = "beautiful", _("Most beautiful science and technology worker")
    ADVANCED = "advanced", _("Advanced individual in science popularization")
    OTHER = "other", _("Other honour")


class Channel(models.TextChoices):
    """Where an information officer shared science content (seed 001 四(三)3)."""

    WECHAT = "wechat", _("WeChat")
    MOMENTS = "moments", _("WeChat Moments")
    QQ = "qq", pgettext_lazy("channel", "QQ")
    WEIBO = "weibo", _("Weibo")
    DOUYIN = "douyin", _("Douyin")
    KUAISHOU = "kuaishou", _("Kuaishou")
    KEPU_APP = "kepu_app", _("Kepu China app")
    OTHER = "other", pgettext_lazy("channel", "Other")


class ActivitySource(models.TextChoices):
    OFFICER = "officer", _("Entered by an officer")
    IMPORT = "import", _("Excel import")
    API = "api", _("API")


MAX_TEAMS_PER_PERSON = 5


# --- training as a process (seeds 001 三(一)6, 000 (三)) ---------------------------------


class Audience(models.TextChoices):
    """Whom a training course is for."""

    SCIENCE_TUTOR = "tutor", _("Science tutors")
    EXPLAINER = "explainer", _("Science interpreters")
    VOLUNTEER = "volunteer", pgettext_lazy("training audience", "Science and technology volunteers")
    INFO_OFFICER = "info", _("Information officers")
    GRID_WORKER = "grid", _("Science popularization grid workers")
    STAFF = "staff", _("Science popularization staff")
    OTHER = "other", pgettext_lazy("training audience", "Others")


class BaseStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("training base", "Proposed")
    RECOGNIZED = "recognized", pgettext_lazy("training base", "Recognized")
    WITHDRAWN = "withdrawn", pgettext_lazy("training base", "Withdrawn")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("training session", "Draft")
    OPEN = "open", pgettext_lazy("training session", "Open for enrolment")
    CLOSED = "closed", pgettext_lazy("training session", "Enrolment closed")
    FINISHED = "finished", pgettext_lazy("training session", "Finished")


# The steps an officer may take with a session: {step: (from states, to state)}.
SESSION_STEPS = {
    "open": (("draft", "closed"), "open"),
    "close": (("open",), "closed"),
    "finish": (("open", "closed"), "finished"),
}


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", pgettext_lazy("enrolment", "Enrolled")
    WAITING = "waiting", pgettext_lazy("enrolment", "Waiting list")
    WITHDRAWN = "withdrawn", pgettext_lazy("enrolment", "Withdrawn")
    COMPLETED = "completed", pgettext_lazy("enrolment", "Completed")


LIVE_ENROLMENT = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING, EnrolmentStatus.COMPLETED)


class TeamStatus(models.TextChoices):
    """A volunteer team's certification (认定) by the region (seed 003 (十))."""

    PENDING = "pending", pgettext_lazy("team", "Awaiting certification")
    ACTIVE = "active", pgettext_lazy("team", "Certified, active")
    SUSPENDED = "suspended", pgettext_lazy("team", "Suspended")
    REJECTED = "rejected", pgettext_lazy("team", "Not certified")
    DISSOLVED = "dissolved", pgettext_lazy("team", "Dissolved")


class TeamHonourKind(models.TextChoices):
    """Team recognition (seeds 004 (23), 003 (十))."""

    EXCELLENT = "excellent", _("Excellent science and technology volunteer team")
    MODEL = "model", _("Model science and technology volunteer team")
    STAR = "star", _("Star volunteer service team")
    OTHER = "other", _("Other honour")
