"""Forms of the volunteer service pages: the public order, the order steps, the hour
ledger and certificates."""

import decimal
import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core import pii
from kepu.core.choices import KeyGroup, NoticePurpose
from kepu.core.forms import PrivacyConsentMixin, StyledFormMixin
from kepu.core.models import Organization, Region
from kepu.core.widgets import RegionCascadeWidget
from kepu.people.models import Person, Team
from kepu.volunteering import choices as c
from kepu.volunteering.permissions import teams_for_user

ORDER_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
COORDINATE_STEP = decimal.Decimal("0.000001")


class ServiceOrderForm(PrivacyConsentMixin, StyledFormMixin, forms.Form):
    """The public order (点单): who to contact, what service, where and when. No account
    needed; the phone is stored encrypted and shown to the officers masked."""

    name = forms.CharField(label=_("Contact name"), max_length=64)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    category = forms.ChoiceField(
        label=_("Service needed"), choices=[("", ""), *c.ServiceCategory.choices]
    )
    key_group = forms.ChoiceField(label=_("Who it is for"), choices=[("", ""), *KeyGroup.choices])
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        to_field_name="code",
        label=_("Place of service"),
        help_text=_("Choose down to the county (district), and the township if you can."),
        widget=RegionCascadeWidget(),
        error_messages={
            "required": _("Choose the place of service."),
            "invalid_choice": _("Choose the place of service from the list."),
        },
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        help_text=_("Street, community and building, e.g. 春熙路街道某社区活动室"),
    )
    # Residents do not type coordinates: the "use my location" button fills these hidden
    # fields (optional; the API takes them as numbers).
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
    )
    window_start = forms.DateTimeField(label=_("Preferred from"), widget=ORDER_DATETIME)
    window_end = forms.DateTimeField(label=_("Preferred until"), widget=ORDER_DATETIME)
    expected_attendees = forms.IntegerField(
        label=_("Expected attendees"),
        min_value=1,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    description = forms.CharField(
        label=_("What is needed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The topic, the audience and anything the volunteers should bring."),
    )
    consent = forms.BooleanField(
        label=_("I have read the notice on personal information and agree to it."),
        error_messages={"required": _("Please read and accept the notice to place an order.")},
    )
    # A random key made when the form is shown: a double click or a retried submission
    # carries the same key and finds the first order instead of placing a second one.
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    notice_purpose = NoticePurpose.ORDER

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].widget.roots = list(Region.objects.roots())

    def clean_phone(self):
        phone = pii.normalize_phone(self.cleaned_data["phone"])
        pii.validate_mobile(phone)
        return phone

    def _coordinate(self, name):
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        return value.quantize(COORDINATE_STEP, rounding=decimal.ROUND_HALF_UP)

    def clean_latitude(self):
        return self._coordinate("latitude")

    def clean_longitude(self):
        return self._coordinate("longitude")

    def clean(self):
        data = super().clean()
        region = data.get("region")
        if region is not None and region.level < 3:
            self.add_error("region", _("Choose the county, and the township if you can."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end <= start:
            self.add_error("window_end", _("The end of the time window must be after its start."))
        return data


class OrderRateForm(forms.Form):
    """The requester's rating (评单) of a served order: one to five stars."""

    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one to five stars.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class OrderCancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you cancelling? (optional)"), max_length=300, required=False
    )


class OrderDispatchForm(StyledFormMixin, forms.Form):
    """派单: to a department (which claims it and passes it to one of its teams) or
    directly to a team that serves the place."""

    department = forms.ModelChoiceField(
        label=_("To a department"), queryset=Organization.objects.none(), required=False
    )
    team = forms.ModelChoiceField(
        label=_("Or directly to a service team"), queryset=Team.objects.none(), required=False
    )

    def __init__(self, *args, departments, teams, **kwargs):
        kwargs.setdefault("prefix", "dispatch")
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["team"].queryset = teams

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("department") is None) == (data.get("team") is None):
            raise forms.ValidationError(_("Choose either a department or a team."))
        return data


class OrderClaimForm(StyledFormMixin, forms.Form):
    """领单: the department passes the order to one of its teams."""

    team = forms.ModelChoiceField(
        label=_("Service team"),
        queryset=Team.objects.none(),
        error_messages={"required": _("Choose the team that will serve.")},
    )

    def __init__(self, *args, teams, **kwargs):
        kwargs.setdefault("prefix", "claim")
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class OrderAcceptForm(forms.Form):
    """接单: the team assigns volunteers from its members (the page lists them with the
    matching scores)."""

    volunteers = forms.ModelMultipleChoiceField(
        label=_("Volunteers"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Assign at least one volunteer.")},
    )

    def __init__(self, *args, members, **kwargs):
        kwargs.setdefault("prefix", "accept")
        super().__init__(*args, **kwargs)
        self.fields["volunteers"].queryset = members


class OrderReasonForm(StyledFormMixin, forms.Form):
    """Return or reject: the reason is required (the service says so)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The requester and the sender see it."),
    )


class OrderCloseForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


HOUR_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
HOUR_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def own_person(user) -> Person | None:
    """The volunteer record of the signed-in account, if it has one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def hour_teams(user):
    """Teams the user may record hours for: those they act for (scope or leadership) and,
    for a volunteer, their own teams (for their own hours only)."""
    own = own_person(user)
    allowed = Q(pk__in=teams_for_user(user).values("pk"))
    if own is not None:
        allowed |= Q(pk__in=Team.objects.filter(memberships__person=own).values("pk"))
    return (
        Team.objects.filter(allowed)
        .select_related("region", "organization")
        .order_by("region__code", "name")
    )


def hour_people(user, team: Team | None):
    """Whom the user may record hours for in `team`: every member of a team they act for;
    in their own team, themselves only."""
    if team is None:
        return Person.objects.none()
    members = Person.objects.filter(team_memberships__team=team, erased_at__isnull=True)
    if teams_for_user(user).filter(pk=team.pk).exists():
        return members.order_by("name", "pk")
    return members.filter(user=user)


class HourEntryForm(StyledFormMixin, forms.Form):
    """A period of service recorded by hand. The team is chosen first (the page reloads
    with its members), then the volunteer."""

    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        label=_("Service team"),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose one of the teams you may record hours for.")},
    )
    volunteer = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label=_("Volunteer"),
        error_messages={"invalid_choice": _("Choose a member of the team.")},
    )
    started_at = forms.DateTimeField(label=_("Service started"), widget=HOUR_DATETIME)
    ended_at = forms.DateTimeField(label=_("Service ended"), widget=HOUR_DATETIME)
    description = forms.CharField(
        label=_("What was done"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a talk on fraud prevention at the community centre."),
    )

    def __init__(self, *args, user, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = hour_teams(user)
        if self.is_bound:
            team = self.fields["team"].queryset.filter(pk=self.data.get("team") or None).first()
        self.team = team
        self.fields["volunteer"].queryset = hour_people(user, team)

    def clean(self):
        data = super().clean()
        start, end = data.get("started_at"), data.get("ended_at")
        if start and end and end <= start:
            self.add_error("ended_at", _("The end must be after the start."))
        return data


class DecideForm(forms.Form):
    """Approve or reject a pending entry (a reason is needed to reject)."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class CertificatePeriodForm(StyledFormMixin, forms.Form):
    """The period of a certificate; alone, the certificates of a whole team (a batch)."""

    period_start = forms.DateField(label=_("From"), widget=HOUR_DATE)
    period_end = forms.DateField(label=_("Until"), widget=HOUR_DATE)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period must not be before its start."))
        return data


class CertificateForm(CertificatePeriodForm):
    """Issue a service record certificate for one team and period."""

    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        label=_("Issued in the name of"),
        error_messages={"invalid_choice": _("Choose a team the volunteer has served with.")},
    )
    field_order = ["team", "period_start", "period_end"]

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if len(teams) == 1 and not self.is_bound:
            self.initial["team"] = teams[0].pk


class VerifyForm(StyledFormMixin, forms.Form):
    """The public check of a certificate number."""

    number = forms.CharField(
        label=_("Certificate number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_number(self):
        number = re.sub(r"[\s\-]", "", self.cleaned_data["number"]).upper()
        if not re.fullmatch(r"[A-Z0-9]{6,24}", number):
            raise forms.ValidationError(_("A certificate number has letters and digits only."))
        return number
