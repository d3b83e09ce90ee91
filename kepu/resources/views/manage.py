"""Back-office pages of the resource catalog, for the applicants (units and individuals)
and the catalog officers: the scoped list and its export, applying for an entry of a
type and editing it, the entry page with the steps the user may take now (submit, the
completeness check and the experts, the decision, dynamic management), versions and
their differences, attachments, and the officer's listing queue.

Every state change goes through `kepu.resources.services` (which audits); every object
is fetched through `permissions.get_resource_for_user` (404 outside the scope)."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit, scope, workflow
from kepu.core.uploads import file_response
from kepu.core.views.common import (
    form_page,
    permission_required,
    run_step,
    submit_form,
)
from kepu.resources import choices as c
from kepu.resources import services
from kepu.resources.forms import (
    TYPE_HELP,
    TYPE_ICONS,
    AttachmentForm,
    CheckForm,
    DecideForm,
    ReasonForm,
    ResourceForm,
    ReviewersForm,
    content_initial,
)
from kepu.resources.models import Resource, ReviewAssignment
from kepu.resources.permissions import get_attachment, get_resource_for_user

# How many candidate experts the check page offers, and how many a posted choice may
# come from (the ranking can move a little between showing and posting).
CANDIDATES_SHOWN = 30
CANDIDATES_ACCEPTED = 500
LONG_FIELDS = {"description", "plain_description", "body"}
STAGE_LABELS = dict(c.VersionStatus.choices)
# The steps the entry page offers buttons for (each checked against the user's scope).
ENTRY_ACTIONS = ("change", "submit", "check", "decide", "manage")

DETAIL = "resources:resource_detail"


def _rows_of(resource_type, data) -> list[dict]:
    """Readable rows (label, text) of a version's data, in form order, empty ones left
    out (the submitted content the officer checks)."""
    rows = services.version_diff(None, data)
    for row in rows:
        row["long"] = row["field"] in LONG_FIELDS
    return rows


# --- applying and editing ---------------------------------------------------------------


def _type_or_none(value):
    return value if value in c.ResourceType.values else None


@permission_required("resources.resource.create")
def resource_create(request):
    resource_type = _type_or_none(request.GET.get("type") or request.POST.get("type", ""))
    if resource_type is None:
        types = [
            {
                "value": value,
                "label": label,
                "help": TYPE_HELP[value],
                "icon": TYPE_ICONS[value],
            }
            for value, label in c.ResourceType.choices
        ]
        return render(request, "resources/resource_type_choice.html", {"types": types})
    submitting = request.method == "POST" and "submit" in request.POST
    form = ResourceForm(
        request.POST or None,
        user=request.user,
        resource_type=resource_type,
        submitting=submitting,
    )

    def message(resource):
        if submitting:
            text = _(
                "“%(title)s” has been submitted. The catalog officers will check it "
                "for completeness and send it to the experts."
            )
        else:
            text = _("“%(title)s” saved as a draft. Submit it when it is complete.")
        return text % {"title": resource.title}

    answer = submit_form(
        request,
        form,
        lambda: services.create_resource(
            actor=request.user,
            resource_type=resource_type,
            organization=form.owner_unit(),
            content=form.content(),
            note=form.cleaned_data.get("note", ""),
            submit=submitting,
        ),
        success=lambda resource: reverse(DETAIL, args=[resource.pk]),
        message=message,
        fallback=reverse("resources:resource_list"),
    )
    return answer or form_page(
        request,
        "resources/resource_form.html",
        form,
        {
            "resource": None,
            "resource_type": resource_type,
            "type_label": c.ResourceType(resource_type).label,
        },
    )


def _editable_or_message(request, resource) -> bool:
    if resource.status in (c.ResourceStatus.WITHDRAWN, c.ResourceStatus.REJECTED):
        messages.error(request, _("A withdrawn or rejected entry can no longer be changed."))
        return False
    version = resource.open_version()
    if version is not None and not version.is_editable:
        messages.error(
            request,
            _("This entry is being reviewed; it can be changed once the review is decided."),
        )
        return False
    return True


@permission_required("resources.resource.change")
def resource_update(request, pk):
    resource = get_resource_for_user(request.user, pk, "change")
    if not _editable_or_message(request, resource):
        return redirect("resources:resource_detail", pk=pk)
    submitting = request.method == "POST" and "submit" in request.POST
    may_submit = scope.can(request.user, resource, "submit")
    form = ResourceForm(
        request.POST or None,
        user=request.user,
        resource_type=resource.resource_type,
        resource=resource,
        submitting=submitting and may_submit,
        initial=content_initial(resource),
    )

    @transaction.atomic  # saving and submitting is one step: a refused submission keeps nothing
    def save():
        version = services.update_content(
            resource,
            actor=request.user,
            content=form.content(),
            note=form.cleaned_data.get("note", ""),
        )
        if submitting and may_submit:
            services.submit_version(resource, actor=request.user)
        return version

    def message(version):
        if submitting and may_submit:
            return _("Changes saved and submitted for review.")
        if resource.status == c.ResourceStatus.DRAFT:
            return _("Changes saved.")
        return _(
            "Changes saved as version %(number)s. Submit it for review; the "
            "published entry stays as it is until then."
        ) % {"number": version.number}

    here = reverse(DETAIL, args=[pk])
    answer = submit_form(request, form, save, success=here, message=message)
    return answer or form_page(
        request,
        "resources/resource_form.html",
        form,
        {
            "resource": resource,
            "resource_type": resource.resource_type,
            "type_label": resource.get_resource_type_display(),
            "may_submit": may_submit,
            "is_live": resource.status in (c.ResourceStatus.PUBLISHED, c.ResourceStatus.SUSPENDED),
        },
    )


# --- the entry page ---------------------------------------------------------------------


def _content_rows(resource) -> list[dict]:
    """The entry's content for the page: label, value and how to show it."""
    rows = []
    names = [*Resource.COMMON_FIELDS, *resource.type_fields()]
    for name in dict.fromkeys(names):
        if name in ("title", "summary", "latitude", "longitude", "is_emergency"):
            continue
        field = Resource._meta.get_field(name)
        value = getattr(resource, name)
        if name == "region":
            value = resource.region.full_name
        elif field.choices and value:
            value = getattr(resource, f"get_{name}_display")()
        if value in (None, ""):
            continue
        rows.append(
            {
                "name": name,
                "label": field.verbose_name,
                "value": value,
                "long": name in LONG_FIELDS,
                "link": name == "url",
            }
        )
    return rows


def _reviews(version, *, officer: bool):
    """The expert reviews of `version` the user may see: officers see them all with the
    experts' names; applicants see the filed ones, without names, once decided."""
    if version is None:
        return [], False
    assignments = list(version.assignments.select_related("reviewer", "pool"))
    for a in assignments:
        a.checks = [
            (getattr(a, name), ReviewAssignment._meta.get_field(name).verbose_name)
            for name in ("facts_correct", "sources_reliable", "fits_audience")
        ]
    if officer:
        return assignments, True
    if version.status in (c.VersionStatus.SUBMITTED, c.VersionStatus.IN_REVIEW):
        return [], False
    return [a for a in assignments if a.submitted_at], False


def _timeline(resource, *, officer: bool):
    """The entry's events; an applicant does not see the experts' verdicts before the
    decision (nor, anywhere, who did what)."""
    events = list(resource.events.select_related("actor", "version"))
    for event in events:
        hidden = (
            not officer
            and event.action == c.EventAction.REVIEWED
            and event.version is not None
            and event.version.status == c.VersionStatus.IN_REVIEW
        )
        event.shown_note = "" if hidden else event.note
    return events


def _detail_context(request, resource, **extra):
    user = request.user
    today = timezone.localdate()
    version = resource.open_version()
    shown = version or resource.versions.order_by("-number").first()
    may = {action: scope.can(user, resource, action) for action in ENTRY_ACTIONS}
    officer = may["check"] or may["decide"]
    closed = resource.status in (c.ResourceStatus.WITHDRAWN, c.ResourceStatus.REJECTED)
    live = resource.status in (c.ResourceStatus.PUBLISHED, c.ResourceStatus.SUSPENDED)
    editable = not closed and (version.is_editable if version else live)
    stage = version.status if version else ""
    reviews, named = _reviews(shown, officer=officer)
    all_assignments = list(shown.assignments.all()) if shown else []
    filed = sum(1 for a in all_assignments if a.submitted_at)
    missing = []
    if version is not None and version.is_editable:
        missing = services.missing_fields(resource.resource_type, services.from_data(version.data))
    attachments = list(resource.attachments.select_related("version"))
    for attachment in attachments:
        attachment.may_delete = may["manage"] or (
            may["change"] and not attachment.is_live and attachment.version.is_editable
        )
    manage_actions = []
    if may["manage"]:
        for action, (allowed, _status, needs_reason, _event) in services.MANAGE_ACTIONS.items():
            if resource.status in allowed:
                manage_actions.append(
                    {"action": action, "label": MANAGE_LABELS[action](), "reason": needs_reason}
                )
    context = {
        "resource": resource,
        "version": version,
        "shown": shown,
        "stage": stage,
        "content_rows": _content_rows(resource),
        "reviews": reviews,
        "reviewer_names": named,
        "reviews_total": len(all_assignments),
        "reviews_filed": filed,
        "missing": missing,
        "attachments": attachments,
        "versions": list(resource.versions.all()),
        "events": _timeline(resource, officer=officer),
        "officer": officer,
        "today": today,
        "can_edit": may["change"] and editable,
        "can_submit": may["submit"] and version is not None and version.is_editable,
        "can_check": may["check"] and stage == c.VersionStatus.SUBMITTED,
        "can_decide": may["decide"] and stage == c.VersionStatus.IN_REVIEW,
        "held_back": workflow.held_back(user, resource, "decide")
        if stage == c.VersionStatus.IN_REVIEW
        else None,
        "can_add_reviewers": may["check"] and stage == c.VersionStatus.IN_REVIEW,
        "can_upload": may["change"] and editable,
        "manage_actions": manage_actions,
        "decide_form": DecideForm(),
        "reason_form": ReasonForm(),
        "upload_form": AttachmentForm(),
        "is_live": live,
    }
    if context["can_add_reviewers"] and "reviewers_form" not in extra:
        candidates = services.reviewer_candidates(resource, user, limit=CANDIDATES_SHOWN)
        context["reviewers_form"] = ReviewersForm(candidates=candidates)
    context.update(extra)
    return context


MANAGE_LABELS = {
    "suspend": lambda: _("Suspend"),
    "reinstate": lambda: _("Reinstate"),
    "withdraw": lambda: _("Withdraw from the catalog"),
    "renew": lambda: _("Renew the review-by date"),
}
MANAGE_MESSAGES = {
    "suspend": lambda: _("The entry is suspended: it is off the public catalog for now."),
    "reinstate": lambda: _("The entry is published again."),
    "withdraw": lambda: _("The entry has been withdrawn from the catalog."),
    "renew": lambda: _("The review-by date has been renewed."),
}


@require_safe
@permission_required("resources.resource.view")
def resource_detail(request, pk):
    resource = get_resource_for_user(request.user, pk)
    return render(request, "resources/resource_detail.html", _detail_context(request, resource))


@require_POST
@permission_required("resources.resource.submit")
def resource_submit(request, pk):
    resource = get_resource_for_user(request.user, pk, "submit")
    return run_step(
        request,
        lambda: services.submit_version(resource, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("Submitted. The catalog officers of %(region)s will check it for completeness.")
        % {"region": resource.region.name},
    )


# --- completeness check, experts and decision -------------------------------------------


@permission_required("resources.resource.check")
def resource_check(request, pk):
    resource = get_resource_for_user(request.user, pk, "check")
    version = resource.open_version()
    if version is None or version.status != c.VersionStatus.SUBMITTED:
        messages.error(request, _("Only a submitted version waits for the completeness check."))
        return redirect("resources:resource_detail", pk=pk)
    limit = CANDIDATES_ACCEPTED if request.method == "POST" else CANDIDATES_SHOWN
    candidates = services.reviewer_candidates(resource, request.user, limit=limit)
    form = CheckForm(request.POST or None, candidates=candidates)

    def complete() -> bool:
        return form.cleaned_data["outcome"] == "complete"

    def message(_version):
        if complete():
            return _("Complete: the entry has been sent to %(n)d expert(s) for review.") % {
                "n": len(form.memberships())
            }
        return _("Returned to the applicant as incomplete.")

    answer = submit_form(
        request,
        form,
        lambda: services.check_completeness(
            resource,
            actor=request.user,
            complete=complete(),
            note=form.cleaned_data["note"],
            reviewers=form.memberships() if complete() else [],
            due_date=form.cleaned_data["due_date"],
        ),
        success=reverse(DETAIL, args=[pk]),
        message=message,
    )
    if answer:
        return answer
    data = services.from_data(version.data)
    return form_page(
        request,
        "resources/resource_check.html",
        form,
        {
            "resource": resource,
            "version": version,
            "candidates": candidates[:CANDIDATES_SHOWN],
            "rows": _rows_of(resource.resource_type, version.data),
            "missing": services.missing_fields(resource.resource_type, data),
            "attachments": list(version.attachments.all()),
            "previous": services.previous_data(version) is not None,
        },
    )


@require_POST
@permission_required("resources.resource.check")
def resource_add_reviewers(request, pk):
    resource = get_resource_for_user(request.user, pk, "check")
    candidates = services.reviewer_candidates(resource, request.user, limit=CANDIDATES_ACCEPTED)
    form = ReviewersForm(request.POST, candidates=candidates)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, " ".join(str(e) for e in errors))
        return redirect("resources:resource_detail", pk=pk)
    return run_step(
        request,
        lambda: services.add_reviewers(
            resource,
            actor=request.user,
            reviewers=form.memberships(),
            due_date=form.cleaned_data["due_date"],
        ),
        back=reverse(DETAIL, args=[pk]),
        message=lambda added: _("%(n)d expert(s) added to the review.") % {"n": len(added)},
    )


DECIDE_MESSAGES = {
    c.Decision.PUBLISH: lambda: _("Published in the catalog."),
    c.Decision.RETURN: lambda: _("Returned to the applicant for revision."),
    c.Decision.REJECT: lambda: _("Rejected."),
}


@require_POST
@permission_required("resources.resource.decide")
def resource_decide(request, pk):
    resource = get_resource_for_user(request.user, pk, "decide")
    version = resource.open_version()
    if version is None or version.status != c.VersionStatus.IN_REVIEW:
        # Nothing to correct on the form: the entry has left the review (the service
        # refuses the same).
        messages.error(request, _("Only a version in review can be decided."))
        return redirect(DETAIL, pk=pk)
    form = DecideForm(request.POST)
    answer = submit_form(
        request,
        form,
        lambda: services.decide(
            resource,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        ),
        success=reverse(DETAIL, args=[pk]),
        message=lambda _version: DECIDE_MESSAGES[form.cleaned_data["decision"]](),
    )
    if answer:
        return answer
    resource = get_resource_for_user(request.user, pk)
    context = _detail_context(request, resource, decide_form=form)
    return render(request, "resources/resource_detail.html", context, status=400)


@require_POST
@permission_required("resources.resource.manage")
def resource_manage(request, pk, action):
    if action not in services.MANAGE_ACTIONS:
        raise Http404
    resource = get_resource_for_user(request.user, pk, "manage")
    form = ReasonForm(request.POST)
    form.is_valid()
    return run_step(
        request,
        lambda: services.manage(
            resource, actor=request.user, action=action, reason=form.cleaned_data.get("reason", "")
        ),
        back=reverse(DETAIL, args=[pk]),
        message=MANAGE_MESSAGES[action](),
    )


# --- versions ---------------------------------------------------------------------------


@require_safe
@permission_required("resources.resource.view")
def version_detail(request, pk, number):
    resource = get_resource_for_user(request.user, pk)
    version = resource.versions.filter(number=number).select_related("decided_by").first()
    if version is None:
        raise Http404
    previous = (
        resource.versions.filter(
            number__lt=version.number,
            status__in=(c.VersionStatus.APPROVED, c.VersionStatus.SUPERSEDED),
        )
        .order_by("-number")
        .first()
    )
    rows = services.version_diff(services.previous_data(version), version.data)
    for row in rows:
        row["long"] = bool(row["lines"])
    return render(
        request,
        "resources/version_detail.html",
        {
            "resource": resource,
            "version": version,
            "previous": previous,
            "rows": rows,
            "versions": list(resource.versions.all()),
            "officer": scope.can(request.user, resource, "check"),
        },
    )


# --- attachments ------------------------------------------------------------------------


@require_POST
@permission_required("resources.resource.change")
def attachment_upload(request, pk):
    resource = get_resource_for_user(request.user, pk, "change")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect("resources:resource_detail", pk=pk)
    upload = form.cleaned_data["file"]
    return run_step(
        request,
        lambda: services.add_attachment(
            resource, actor=request.user, upload=upload, caption=form.cleaned_data["caption"]
        ),
        back=reverse(DETAIL, args=[pk]),
        message=_("“%(name)s” added. It goes public when the version is published.")
        % {"name": upload.name},
    )


@require_safe
@permission_required("resources.resource.view")
def attachment_download(request, pk, file_pk):
    resource = get_resource_for_user(request.user, pk)
    attachment = get_attachment(resource, file_pk)
    if not (attachment.is_live and resource.is_public):
        # A file not (or no longer) on the public catalog: who took a copy is recorded.
        audit.record(
            "resources.resourceattachment.downloaded",
            obj=attachment,
            detail={"resource": resource.pk},
            region_code=resource.region.code,
        )
    return file_response(
        attachment.file,
        content_type=attachment.content_type,
        name=attachment.original_name,
        download=True,
    )


@require_safe
@permission_required("resources.resource.view")
def attachment_thumbnail(request, pk, file_pk):
    resource = get_resource_for_user(request.user, pk)
    attachment = get_attachment(resource, file_pk)
    if not attachment.thumbnail:
        raise Http404
    return file_response(
        attachment.thumbnail,
        content_type="image/jpeg",
        name=attachment.thumbnail_name,
        cache="private, max-age=3600",
    )


@require_POST
@permission_required("resources.resource.change")
def attachment_delete(request, pk, file_pk):
    resource = get_resource_for_user(request.user, pk, "change")
    attachment = get_attachment(resource, file_pk)
    officer = scope.can(request.user, resource, "manage")
    return run_step(
        request,
        lambda: services.remove_attachment(attachment, actor=request.user, officer=officer),
        back=reverse(DETAIL, args=[pk]),
        message=_("“%(name)s” removed.") % {"name": attachment.original_name},
    )
