"""The workbench (工作台): every signed-in user's start page. What awaits them (待办,
from the apps' providers in `core.workbench`), reminders, their own recent actions, then
the dashboard's figures for those who may see them."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from kepu.core import workbench
from kepu.core.audit import action_label
from kepu.core.choices import AuditOutcome
from kepu.core.models import AuditEntry, Job
from kepu.core.pagination import count_label
from kepu.core.publiccache import cached_value
from kepu.core.scope import has_permission
from kepu.core.views.dashboard import dashboard_context, focus_region, scope_breadcrumbs

RECENT = 10
# Sign-in and account-security entries are not "work": the recent list leaves them out.
NOT_WORK = (
    "core.user.logged_in",
    "core.user.logged_out",
    "core.user.login_failed",
    "core.user.locked_out",
    "core.user.otp_failed",
    "core.user.password_changed",
    "core.user.totp_enabled",
    "core.user.totp_disabled",
    "core.access.denied",
    "core.job.downloaded",
)


def workbench_items(user, focus) -> dict:
    """The to-do block of `user`, from the shared cache (at most FRESH_SECONDS old; keyed
    by the access version, so a change of roles shows at once)."""
    # The labels are stored as text in the reader's language (the language is part of
    # the key): unpickling a lazy string builds a new proxy class each time (Django's
    # `lazy`), 4 ms of CPU per page for a dozen items at province scale.
    language = get_language() or ""
    key = f"workbench:{user.pk}:{user.access_version}:{focus.code if focus else '-'}:{language}"

    def make():
        items = [replace(item, label=str(item.label)) for item in workbench.collect(user, focus)]
        return {"items": items, "at": timezone.now()}

    return cached_value(key, ("workbench",), make, fresh=workbench.FRESH_SECONDS)


def recent_actions(user) -> list[dict]:
    """The user's own last business actions (the audit index on actor and time)."""
    entries = (
        AuditEntry.objects.filter(actor=user, outcome=AuditOutcome.SUCCESS)
        .exclude(action__in=NOT_WORK)
        .order_by("-created_at")
        .only("action", "object_type", "object_id", "object_repr", "created_at")[:RECENT]
    )
    rows = []
    for entry in entries:
        url = None
        url_name = workbench.link_for(entry.object_type)
        if url_name and entry.object_id.isdigit():
            try:
                url = reverse(url_name, args=[int(entry.object_id)])
            except NoReverseMatch:
                url = None
        rows.append(
            {
                "label": action_label(entry.action) or entry.action,
                "object": entry.object_repr,
                "url": url,
                "at": entry.created_at,
            }
        )
    return rows


@require_safe
@login_required
def workbench_view(request):
    user = request.user
    focus = focus_region(request)
    block = workbench_items(user, focus)
    items = block["items"]
    context = {
        "focus": focus,
        "todos": [
            {"item": i, "count": count_label(i.count, i.capped)}
            for i in items
            if i.kind == workbench.TODO
        ],
        "reminders": [i for i in items if i.kind == workbench.REMINDER],
        "items_at": block["at"],
        "recent": recent_actions(user),
        "show_figures": has_permission(user, "core.dashboard.view"),
        "breadcrumbs": scope_breadcrumbs(user, focus),
        # My last few background jobs (one indexed query: created_by, created_at).
        "my_jobs": list(Job.objects.filter(created_by=user).order_by("-created_at")[:5]),
    }
    if context["show_figures"]:
        context.update(dashboard_context(request, focus))
    return render(request, "core/workbench.html", context)
