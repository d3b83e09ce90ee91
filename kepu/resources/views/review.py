"""The experts' pages (科学性审核, seed 001 四(四)3): the reviews assigned to me, and the
structured review of one version.

Reviews are personal and independent: a review is reached only by the expert it is
assigned to (404 for anyone else, however senior); the page shows the content as
submitted, never the other experts' reviews or names, nor the applicant's personal
data (only the owner unit, or "Individual applicant")."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from kepu.core import audit
from kepu.core.uploads import file_response
from kepu.core.views.common import form_page, paginate, permission_required, submit_form
from kepu.resources import choices as c
from kepu.resources import permissions, services
from kepu.resources.models import Resource

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
# Long texts are shown as paragraphs; the link as a link.
LONG_FIELDS = {"description", "plain_description", "body"}
QUESTIONS = ["facts_correct", "sources_reliable", "fits_audience"]
VERDICT_HINTS = {
    c.Verdict.ACCURATE: gettext_lazy("It can be published as it is."),
    c.Verdict.REVISE: gettext_lazy("The applicant must correct it first: say what and why."),
    c.Verdict.REJECT: gettext_lazy("It should not be listed: say why."),
}


def _answer(field_label):
    return forms.TypedChoiceField(
        label=field_label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Answer this question.")},
    )


class ReviewForm(forms.Form):
    """The structured review: three yes/no questions, a verdict and comments (required
    unless the verdict is "accurate": the service enforces it)."""

    facts_correct = _answer(gettext_lazy("Are the facts and data correct?"))
    sources_reliable = _answer(gettext_lazy("Are the sources reliable and cited?"))
    fits_audience = _answer(gettext_lazy("Does it suit its audience?"))
    verdict = forms.ChoiceField(
        label=gettext_lazy("Verdict"),
        choices=c.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a verdict.")},
    )
    comments = forms.CharField(
        label=gettext_lazy("Comments"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
        help_text=gettext_lazy(
            "Required unless the content is accurate: say what must change and why, "
            "citing your sources."
        ),
    )

    def clean(self):
        # The service refuses it too; checked here as well so that every problem of
        # the form shows in one round.
        data = super().clean()
        verdict = data.get("verdict")
        if verdict and verdict != c.Verdict.ACCURATE and not data.get("comments", "").strip():
            self.add_error("comments", _("Say what must change, or why it should be rejected."))
        return data


def _is_open(assignment) -> bool:
    return (
        assignment.submitted_at is None and assignment.version.status == c.VersionStatus.IN_REVIEW
    )


@require_safe
@permission_required("resources.review.file")
def expert_list(request):
    """My reviews: the ones to do first (soonest due first, overdue flagged), then the
    ones filed or closed, newest first."""
    assignments = permissions.expert_assignments(request.user).select_related(
        "version__resource__organization"
    )
    open_q = Q(submitted_at__isnull=True, version__status=c.VersionStatus.IN_REVIEW)
    pending = list(
        assignments.filter(open_q).order_by(F("due_date").asc(nulls_last=True), "assigned_at")
    )
    past = assignments.exclude(open_q).order_by(
        F("submitted_at").desc(nulls_last=True), "-assigned_at", "-pk"
    )
    page = paginate(request, past)
    today = timezone.localdate()
    return render(
        request,
        "resources/expert_list.html",
        {
            "pending": pending,
            "page": page,
            "today": today,
            "overdue": sum(1 for a in pending if a.due_date and a.due_date < today),
        },
    )


def _content_rows(resource_type, data) -> list[dict]:
    """Every field of the type with its label and readable value (empty ones too, so the
    expert sees what was left out)."""
    rows = []
    names = [
        *(n for n in Resource.COMMON_FIELDS if n != "title"),
        *Resource.TYPE_FIELDS.get(resource_type, []),
        *services.TAG_LISTS,
    ]
    for name in dict.fromkeys(names):
        value = data.get(name)
        row = {
            "name": name,
            "label": services.field_label(name),
            "value": services.display_value(name, value),
            "long": name in LONG_FIELDS,
            "link": value if name == "url" and value else "",
            "tags": None,
        }
        if name in services.TAG_LISTS:
            labels = dict(services.TAG_CHOICES[name])
            row["tags"] = [str(labels.get(code, code)) for code in value or []]
        rows.append(row)
    return rows


def _files_under_review(resource, version):
    """The files of the content under review: the live ones and the ones added with
    this version."""
    return resource.attachments.filter(Q(is_live=True) | Q(version=version))


def _attachments(assignment, *, is_edit) -> list:
    """The files for the review page (marked new when the version edits a published
    entry), opened through the expert's own file link."""
    version = assignment.version
    files = list(_files_under_review(version.resource, version))
    for attachment in files:
        attachment.is_new = is_edit and not attachment.is_live
        attachment.public_url = reverse(
            "resources:expert_file", args=[assignment.pk, attachment.pk]
        )
        attachment.thumb_url = (
            f"{attachment.public_url}?thumbnail=1" if attachment.thumbnail else ""
        )
    return files


@require_safe
@login_required
def expert_file(request, pk, file_pk):
    """A file of the content under review, for the assigned expert only (404 for anyone
    else). Files not on the public catalog are opened on the record."""
    assignment = permissions.get_assignment_for_expert(request.user, pk)
    version = assignment.version
    resource = version.resource
    attachment = _files_under_review(resource, version).filter(pk=file_pk).first()
    if attachment is None:
        raise Http404
    if request.GET.get("thumbnail"):
        if not attachment.thumbnail:
            raise Http404
        return file_response(
            attachment.thumbnail,
            content_type="image/jpeg",
            name=attachment.thumbnail_name,
            cache="private, max-age=3600",
        )
    if not (attachment.is_live and resource.is_public):
        audit.record(
            "resources.resourceattachment.downloaded",
            obj=attachment,
            detail={"resource": resource.pk, "review": assignment.pk},
            region_code=resource.region.code,
        )
    return file_response(
        attachment.file, content_type=attachment.content_type, name=attachment.original_name
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def expert_review(request, pk):
    assignment = permissions.get_assignment_for_expert(request.user, pk)
    version = assignment.version
    resource = version.resource
    here = reverse("resources:expert_review", args=[assignment.pk])
    is_open = _is_open(assignment)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and not is_open:
        # Nothing to correct on a review that can no longer be filed (filed already, or
        # the version has left the review: the service refuses the same).
        messages.warning(request, _closed_message(assignment))
        return redirect(here)
    answer = submit_form(
        request,
        form,
        lambda: services.file_review(assignment, actor=request.user, **form.cleaned_data),
        success=here,
        message=_("Your review has been filed. Thank you: the catalog officers will decide."),
    )
    if answer:
        return answer
    previous = services.previous_data(version) if version.number > 1 else None
    files = _attachments(assignment, is_edit=previous is not None)
    context = {
        "assignment": assignment,
        "version": version,
        "resource": resource,
        "owner": resource.owner_label(),
        "rows": _content_rows(resource.resource_type, version.data),
        "title": version.data.get("title") or resource.title,
        "diff": services.version_diff(previous, version.data) if previous else [],
        "is_edit": previous is not None,
        "files": files,
        "questions": [form[name] for name in QUESTIONS],
        "verdicts": [(value, label, VERDICT_HINTS[value]) for value, label in c.Verdict.choices],
        "is_open": is_open,
        "closed_message": "" if is_open else _closed_message(assignment),
        "today": timezone.localdate(),
        "answers": [
            (
                assignment._meta.get_field(name).verbose_name,
                getattr(assignment, name),
            )
            for name in QUESTIONS
        ],
    }
    status = 400 if request.method == "POST" else 200
    return form_page(request, "resources/expert_review.html", form, context, status=status)


def _closed_message(assignment) -> str:
    if assignment.submitted_at is not None:
        return _("This review has already been filed.")
    return _("This version is no longer in review: your review is not needed any more.")
