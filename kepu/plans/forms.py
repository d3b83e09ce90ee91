"""Forms of the plan back office: plans, sections, tasks with their ordered units,
supervision notes and progress reports. Choices are narrowed to the user's scope and to
the plan at hand; the services enforce the same rules again."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kepu.core.forms import MultipleFileField, StyledFormMixin, region_field
from kepu.core.models import Organization
from kepu.core.scope import visible_to
from kepu.core.uploads import check_upload
from kepu.core.validators import normalize_credit_code
from kepu.plans import choices as c
from kepu.plans.models import Plan, ProgressReport, Section, SupervisionNote, Task
from kepu.plans.services import ATTACHMENT_TYPES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(StyledFormMixin, forms.ModelForm):
    document_url = forms.URLField(
        label=_("Link to the document"),
        required=False,
        assume_scheme="https",
        help_text=Plan._meta.get_field("document_url").help_text,
    )

    class Meta:
        model = Plan
        fields = Plan.EDITABLE_FIELDS
        widgets = {
            "issued_on": DATE,
            "period_start": DATE,
            "period_end": DATE,
            "baseline_date": DATE,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(user, Plan, action)
        if self.instance.pk:
            self.initial["region"] = self.instance.region.code


class SectionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["number", "title"]


def plan_units(user, plan):
    """The organizations a task of `plan` may name: those inside the plan's region that
    the user sees."""
    return visible_to(user, Organization.objects.in_region(plan.region))


def resolve_units(refs: list[str], queryset) -> tuple[list, list[tuple[int, bool]]]:
    """Look up organizations by exact name or credit code (one query), in the order given.
    Returns (organizations, problems): for each reference that names no single unit, its
    index and whether several units match it."""
    codes = [normalize_credit_code(r) for r in refs]
    rows = list(
        queryset.filter(Q(name__in=refs) | Q(credit_code__in=codes)).only(
            "pk", "name", "credit_code", "region"
        )
    )
    found, problems = [], []
    for i, (ref, code) in enumerate(zip(refs, codes, strict=True)):
        matches = [o for o in rows if o.credit_code == code] or [o for o in rows if o.name == ref]
        if len(matches) == 1:
            found.append(matches[0])
        else:
            problems.append((i, bool(matches)))
    return found, problems


class TaskForm(StyledFormMixin, forms.ModelForm):
    """A row of the division-of-work table. The lead unit and the responsible units are
    typed by name (or credit code), the responsible units one per line in the order the
    table lists them; each is looked up among the units inside the plan's region."""

    lead_unit = forms.CharField(
        label=_("Lead unit"),
        max_length=200,
        help_text=_("Its exact name or its unified social credit code."),
        widget=forms.TextInput(attrs={"list": "plan-units", "autocomplete": "off"}),
    )
    responsible_units = forms.CharField(
        label=_("Responsible units"),
        required=False,
        help_text=_("One unit per line, in the order of the division-of-work table."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    class Meta:
        model = Task
        fields = ["section", "parent", "number", "title", "description", "deadline", "weight"]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.units = plan_units(user, plan)
        self.fields["section"].queryset = plan.sections.all()
        parents = plan.tasks.filter(parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            units = list(self.instance.units.all())
            self.initial["lead_unit"] = next((u.organization.name for u in units if u.is_lead), "")
            self.initial["responsible_units"] = "\n".join(
                u.organization.name for u in units if not u.is_lead
            )
        self.fields["parent"].queryset = parents
        self.fields["parent"].help_text = _("For an action under a task of the table.")

    def _unit_error(self, ref, several, line=None):
        values = {"ref": ref, "region": self.plan.region.name}
        if several:
            message = _("“%(ref)s”: several units have this name; give its credit code.")
        else:
            message = _("“%(ref)s” is not a unit of %(region)s.")
        message = message % values
        if line is not None:
            message = _("Line %(line)d: %(message)s") % {"line": line, "message": message}
        return message

    def clean_lead_unit(self):
        ref = self.cleaned_data["lead_unit"].strip()
        found, problems = resolve_units([ref], self.units)
        if problems:
            raise forms.ValidationError(self._unit_error(ref, problems[0][1]))
        return found[0]

    def clean_responsible_units(self):
        lines = [
            (number, line.strip())
            for number, line in enumerate(self.cleaned_data["responsible_units"].splitlines(), 1)
            if line.strip()
        ]
        found, problems = resolve_units([ref for _n, ref in lines], self.units)
        if problems:
            raise forms.ValidationError(
                [self._unit_error(lines[i][1], several, lines[i][0]) for i, several in problems]
            )
        return found

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TaskStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=c.TaskStatus.choices)


class NoteForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SupervisionNote
        fields = ["text", "organization", "rectify_by"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "rectify_by": DATE}

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = Organization.objects.filter(plan_tasks__task=task).order_by(
            "plan_tasks__position"
        )
        field.required = False
        field.help_text = _("Leave empty for a note to every unit of the task.")


class NoteResponseForm(StyledFormMixin, forms.Form):
    response = forms.CharField(
        label=_("Response"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReviewForm(StyledFormMixin, forms.Form):
    """Accepting takes an optional note; returning needs the reason (the service says so)."""

    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("What needs to be revised"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def figure_field_name(target) -> str:
    return f"figure_{target.pk}"


class ReportForm(StyledFormMixin, forms.Form):
    """The unit's report: what was done, the task's progress, one figure per reported
    target of the task, evidence files (checked by content in the service)."""

    text = forms.CharField(
        label=_("Progress made"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    progress = forms.IntegerField(
        label=_("Task progress (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("How far the whole task is, from 0 to 100."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx",
        help_text=_("PDF, JPG, PNG, DOCX or XLSX; up to %(n)d files of 10 MB each.")
        % {"n": c.MAX_ATTACHMENTS},
    )

    def __init__(self, *args, report: ProgressReport, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.targets = list(targets)
        given = {f.target_id: f.value for f in report.figures.all()}
        if not self.is_bound:
            self.initial.update(text=report.text, progress=report.progress)
        for target in self.targets:
            name = figure_field_name(target)
            label = (
                _("%(name)s (%(unit)s)") % {"name": target.name, "unit": target.unit}
                if target.unit
                else target.name
            )
            self.fields[name] = forms.DecimalField(
                label=label,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                help_text=_("As of %(date)s; target %(value)s by %(deadline)s.")
                % {
                    "date": report.period_end.isoformat(),
                    "value": f"{target.target_value.normalize():f}",
                    "deadline": target.deadline.isoformat(),
                },
            )
            self.fields[name].widget.attrs.update(inputmode="decimal")
            self.fields[name].widget.attrs["class"] = "form-control"
            if not self.is_bound and target.pk in given:
                self.initial[name] = given[target.pk]

    def clean_attachments(self):
        """Each file checked by its content, as the service checks it again, so that the
        refusal shows on the field (the upload itself is not kept on a refused form)."""
        files = self.cleaned_data.get("attachments") or []
        if len(files) + self.report.attachments.count() > c.MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("At most %(n)d attachments per report.") % {"n": c.MAX_ATTACHMENTS}
            )
        for upload in files:
            check_upload(upload, extensions=ATTACHMENT_TYPES, max_bytes=c.MAX_ATTACHMENT_BYTES)
        return files

    def figure_fields(self):
        return [self[figure_field_name(t)] for t in self.targets]

    def figures(self) -> dict:
        values = {}
        for target in self.targets:
            value = self.cleaned_data.get(figure_field_name(target))
            if value is not None:
                values[target.pk] = value
        return values
