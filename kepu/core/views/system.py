"""Administration under 三员分立: accounts (system administrator), roles and unlocking
(security administrator), the audit trail (audit administrator)."""

import json

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import auditchain, exports, jobs, services
from kepu.core.excel import Column
from kepu.core.filters import AuditFilter, UserFilter
from kepu.core.forms import RoleAssignmentForm, TemporaryPasswordForm, UserForm
from kepu.core.models import AuditEntry, AuditSeal, User
from kepu.core.permissions import (
    can_act_on_account,
    duty_refusal,
    get_auditentry_for_user,
    get_roleassignment_for_user,
    get_user_for_user,
    grantable_roles,
)
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
from kepu.core.views.jobs import form_job_key, job_page


@require_safe
@permission_required("core.user.view")
def user_list(request):
    queryset = visible_to(request.user, User.objects.with_relations()).distinct()
    filterset = UserFilter(request.GET or None, queryset=queryset)
    locked = set(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).values_list("username", flat=True)
    )
    return render(
        request,
        "core/user_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "query": query_without_page(request),
            "locked": locked,
            "can_create": has_permission(request.user, "core.user.create"),
        },
    )


@permission_required("core.user.create")
def user_create(request):
    form = UserForm(request.POST or None)
    fields = ("username", "full_name", "email", "region", "is_active")
    done = submit_form(
        request,
        form,
        lambda: services.create_user(
            actor=request.user,
            password=form.cleaned_data["password"],
            **{k: form.cleaned_data[k] for k in fields},
        ),
        success=lambda user: reverse("core:user_detail", args=[user.pk]),
        message=lambda user: _("Account “%(u)s” created.") % {"u": user.username},
        fallback="core:user_list",
    )
    return done or form_page(request, "core/user_form.html", form)


# The account actions of the detail page: (action in the 三员分立 table, permission).
_ACCOUNT_BUTTONS = {
    "change": "core.user.change",
    "unlock": "core.user.unlock",
    "reset_password": "core.user.reset_password",
    "reset_totp": "core.user.reset_totp",
    "assign_role": "core.roleassignment.create",
}


@require_safe
@permission_required("core.user.view")
def user_detail(request, pk):
    account = get_user_for_user(request.user, pk)
    lock = AccessAttempt.objects.filter(username=account.username).first()
    allowed = {
        action: can_act_on_account(request.user, account, action, permission)
        for action, permission in _ACCOUNT_BUTTONS.items()
    }
    # Why the buttons an administrator otherwise has are missing on this account.
    held = [a for a, p in _ACCOUNT_BUTTONS.items() if has_permission(request.user, p)]
    duty_note = (
        duty_refusal(request.user, account, held[0])
        if held and not any(allowed[a] for a in held)
        else None
    )
    grantable = grantable_roles(request.user)
    return render(
        request,
        "core/user_detail.html",
        {
            "account": account,
            "assignments": account.role_assignments.select_related("region", "organization"),
            "locked": bool(lock and lock.failures_since_start >= settings.AXES_FAILURE_LIMIT),
            "can_change": allowed["change"],
            "can_assign": allowed["assign_role"],
            "can_unlock": allowed["unlock"],
            "can_reset_password": allowed["reset_password"],
            "can_reset_totp": allowed["reset_totp"],
            "revocable": grantable if allowed["assign_role"] else frozenset(),
            "duty_note": duty_note,
            "role_form": RoleAssignmentForm(user=request.user) if allowed["assign_role"] else None,
        },
    )


@permission_required("core.user.change")
def user_update(request, pk):
    account = get_user_for_user(request.user, pk, "change")
    form = UserForm(request.POST or None, instance=account)
    fields = ("full_name", "email", "region", "is_active")
    done = submit_form(
        request,
        form,
        lambda: services.update_user(
            account, actor=request.user, **{k: form.cleaned_data[k] for k in fields}
        ),
        success=reverse("core:user_detail", args=[pk]),
        message=_("Changes saved."),
    )
    return done or form_page(request, "core/user_form.html", form, {"account": account})


@require_POST
@permission_required("core.roleassignment.create")
def role_assign(request, pk):
    account = get_user_for_user(request.user, pk, "assign_role")
    form = RoleAssignmentForm(request.POST, user=request.user)
    back = reverse("core:user_detail", args=[pk])
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    return run_step(
        request,
        lambda: services.assign_role(
            account,
            actor=request.user,
            role=form.cleaned_data["role"],
            region=form.cleaned_data["region"],
            organization=form.cleaned_data["organization"],
        ),
        back=back,
        message=_("Role granted."),
    )


@require_POST
@permission_required("core.roleassignment.delete")
def role_revoke(request, pk):
    assignment = get_roleassignment_for_user(request.user, pk, "delete")
    return run_step(
        request,
        lambda: services.revoke_role(assignment, actor=request.user),
        back=reverse("core:user_detail", args=[assignment.user_id]),
        message=_("Role revoked."),
    )


@require_POST
@permission_required("core.user.unlock")
def user_unlock(request, pk):
    account = get_user_for_user(request.user, pk, "unlock")
    return run_step(
        request,
        lambda: services.unlock_user(account, actor=request.user),
        back=reverse("core:user_detail", args=[pk]),
        message=_("The account is unlocked."),
    )


@permission_required("core.user.reset_password")
def user_reset_password(request, pk):
    account = get_user_for_user(request.user, pk, "reset_password")
    form = TemporaryPasswordForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.reset_password(
            account, actor=request.user, new_password=form.cleaned_data["new_password"]
        ),
        success=reverse("core:user_detail", args=[pk]),
        message=_("The temporary password is set; the user must change it at the next login."),
    )
    return done or form_page(request, "core/user_password_reset.html", form, {"account": account})


@require_POST
@permission_required("core.user.reset_totp")
def user_reset_totp(request, pk):
    account = get_user_for_user(request.user, pk, "reset_totp")
    return run_step(
        request,
        lambda: services.reset_totp(account, actor=request.user),
        back=reverse("core:user_detail", args=[pk]),
        message=_("The second factor is removed; the user sets up a new one."),
    )


def _audit_filter(request):
    return AuditFilter(request.GET or None, queryset=visible_to(request.user, AuditEntry))


@require_safe
@permission_required("core.auditentry.view")
def audit_list(request):
    filterset = _audit_filter(request)
    rows = filterset.qs if filter_is_usable(filterset) else AuditEntry.objects.none()
    return render(
        request,
        "core/audit_list.html",
        {
            "filter": filterset,
            "page": paginate(request, rows, per_page=50),
            "query": query_without_page(request),
            "retention_days": settings.AUDIT_RETENTION_DAYS,
            "chain": _chain_status(),
        },
    )


def _chain_status() -> dict:
    """The audit chain's state for the audit page, in three indexed reads: the head, the
    last seal and the last verification (the job records its report as an audit entry;
    verifying the whole chain is a job, never part of a page)."""
    seq, _hash = auditchain.head()
    last = (
        AuditEntry.objects.filter(action="core.auditentry.verified")
        .order_by("-created_at", "-id")
        .only("created_at", "outcome", "detail")
        .first()
    )
    seal = AuditSeal.objects.filter(kind=AuditSeal.Kind.SEAL).order_by("-seq", "-id").first()
    return {"head": seq, "verified": last, "report": last.detail if last else {}, "seal": seal}


@require_POST
@permission_required("core.auditentry.verify")
def audit_verify(request):
    """Start a verification of the whole chain (a job; its page shows the result)."""
    job = jobs.start(
        "core.verify_audit",
        actor=request.user,
        idem=form_job_key(request, "core.verify_audit"),  # a double click: one job
    )
    messages.success(request, _("Started: %(t)s") % {"t": job.title})
    return redirect(job_page(job))


@require_safe
@permission_required("core.auditentry.view")
def audit_detail(request, pk):
    entry = get_auditentry_for_user(request.user, pk)
    return render(request, "core/audit_detail.html", {"entry": entry})


def _audit_columns():
    return [
        Column("created_at", _("Time"), width=20),
        Column("actor", _("Actor")),
        Column("action", _("Action"), width=32),
        Column("outcome", _("Outcome"), width=10),
        Column("object_type", _("Object type")),
        Column("object_id", _("Object id")),
        Column("object_repr", _("Object"), width=30),
        Column("region_code", _("Region code")),
        Column("ip", _("IP address")),
        Column("request_id", _("Request id"), width=34),
        Column("changes", _("Changes"), width=60),
    ]


def _audit_values(entry):
    return [
        timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        entry.actor_username,
        entry.action,
        entry.get_outcome_display(),
        entry.object_type,
        entry.object_id,
        entry.object_repr,
        entry.region_code,
        entry.ip or "",
        entry.request_id,
        json.dumps(entry.changes, ensure_ascii=False) if entry.changes else "",
    ]


@exports.builder("core.auditentry", permission="core.auditentry.export", back="core:audit_list")
def audit_export_rows(request):
    filterset = _audit_filter(request)
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=visible_to(request.user, filterset.qs, "export").order_by("pk"),
        action="core.auditentry.exported",
        title=_("Audit trail"),
        columns=_audit_columns(),
        to_values=_audit_values,
        basename="audit",
    )


@require_safe
@permission_required("core.auditentry.export")
def audit_export(request):
    return export_list(request, "core.auditentry")
