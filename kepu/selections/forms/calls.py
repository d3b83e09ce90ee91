"""Forms of calls and entries. They collect input and turn the rules-as-data into JSON;
the services decide (rules well formed, eligibility, quotas, states) and their refusals
land on these forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kepu.core.forms import OrganizationRefField, StyledFormMixin
from kepu.core.scope import visible_to
from kepu.people.choices import RegistrationKind, TitleLevel
from kepu.rubrics import choices as rc
from kepu.rubrics.models import Rubric
from kepu.selections import choices as c
from kepu.selections.models import Call
from kepu.selections.services.entries import MATERIAL_TYPES

DATE = {"type": "date"}
CALL_FIELDS = [
    "title", "kind", "year", "honour", "award_title", "subject_kind", "opens_on", "closes_on",
    "check_by", "review_by", "rubric", "pool", "reviewers_per_entry", "min_reviews",
    "avoid_same_region", "severity", "award_count", "panel_quorum", "pass_share",
    "publicity_days", "publicity_working_days", "certificate_prefix", "description",
]  # fmt: skip
RULE_FIELDS = [
    "registration_kinds", "min_registered_years", "min_service_hours", "min_title_level",
    "min_age", "max_previous_awards", "within_region", "no_open_flag",
]  # fmt: skip
QUOTA_FIELDS = ["quota_default", "quota_regions", "quota_categories", "quota_unit"]


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _pairs(text, what):
    """`code label` (or `code number`) per line."""
    pairs = []
    for n, line in enumerate(_lines(text), 1):
        code, _sep, rest = line.replace("|", " ").partition(" ")
        if not rest.strip():
            raise ValidationError(
                _("%(what)s, line %(n)d: write the code, a space, then the value.")
                % {"what": what, "n": n}
            )
        pairs.append((code.strip(), rest.strip()))
    return pairs


def _counts(text, what):
    out = {}
    for code, value in _pairs(text, what):
        if not value.isdigit():
            raise ValidationError(
                _("%(what)s: “%(code)s” needs a whole number of places.")
                % {"what": what, "code": code}
            )
        out[code] = int(value)
    return out


class CallForm(StyledFormMixin, forms.ModelForm):
    """A call with its rules laid out as fields (eligibility, quotas, routes, categories,
    materials)."""

    routes_choice = forms.MultipleChoiceField(
        label=_("Nomination routes"), choices=c.Route.choices,
        widget=forms.CheckboxSelectMultiple, required=False,
    )  # fmt: skip
    categories_text = forms.CharField(
        label=_("Categories of entries"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: a short code, a space, the name (e.g. “research 科研科普”)."),
    )  # fmt: skip
    materials_text = forms.CharField(
        label=_("Required materials"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: code, name; add “optional” at the end of a material that "
                    "is not required (e.g. “form 推荐表”, “video 视频 optional”)."),
    )  # fmt: skip
    registration_kinds = forms.MultipleChoiceField(
        label=_("Registration kind"), choices=RegistrationKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when any certified registration (or none) will do."),
    )  # fmt: skip
    min_registered_years = forms.IntegerField(
        label=_("Years since certified registration"), min_value=0, max_value=150, required=False
    )
    min_service_hours = forms.IntegerField(
        label=_("Approved volunteer service hours"), min_value=0, max_value=100_000, required=False
    )
    min_title_level = forms.ChoiceField(
        label=_("Professional title level"), choices=[("", "")] + list(TitleLevel.choices),
        required=False,
    )  # fmt: skip
    min_age = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=150, required=False)
    max_previous_awards = forms.IntegerField(
        label=_("Previous awards of this honour"), min_value=0, max_value=150, required=False,
        help_text=_("0: never awarded this honour before. Empty: no rule."),
    )  # fmt: skip
    within_region = forms.BooleanField(label=_("Within the organizing region"), required=False)
    no_open_flag = forms.BooleanField(label=_("No open disciplinary flag"), required=False)
    quota_default = forms.IntegerField(
        label=_("Quota per recommending region"), min_value=0, max_value=100_000, required=False,
        help_text=_("Recommendations each region below may make. Empty: no limit."),
    )  # fmt: skip
    quota_regions = forms.CharField(
        label=_("Quotas of particular regions"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: region code, places (e.g. “510100 8”)."),
    )  # fmt: skip
    quota_categories = forms.CharField(
        label=_("Quota per category"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: category code, places."),
    )  # fmt: skip
    quota_unit = forms.IntegerField(
        label=_("Quota per recommending unit"), min_value=0, max_value=100_000, required=False
    )

    class Meta:
        model = Call
        fields = CALL_FIELDS
        widgets = {
            "opens_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "check_by": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "review_by": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from kepu.people.models import ExpertPool

        self.fields["rubric"].queryset = visible_to(user, Rubric).filter(
            purpose__in=(rc.Purpose.SELECTION, rc.Purpose.OTHER), status=rc.RubricStatus.IN_USE
        )
        self.fields["pool"].queryset = visible_to(user, ExpertPool).filter(is_active=True)
        if self.instance.pk:
            del self.fields["kind"]  # the kind of a call is set once
        call = self.instance
        rules = call.eligibility if call.pk else {"within_region": True, "no_open_flag": True}
        quotas = call.quotas or {}
        per_region = dict(quotas.get("per_region") or {})
        initial = {
            "routes_choice": call.routes if call.pk else [c.Route.REGION],
            "categories_text": "\n".join(
                f"{i['code']} {i['label']}" for i in call.categories or []
            ),
            "materials_text": "\n".join(
                f"{m['code']} {m['label']}" + ("" if m.get("required") else " optional")
                for m in (call.materials if call.pk else [{"code": "form", "label": "推荐表",
                                                           "required": True}])
            ),
            "quota_default": per_region.pop("default", None),
            "quota_regions": "\n".join(f"{k} {v}" for k, v in per_region.items()),
            "quota_categories": "\n".join(
                f"{k} {v}" for k, v in (quotas.get("per_category") or {}).items()
            ),
            "quota_unit": quotas.get("per_unit"),
            **{name: rules.get(name) for name in RULE_FIELDS},
        }  # fmt: skip
        for name, value in initial.items():
            self.initial.setdefault(name, value)

    def _get_validation_exclusions(self):
        # The service checks the dates and numbers with messages naming the rule; left to
        # the model, its constraints would answer "constraint sel_call_window is violated".
        return {*super()._get_validation_exclusions(), "closes_on", "reviewers_per_entry"}

    def call_fields(self):
        return [self[n] for n in CALL_FIELDS if n in self.fields and n != "description"]

    def rule_fields(self):
        return [self[n] for n in RULE_FIELDS]

    def quota_fields(self):
        return [self[n] for n in QUOTA_FIELDS]

    def clean_categories_text(self):
        pairs = _pairs(self.cleaned_data["categories_text"], _("Categories of entries"))
        return [{"code": code, "label": label} for code, label in pairs]

    def clean_materials_text(self):
        out = []
        for code, rest in _pairs(self.cleaned_data["materials_text"], _("Required materials")):
            optional = rest.endswith(" optional") or rest == "optional"
            label = rest.removesuffix("optional").strip() or code
            out.append({"code": code, "label": label, "required": not optional})
        return out

    def clean_quota_regions(self):
        return _counts(self.cleaned_data["quota_regions"], _("Quotas of particular regions"))

    def clean_quota_categories(self):
        return _counts(self.cleaned_data["quota_categories"], _("Quota per category"))

    def service_fields(self) -> dict:
        d = self.cleaned_data
        data = {f: d[f] for f in CALL_FIELDS if f in self.fields and f != "kind"}
        rules = {}
        if d["registration_kinds"]:
            rules["registration_kinds"] = list(d["registration_kinds"])
        for name in ("min_registered_years", "min_service_hours", "min_age",
                     "max_previous_awards"):  # fmt: skip
            if d[name] is not None:
                rules[name] = d[name]
        if d["min_title_level"]:
            rules["min_title_level"] = d["min_title_level"]
        rules["within_region"] = bool(d["within_region"])
        rules["no_open_flag"] = bool(d["no_open_flag"])
        per_region = dict(d["quota_regions"])
        if d["quota_default"] is not None:
            per_region["default"] = d["quota_default"]
        quotas = {"per_region": per_region, "per_category": d["quota_categories"]}
        if d["quota_unit"] is not None:
            quotas["per_unit"] = d["quota_unit"]
        data.update(
            routes=list(d["routes_choice"]), categories=d["categories_text"],
            materials=d["materials_text"], eligibility=rules, quotas=quotas,
        )  # fmt: skip
        return data

    def kind(self):
        return self.cleaned_data.get("kind") or self.instance.kind


class EntryForm(StyledFormMixin, forms.Form):
    """A nomination: the fields shown depend on the call (who or what is entered)."""

    route = forms.ChoiceField(label=_("Route"), choices=c.Route.choices)
    person = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=10**12
    )
    organization = OrganizationRefField(label=_("Unit"))
    title = forms.CharField(label=_("Name or title"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    rank = forms.IntegerField(
        label=_("Rank in the recommendation"), min_value=1, max_value=999, required=False,
        help_text=_("Your region's ranked list: 1 is the first. Empty: at the end."),
    )  # fmt: skip
    members = forms.CharField(
        label=_("Authors or members"), required=False, max_length=400,
        help_text=_("Registry numbers of the people, separated by commas."),
    )  # fmt: skip
    amount_requested = forms.DecimalField(
        label=_("Amount requested (yuan)"), max_digits=12, decimal_places=2, min_value=0,
        required=False,
    )  # fmt: skip
    summary = forms.CharField(
        label=_("Summary of deeds"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, call, routes, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.call = user, call
        self.fields["organization"].user = user
        self.fields["route"].choices = [(r, c.Route(r).label) for r in routes]
        if len(routes) == 1:
            self.fields["route"].initial = routes[0]
        cats = [(i["code"], i["label"]) for i in call.categories or []]
        self.fields["category"].choices = [("", "")] + cats
        self.fields["category"].required = bool(cats)
        if not cats:
            del self.fields["category"]
        kind = call.subject_kind
        if kind != c.SubjectKind.PROJECT:
            del self.fields["amount_requested"]
        if kind in (c.SubjectKind.PERSON, c.SubjectKind.ORGANIZATION):
            del self.fields["members"]
        if kind == c.SubjectKind.PERSON:
            self.fields["title"].widget = forms.HiddenInput()
            del self.fields["organization"]  # the nominee's own unit
        if c.Route.REGION not in routes:
            del self.fields["rank"]
        for m in call.materials or []:
            self.fields[f"material_{m['code']}"] = forms.FileField(
                label=m["label"], required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": ",".join(f".{t}" for t in MATERIAL_TYPES),
                           "class": "form-control"}
                ),
                help_text=_("Required.") if m.get("required") else _("Optional."),
            )  # fmt: skip

    def material_fields(self):
        return [self[f"material_{m['code']}"] for m in self.call.materials or []]

    def main_fields(self):
        return [f for f in self if not f.name.startswith("material_") and not f.is_hidden]

    def clean_person(self):
        from kepu.people.models import Person

        pk = self.cleaned_data.get("person")
        if not pk:
            return None
        person = visible_to(self.user, Person).filter(pk=pk, erased_at__isnull=True).first()
        if person is None:
            raise ValidationError(_("Choose a person you can see in the registry."))
        return person

    def clean_members(self):
        from kepu.people.models import Person

        text = (self.cleaned_data.get("members") or "").replace("，", ",")
        ids = [p.strip() for p in text.split(",") if p.strip()]
        if any(not p.isdigit() or len(p) > 12 for p in ids):
            raise ValidationError(_("Give the registry numbers, separated by commas."))
        found = {p.pk: p for p in visible_to(self.user, Person).filter(pk__in=ids)}
        missing = [p for p in ids if int(p) not in found]
        if missing:
            raise ValidationError(
                _("No person you can see has these numbers: %(n)s.") % {"n": ", ".join(missing)}
            )
        return [found[int(p)] for p in ids]

    def service_fields(self) -> dict:
        d = dict(self.cleaned_data)
        materials = {
            m["code"]: d.pop(f"material_{m['code']}")
            for m in self.call.materials or []
            if d.get(f"material_{m['code']}")
        }
        for m in self.call.materials or []:
            d.pop(f"material_{m['code']}", None)
        d["materials"] = materials
        d["members"] = d.get("members") or []
        d["category"] = d.get("category") or ""
        d["title"] = d.get("title") or ""
        return d


class CompleteForm(StyledFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("Summary of deeds"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.initial.setdefault("summary", entry.summary)
        for m in entry.call.materials or []:
            self.fields[f"material_{m['code']}"] = forms.FileField(
                label=m["label"], required=False,
                help_text=_("Upload again only what must be replaced or was missing."),
            )  # fmt: skip

    def service_fields(self) -> dict:
        d = self.cleaned_data
        materials = {
            m["code"]: d[f"material_{m['code']}"]
            for m in self.entry.call.materials or []
            if d.get(f"material_{m['code']}")
        }
        return {"summary": d["summary"], "materials": materials}


class CheckForm(StyledFormMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("pass", _("Passes the formal check")),
                 ("return", _("Return for completion")),
                 ("reject", _("Fails the formal check"))],
        widget=forms.RadioSelect,
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note to the submitter"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning or rejecting: what is missing, or why."),
    )  # fmt: skip


class FlagForm(StyledFormMixin, forms.Form):
    person = forms.IntegerField(
        label=_("Person (registry number)"), required=False, min_value=1, max_value=10**12
    )
    organization = OrganizationRefField(label=_("Unit"))
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organization"].user = user

    def clean_person(self):
        from kepu.people.models import Person

        pk = self.cleaned_data.get("person")
        if not pk:
            return None
        person = visible_to(self.user, Person).filter(pk=pk).first()
        if person is None:
            raise ValidationError(_("Choose a person you can see in the registry."))
        return person


class RelationshipForm(FlagForm):
    reason = None
    expert = forms.IntegerField(
        label=_("Expert (registry number)"), required=False, min_value=1, max_value=10**12,
        help_text=_("Empty: yourself."),
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("Relationship"), choices=c.RelationshipKind.choices)
    call = forms.ModelChoiceField(label=_("Only for the call"), queryset=None, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["call"].queryset = (
            visible_to(user, Call).exclude(status=c.CallStatus.DECIDED).only("title", "year")
        )

    def clean_expert(self):
        from kepu.people.models import Person

        pk = self.cleaned_data.get("expert")
        if not pk:
            return None
        person = visible_to(self.user, Person).filter(pk=pk).first()
        if person is None:
            raise ValidationError(_("Choose a person you can see in the registry."))
        return person
