"""Back-office pages of notices: list with filters and export, review queue, create and
edit, detail with the workflow's buttons (submit, publish or return, withdraw)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import exports, scope, workflow
from kepu.core.excel import Column
from kepu.core.forms import ReasonForm, region_field
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    run_step,
    submit_form,
)
from kepu.portal import services
from kepu.portal.choices import NoticeStatus
from kepu.portal.filters import NoticeFilter
from kepu.portal.forms import NoticeForm
from kepu.portal.models import Notice
from kepu.portal.permissions import get_notice_for_user

DETAIL = "portal:notice_detail"
STATUS_BADGES = {
    NoticeStatus.DRAFT: "bg-secondary-lt",
    NoticeStatus.SUBMITTED: "bg-yellow-lt",
    NoticeStatus.PUBLISHED: "bg-green-lt",
    NoticeStatus.RETURNED: "bg-orange-lt",
    NoticeStatus.WITHDRAWN: "bg-red-lt",
}


def _filtered(request, queryset=None):
    queryset = visible_to(
        request.user,
        queryset if queryset is not None else Notice.objects.with_relations(),
        public=False,
    )
    filterset = NoticeFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Notice, "view", required=False)
    return filterset


@require_safe
@permission_required("portal.notice.view")
def notice_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs if filter_is_usable(filterset) else Notice.objects.none()
    page = paginate(request, queryset.order_by("-updated_at", "-pk"))
    for notice in page:
        notice.badge = STATUS_BADGES.get(notice.status, "bg-blue-lt")
    user = request.user
    return render(
        request,
        "portal/notice_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "statuses": NoticeStatus.choices,
            "can_create": has_permission(user, "portal.notice.create"),
            "can_export": has_permission(user, "portal.notice.export"),
        },
    )


@require_safe
@permission_required("portal.notice.review")
def notice_queue(request):
    """Submitted notices this officer may review, oldest first (not their own)."""
    queryset = (
        scope.actionable(request.user, Notice.objects.with_relations(), "review")
        .filter(status=NoticeStatus.SUBMITTED)
        .order_by("submitted_at", "pk")
    )
    return render(
        request,
        "portal/notice_queue.html",
        {"page": paginate(request, queryset), "query": query_without_page(request)},
    )


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _columns():
    return [
        Column("title", _("Title"), width=40),
        Column("category", _("Category"), width=12),
        Column("region", _("Region code")),
        Column("region_name", _("Issued for")),
        Column("issuer", _("Issued by"), width=24),
        Column("status", _("Status"), width=12),
        Column("submitted_at", _("Submitted at")),
        Column("published_at", _("Published at")),
        Column("updated_at", _("Last changed")),
    ]


def _values(n: Notice) -> list:
    return [
        n.title,
        n.get_category_display(),
        n.region.code,
        n.region.name,
        n.issuer,
        n.get_status_display(),
        _local(n.submitted_at),
        _local(n.published_at),
        _local(n.updated_at),
    ]


@exports.builder("portal.notice", permission="portal.notice.export", back="portal:notice_list")
def notice_export_rows(request):
    filterset = _filtered(request, Notice.objects.select_related("region"))
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export", public=False)
    return exports.Rows(
        queryset=queryset.order_by("-updated_at", "-pk"),
        action="portal.notice.exported",
        title=_("Notices"),
        columns=_columns(),
        to_values=_values,
        basename="notices",
    )


@require_safe
@permission_required("portal.notice.export")
def notice_export(request):
    return export_list(request, "portal.notice")


@permission_required("portal.notice.create")
def notice_create(request):
    form = NoticeForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.create_notice(actor=request.user, **form.service_fields()),
        success=lambda notice: reverse(DETAIL, args=[notice.pk]),
        message=_("Notice saved as a draft. Submit it for review when it is ready."),
        fallback=reverse("portal:notice_list"),
    )
    return done or form_page(request, "portal/notice_form.html", form, {"notice": None})


@permission_required("portal.notice.change")
def notice_update(request, pk):
    notice = get_notice_for_user(request.user, pk, "change")
    if not notice.is_editable:
        messages.error(request, _("Only drafts and returned notices can be edited."))
        return redirect(DETAIL, pk=pk)
    form = NoticeForm(request.POST or None, instance=notice, user=request.user, action="change")
    done = submit_form(
        request,
        form,
        lambda: services.update_notice(notice, actor=request.user, **form.service_fields()),
        success=reverse(DETAIL, args=[pk]),
        message=_("Changes saved."),
    )
    return done or form_page(request, "portal/notice_form.html", form, {"notice": notice})


def _detail_context(request, notice, **extra):
    user = request.user
    context = {
        "notice": notice,
        "badge": STATUS_BADGES.get(notice.status, "bg-blue-lt"),
        "can_edit": notice.is_editable and scope.can(user, notice, "change"),
        "can_submit": notice.can_submit() and scope.can(user, notice, "submit"),
        "can_review": notice.can_review() and scope.can(user, notice, "review"),
        "held_back": workflow.held_back(user, notice, "review") if notice.can_review() else None,
        "can_withdraw": notice.can_withdraw() and scope.can(user, notice, "withdraw"),
        "review_form": ReasonForm(),
        "withdraw_form": ReasonForm(prefix="withdraw"),
    }
    context.update(extra)
    return context


@require_safe
@permission_required("portal.notice.view")
def notice_detail(request, pk):
    notice = get_notice_for_user(request.user, pk)
    return render(request, "portal/notice_detail.html", _detail_context(request, notice))


@require_POST
@permission_required("portal.notice.submit")
def notice_submit(request, pk):
    notice = get_notice_for_user(request.user, pk, "submit")
    return run_step(
        request,
        lambda: services.submit_notice(notice, actor=request.user),
        back=reverse(DETAIL, args=[pk]),
        message=_("Submitted. Another officer of %(region)s or above will review it.")
        % {"region": notice.region.name},
    )


REVIEW_MESSAGES = {
    "publish": lambda: _("Published: the notice is now on the portal."),
    "return": lambda: _("Returned to the author with your reasons."),
}


@require_POST
@permission_required("portal.notice.review")
def notice_review(request, pk, step):
    """Publish or return, from the detail page or the queue; a refusal (no reason,
    already decided) shows the detail page again with the reason on the form (400)."""
    if step not in REVIEW_MESSAGES:
        raise Http404
    notice = get_notice_for_user(request.user, pk, "review")
    form = ReasonForm(request.POST)
    from_queue = request.POST.get("next", "") == "queue"
    done = submit_form(
        request,
        form,
        lambda: services.review_notice(
            notice, actor=request.user, step=step, reason=form.cleaned_data.get("reason", "")
        ),
        success=reverse("portal:notice_queue") if from_queue else reverse(DETAIL, args=[pk]),
        message=REVIEW_MESSAGES[step](),
    )
    if done is not None:
        return done
    context = _detail_context(request, notice, review_form=form)
    return render(request, "portal/notice_detail.html", context, status=400)


@require_POST
@permission_required("portal.notice.withdraw")
def notice_withdraw(request, pk):
    notice = get_notice_for_user(request.user, pk, "withdraw")
    form = ReasonForm(request.POST, prefix="withdraw")
    done = submit_form(
        request,
        form,
        lambda: services.withdraw_notice(
            notice, actor=request.user, reason=form.cleaned_data.get("reason", "")
        ),
        success=reverse(DETAIL, args=[pk]),
        message=_("Withdrawn: the notice is no longer public."),
    )
    if done is not None:
        return done
    context = _detail_context(request, notice, withdraw_form=form)
    return render(request, "portal/notice_detail.html", context, status=400)
