from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import ADMIN_ROLES, ROLE_SCOPE, Role, ScopeKind
from kepu.core.models import Organization, Region, User
from kepu.core.permissions import grantable_roles
from kepu.core.scope import allowed_regions, scope_roots, visible_to
from kepu.core.validators import (
    normalize_credit_code,
    validate_clean_line,
    validate_clean_text,
)
from kepu.core.widgets import RegionCascadeWidget


class StyledFormMixin:
    """Give every widget its Tabler/Bootstrap class, and every text field the clean-text
    check (no control or bidi characters), in one place for the whole project."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            _check_clean_text(field)
            if isinstance(widget, RegionCascadeWidget):
                continue
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                field.choices = [
                    ("", _("— choose —")) if value == "" else (value, label)
                    for value, label in field.choices
                ]
            if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
                field.empty_label = _("— choose —")
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class PrivacyConsentMixin:
    """A public form's consent to the privacy notice of its purpose (`notice_purpose`).

    The form carries the version it showed (`notice_version`, hidden): the consent is
    recorded against that version, the one the person read, even if a newer one came into
    force while the form was open. `self.notice` is that version (the current one when
    the form is shown, or when the submitted version is unknown). The form declares its
    own `consent` field (its label and message name what is being applied for)."""

    notice_purpose: str = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from kepu.core.models import PrivacyNotice

        self.notice = PrivacyNotice.current(self.notice_purpose)
        self.fields["notice_version"] = forms.CharField(
            required=False,
            max_length=32,
            widget=forms.HiddenInput,
            initial=self.notice.version if self.notice else "",
        )

    def clean_notice_version(self):
        from kepu.core import clock
        from kepu.core.models import PrivacyNotice

        version = self.cleaned_data.get("notice_version") or ""
        if version and (self.notice is None or version != self.notice.version):
            shown = PrivacyNotice.objects.filter(
                purpose=self.notice_purpose, version=version, effective_at__lte=clock.now()
            ).first()
            if shown is not None:
                self.notice = shown
        return version


def _check_clean_text(field) -> None:
    """Text fields refuse control and bidi characters (passwords are left as typed)."""
    if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
        return
    multi = isinstance(field.widget, forms.Textarea)
    validator = validate_clean_text if multi else validate_clean_line
    if validator not in field.validators:
        field.validators.append(validator)


def region_field(user, model, action, *, required=True, label=None):
    """A region choice narrowed to where `user` may `action` rows of `model`."""
    queryset = allowed_regions(user, model, action)
    roots = [r for r in scope_roots(user) if queryset.filter(pk=r.pk).exists()]
    return forms.ModelChoiceField(
        queryset=queryset,
        to_field_name="code",
        required=required,
        label=label or _("Region"),
        widget=RegionCascadeWidget(roots=roots),
        error_messages={
            "invalid_choice": _("Choose a region within your scope."),
            "required": _("Choose a region."),
        },
    )


class OrganizationRefField(forms.CharField):
    """An organization given by credit code or exact name, within what the user sees."""

    def __init__(self, *args, user=None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Its unified social credit code or its exact name."))
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        found = list(
            visible_to(self.user, Organization).filter(credit_code=value.upper())[:1]
            or visible_to(self.user, Organization).filter(name=value)[:2]
        )
        if len(found) != 1:
            raise ValidationError(_("No single organization you can see has this code or name."))
        return found[0]


class ReasonForm(StyledFormMixin, forms.Form):
    """The reason given with a decision (return, reject, withdraw, cancel): optional here,
    required by the service where the step needs one."""

    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OrganizationForm(StyledFormMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    parent_ref = forms.CharField(
        label=_("Parent organization"),
        required=False,
        help_text=_("The parent unit's unified social credit code or its exact name."),
    )

    class Meta:
        model = Organization
        # The parent is chosen through `parent_ref` (credit code or name).
        fields = [f for f in Organization.EDITABLE_FIELDS if f != "parent"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"] = region_field(user, Organization, action)
        if self.instance.pk:
            self.initial["region"] = self.instance.region.code
            if self.instance.parent_id:
                parent = self.instance.parent
                self.initial["parent_ref"] = parent.credit_code or parent.name

    def clean_credit_code(self):
        return normalize_credit_code(self.cleaned_data.get("credit_code", ""))

    def clean_parent_ref(self):
        ref = self.cleaned_data.get("parent_ref", "").strip()
        if not ref:
            return None
        current = self.instance.parent if self.instance.pk else None
        if current is not None and ref in (current.credit_code, current.name):
            # Keeping the existing parent is allowed even when it lies outside the
            # editor's scope (a county unit under the city association).
            return current
        candidates = visible_to(self.user, Organization).filter(
            Q(credit_code=normalize_credit_code(ref)) | Q(name=ref)
        )
        if self.instance.pk:
            candidates = candidates.exclude(pk=self.instance.pk)
        found = list(candidates[:2])
        if not found:
            raise ValidationError(_("No organization you can see has this code or name."))
        if len(found) > 1:
            raise ValidationError(_("Several organizations have this name; use the credit code."))
        return found[0]

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["parent"] = self.cleaned_data.get("parent_ref")
        return data


class LoginForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class OtpForm(StyledFormMixin, forms.Form):
    token = forms.RegexField(
        label=_("Verification code"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the 6-digit code from your authenticator app.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PasswordChangeForm(StyledFormMixin, DjangoPasswordChangeForm):
    """Django's form; the MLPS rules come from AUTH_PASSWORD_VALIDATORS."""


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=60,
        required=False,
        help_text=_("What the token is for, e.g. the script that uses it."),
    )


class TemporaryPasswordForm(StyledFormMixin, forms.Form):
    """An administrator sets a temporary password (the MLPS rules are checked by the
    service); the user must change it at the next login."""

    new_password = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Tell it to the user in person; they must change it at their next login."),
    )


class UserForm(StyledFormMixin, forms.ModelForm):
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The user must change it at first login."),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "region", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = forms.ModelChoiceField(
            queryset=Region.objects.all(),
            to_field_name="code",
            required=False,
            label=_("Region"),
            widget=RegionCascadeWidget(roots=list(Region.objects.roots())),
        )
        if self.instance.pk:
            del self.fields["password"]
            self.fields["username"].disabled = True
            if self.instance.region_id:
                self.initial["region"] = self.instance.region.code


class RoleAssignmentForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", ""), *Role.choices])
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        label=_("Region (for regional roles)"),
        widget=RegionCascadeWidget(),
    )
    organization_ref = forms.CharField(
        label=_("Organization (for member-unit staff)"),
        required=False,
        help_text=_("Its unified social credit code or its exact name."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].widget.roots = list(Region.objects.roots())
        grantable = grantable_roles(user)  # 三员分立 (kepu.core.permissions)
        self.fields["role"].choices = [
            ("", ""),
            *((value, label) for value, label in Role.choices if value in grantable),
        ]

    def clean_organization_ref(self):
        ref = self.cleaned_data.get("organization_ref", "").strip()
        if not ref:
            return None
        found = list(
            visible_to(self.user, Organization, "reference").filter(
                Q(credit_code=normalize_credit_code(ref)) | Q(name=ref)
            )[:2]
        )
        if len(found) != 1:
            raise ValidationError(
                _("No single organization has this code or name; use the credit code.")
            )
        return found[0]

    def clean(self):
        data = super().clean()
        role = data.get("role")
        kind = ROLE_SCOPE.get(role)
        if kind == ScopeKind.REGION and not data.get("region"):
            self.add_error("region", _("This role needs a region."))
        data["organization"] = data.get("organization_ref")
        if kind == ScopeKind.ORGANIZATION and not data["organization"]:
            self.add_error("organization_ref", _("This role needs an organization."))
        if role in ADMIN_ROLES or kind in (ScopeKind.SYSTEM, ScopeKind.OWN):
            data["region"] = data["organization"] = None
        elif kind == ScopeKind.REGION:
            data["organization"] = None
        elif kind == ScopeKind.ORGANIZATION:
            data["region"] = None
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none). `accept` hints the
    browser's file picker; the content is checked by `kepu.core.uploads`."""

    def __init__(self, *args, accept: str = "", **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept} if accept else {}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []
