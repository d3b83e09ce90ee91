"""Forms of the back-office catalog pages: the entry form of each type, the completeness
check with its experts, the officer's decision and the management steps, attachments."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import KeyGroup, OrgType, Topic
from kepu.core.forms import OrganizationRefField, StyledFormMixin, region_field
from kepu.core.models import Organization, Region
from kepu.core.scope import allowed_regions, scope_roots, visible_to
from kepu.core.widgets import RegionCascadeWidget
from kepu.resources import choices as c
from kepu.resources import services
from kepu.resources.models import Resource
from kepu.resources.permissions import may_apply_as_individual, own_units

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DECIMAL = forms.TextInput(attrs={"inputmode": "decimal"})
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})
# Organizations offered as suggestions in the officer's owner-unit input.
MAX_UNIT_SUGGESTIONS = 400

# One line on each type for the type chooser (what belongs there).
TYPE_HELP = {
    c.ResourceType.PLACE: _(
        "Science museums, education bases, open laboratories, parks and observatories "
        "that receive visitors."
    ),
    c.ResourceType.FACILITY: _(
        "Exhibition equipment, mobile science vehicles, instruments and other facilities "
        "that can be lent or shared."
    ),
    c.ResourceType.PRODUCT: _(
        "Science kits, exhibits for loan, teaching aids and other products offered to others."
    ),
    c.ResourceType.WORK: _("Books, videos, articles, exhibitions, courses and games."),
    c.ResourceType.INFORMATION: _(
        "Science information and data sets: bulletins, fact sheets, databases."
    ),
    c.ResourceType.HERITAGE: _(
        "Species, minerals and geological relics worth explaining to the public."
    ),
    c.ResourceType.POLICY: _("Laws, regulations and policy documents on science popularization."),
}
TYPE_ICONS = {
    c.ResourceType.PLACE: "building",
    c.ResourceType.FACILITY: "truck",
    c.ResourceType.PRODUCT: "star",
    c.ResourceType.WORK: "book",
    c.ResourceType.INFORMATION: "file-text",
    c.ResourceType.HERITAGE: "world",
    c.ResourceType.POLICY: "certificate",
}

TAG_LABELS = {
    "groups": _("Key groups"),
    "topics": _("Topics"),
    "hazards": _("Hazard types"),
}


def applicant_regions(user):
    """Where a member unit or an individual may place an entry: their province (the one
    of their unit, their volunteer record or their account), else every province."""
    roots = []
    for unit in own_units(user):
        roots.append(unit.region.ancestor_codes[0])
    person = getattr(user, "person", None)
    if person is not None and person.region_id:
        roots.append(person.region.ancestor_codes[0])
    if getattr(user, "region_id", None):
        roots.append(user.region.ancestor_codes[0])
    provinces = list(Region.objects.filter(code__in=set(roots), parent__isnull=True))
    return provinces or list(Region.objects.roots())


def _applicant_region_field(user):
    provinces = applicant_regions(user)
    return forms.ModelChoiceField(
        queryset=Region.objects.subtree_of_paths([p.path for p in provinces]),
        to_field_name="code",
        label=_("Region"),
        widget=RegionCascadeWidget(roots=provinces),
        error_messages={
            "invalid_choice": _("Choose a region of the province."),
            "required": _("Choose a region."),
        },
    )


class ResourceForm(StyledFormMixin, forms.ModelForm):
    """The content of one entry of one type: the common fields, the fields of its type,
    the audiences, topics and hazards it serves, and (for a new entry) the unit that
    owns it. Fields the type does not use are not on the form."""

    groups = forms.MultipleChoiceField(
        label=TAG_LABELS["groups"],
        choices=KeyGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one key group.")},
    )
    topics = forms.MultipleChoiceField(
        label=TAG_LABELS["topics"],
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    hazards = forms.MultipleChoiceField(
        label=TAG_LABELS["hazards"],
        choices=c.HAZARD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Required for the emergency library."),
    )
    url = forms.URLField(
        label=Resource._meta.get_field("url").verbose_name,
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    note = forms.CharField(
        label=_("Note to the reviewers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What changed, or what the reviewers should know. Not published."),
    )

    class Meta:
        model = Resource
        fields = [f for f in Resource.CONTENT_FIELDS if f != "region"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "plain_description": forms.Textarea(attrs={"rows": 4}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "summary": forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
            "latitude": DECIMAL,
            "longitude": DECIMAL,
            "capacity": NUMBER,
            "quantity": NUMBER,
            "duration_minutes": NUMBER,
            "published_on": DATE,
            "issued_on": DATE,
        }

    # The sections of the page, in order (fields a type does not use are skipped).
    SECTIONS = [
        (_("About the resource"), ["title", "summary", "description", "keywords", "url"]),
        (
            _("Details of this type"),
            [
                "place_kind",
                "work_kind",
                "heritage_kind",
                "scientific_name",
                "authors",
                "issuer",
                "doc_number",
                "issued_on",
                "publisher",
                "published_on",
                "duration_minutes",
                "specification",
                "quantity",
                "sharing_terms",
                "opening_hours",
                "capacity",
                "booking_info",
                "plain_description",
                "body",
            ],
        ),
        (_("Where"), ["region", "address", "latitude", "longitude"]),
    ]
    WIDE = {"title", "summary", "description", "url", "plain_description", "body", "region"}

    def __init__(self, *args, user, resource_type, resource=None, submitting=False, **kwargs):
        super().__init__(*args, instance=Resource(resource_type=resource_type), **kwargs)
        self.user = user
        self.resource_type = resource_type
        self.resource = resource
        self.submitting = submitting
        own = set(Resource.COMMON_FIELDS) | set(Resource.TYPE_FIELDS[resource_type])
        for name in list(self.fields):
            if name in Resource.CONTENT_FIELDS and name not in own:
                del self.fields[name]
        self.required_fields = set(Resource.REQUIRED_FIELDS[resource_type])
        # Marked on the page: what the submission will ask for (a draft may lack it).
        self.needed_fields = set(self.required_fields)
        if resource_type == c.ResourceType.PLACE:
            self.needed_fields |= {"latitude", "longitude"}
        if resource_type == c.ResourceType.PLACE:
            self.fields["latitude"].help_text = _(
                "Decimal degrees, e.g. 30.6516 and 104.0830 (needed for the map)."
            )
        self._owner_field(user, resource)
        self._region_field(user, resource)

    def _owner_field(self, user, resource):
        self.owner_mode = None
        if resource is not None:
            return  # the owner unit of an entry does not change
        units = own_units(user)
        if allowed_regions(user, Resource, "create").exists():
            self.owner_mode = "officer"
            field = OrganizationRefField(label=_("Owner unit"), required=True, user=user)
            field.help_text = _(
                "The unit that offers the resource: its unified social credit code or "
                "its exact name."
            )
            field.widget.attrs.update({"list": "resource-owner-units", "class": "form-control"})
            self.fields["organization"] = field
            self.unit_suggestions = list(
                visible_to(user, Organization)
                .filter(is_active=True)
                .order_by("region__code", "name")
                .values_list("name", flat=True)[:MAX_UNIT_SUGGESTIONS]
            )
            # An officer usually lists the resources of their own association.
            roots = scope_roots(user)
            association = (
                Organization.objects.filter(
                    region__in=roots, org_type=OrgType.SCIENCE_ASSOCIATION, is_active=True
                ).first()
                if len(roots) == 1
                else None
            )
            if association is not None:
                self.initial.setdefault("organization", association.name)
        elif units:
            self.owner_mode = "unit"
            self.fields["organization"] = forms.ModelChoiceField(
                queryset=Organization.objects.filter(pk__in=[u.pk for u in units]),
                label=_("Owner unit"),
                empty_label=None if len(units) == 1 else _("— choose —"),
                error_messages={"invalid_choice": _("Choose one of your own units.")},
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        elif may_apply_as_individual(user):
            self.owner_mode = "individual"

    def _region_field(self, user, resource):
        if allowed_regions(user, Resource, "create").exists():
            field = region_field(user, Resource, "create")
        else:
            field = _applicant_region_field(user)
        field.help_text = _("Where the resource is, or the region it mainly serves.")
        self.fields["region"] = field
        order = ["organization", "title", "summary", "region"]
        self.order_fields([n for n in order if n in self.fields])
        if resource is not None and "region" not in self.initial:
            self.initial["region"] = resource.region.code

    @property
    def sections(self):
        """(title, [bound fields]) for the template, in page order."""
        out = []
        for title, names in self.SECTIONS:
            fields = [self[n] for n in names if n in self.fields]
            if fields:
                out.append((title, fields))
        return out

    def clean(self):
        data = super().clean()
        if self.submitting:
            for name in self.required_fields:
                if name in self.fields and data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("Fill this in before submitting."))
            if (
                self.resource_type == c.ResourceType.PLACE
                and data.get("latitude") is None
                and "latitude" not in self.errors
            ):
                self.add_error("latitude", _("Give the location on the map before submitting."))
        return data

    def content(self) -> dict:
        """The content dict the services take (every field of the type, and the tags)."""
        data = self.cleaned_data
        content = {name: data.get(name) for name in self.fields if name in Resource.CONTENT_FIELDS}
        for name in services.TAG_LISTS:
            content[name] = list(data.get(name) or [])
        return content

    def owner_unit(self):
        return self.cleaned_data.get("organization")


def content_initial(resource: Resource) -> dict:
    """The form's initial values: the open version's content, else the live content."""
    version = resource.open_version()
    content = (
        services.from_data(version.data) if version is not None else services.content_of(resource)
    )
    initial = {k: v for k, v in content.items() if k != "region"}
    initial["region"] = content["region"].code
    if version is not None:
        initial["note"] = version.note
    return initial


class RadioMixin:
    """Radio buttons styled as such (the shared mixin knows checkboxes only)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.RadioSelect:
                field.widget.attrs["class"] = "form-check-input"


class CheckForm(RadioMixin, StyledFormMixin, forms.Form):
    """The completeness check: complete with the experts to review it, or incomplete with
    what is missing."""

    outcome = forms.ChoiceField(
        label=_("Result of the check"),
        choices=[
            ("complete", _("Complete: send to the experts for scientific review")),
            ("incomplete", _("Incomplete: return to the applicant")),
        ],
        widget=forms.RadioSelect,
        initial="complete",
    )
    reviewers = forms.MultipleChoiceField(
        label=_("Experts"), required=False, widget=forms.CheckboxSelectMultiple
    )
    due_date = forms.DateField(label=_("Reviews due"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For an incomplete entry: what is missing (the applicant sees it)."),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(m.pk): m for m in candidates}
        self.fields["reviewers"].choices = [(k, m.person.name) for k, m in self.candidates.items()]
        self.initial.setdefault("due_date", timezone.localdate() + datetime.timedelta(days=14))

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due is not None and due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "complete" and not data.get("reviewers"):
            self.add_error("reviewers", _("Choose at least one expert."))
        return data

    def memberships(self):
        return [self.candidates[k] for k in self.cleaned_data.get("reviewers") or []]


class ReviewersForm(CheckForm):
    """More experts for a version already in review."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["outcome"]
        del self.fields["note"]
        self.fields["reviewers"].required = True
        self.fields["reviewers"].error_messages["required"] = _("Choose at least one expert.")

    def clean(self):
        return forms.Form.clean(self)


class DecideForm(RadioMixin, StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=c.Decision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Comments to the applicant"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to return or reject, or to publish against an expert's verdict."),
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttachmentForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".jpg,.jpeg,.png,.pdf,.mp4,image/jpeg,image/png,application/pdf"}
        ),
        help_text=_("JPG or PNG images up to 10 MB, PDF up to 30 MB, MP4 video up to 300 MB."),
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)
