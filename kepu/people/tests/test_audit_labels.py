"""Every action code the registry records has a label (in the past tense), and the audit
page shows it instead of the raw code."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from kepu.core import audit
from kepu.core.models import AuditEntry

APP = Path(__file__).resolve().parents[1]
PERMISSION_ACTIONS = {"view", "create", "change", "delete", "export", "import", "erase"}
PERMISSION_ACTIONS |= {"reveal", "review", "send"}
# issue 26: training, team permissions
PERMISSION_ACTIONS |= {"recognize", "self_enrol", "apply", "certify"}


def recorded_codes() -> set[str]:
    codes = set()
    for path in [*APP.glob("*.py"), *APP.glob("views/*.py"), *APP.glob("api/*.py")]:
        for code in re.findall(r'"(people\.[a-z]+\.[a-z_]+)"', path.read_text()):
            if code.rsplit(".", 1)[1] not in PERMISSION_ACTIONS:
                codes.add(code)
    # `audit.created(obj)` records `<app>.<model>.created` for every audited model.
    for model in apps.get_app_config("people").get_models():
        if hasattr(model, "AUDIT_FIELDS"):
            codes.add(f"people.{model._meta.model_name}.created")
    return codes


def test_every_recorded_code_has_a_label_in_the_past_tense():
    codes = recorded_codes()
    assert {"people.person.revealed", "people.registration.certified"} <= codes
    for code in codes:
        assert audit.action_label(code), code
        assert any(word.endswith("ed") for word in code.rsplit(".", 1)[1].split("_")), code
    with translation.override("zh-hans"):
        assert str(audit.action_label("people.person.revealed")) == "查看完整证件号和手机号"


@pytest.mark.django_db
def test_the_audit_page_shows_the_label(as_persona):
    from kepu.people.models import Person
    from kepu.people.services import reveal

    reveal(Person.objects.live().first(), actor=None, reason="核实保险信息")
    entry = AuditEntry.objects.filter(action="people.person.revealed").latest("pk")
    page = as_persona("auditor").get(reverse("core:audit_detail", args=[entry.pk]))
    assert page.status_code == 200
    assert "查看完整证件号和手机号" in page.content.decode()
