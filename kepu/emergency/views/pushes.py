"""Pages: pushes. The incident's tab (its pushes and the reach by region from the
tallies), the push form, a push's page (status, counts by channel, its deliveries with
filters and export, officers record acknowledgements), and the recipient's inbox with the
phone-first acknowledgement page."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kepu.core import exports, scope
from kepu.core.excel import Column
from kepu.core.forms import region_field
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    submit_form,
)
from kepu.core.views.jobs import job_page
from kepu.emergency import choices as c
from kepu.emergency.filters.pushes import DeliveryFilter
from kepu.emergency.forms.pushes import AcknowledgeForm, PushForm
from kepu.emergency.models import Delivery, Push
from kepu.emergency.permissions import (
    get_delivery_for_user,
    get_incident_for_user,
    get_push_for_user,
)
from kepu.emergency.services import pushes as services
from kepu.resources.choices import ResourceStatus, TagKind
from kepu.resources.models import Resource, ResourceTag

PICKER_SIZE = 40
STATUS_BADGES = {
    c.PushStatus.QUEUED: "bg-secondary-lt",
    c.PushStatus.DELIVERING: "bg-yellow-lt",
    c.PushStatus.DELIVERED: "bg-green-lt",
    c.PushStatus.FAILED: "bg-red-lt",
}


def _may_push(user, incident) -> bool:
    """Pushes are sent by the officers of the incident's responsible region (the
    officers of an affected region read them: scope reach)."""
    return scope.allowed_regions(user, Push, "create").filter(pk=incident.region_id).exists()


@require_safe
@permission_required("emergency.push.view")
def incident_pushes(request, pk):
    incident = get_incident_for_user(request.user, pk)
    pushes = list(
        visible_to(request.user, Push.objects.with_relations(), public=False)
        .filter(incident=incident)
        .order_by("-created_at", "-pk")[:50]
    )
    for push in pushes:
        push.badge = STATUS_BADGES.get(push.status, "bg-blue-lt")
    rows, total = services.reach_rows(incident)
    return render(
        request,
        "emergency/incident_pushes.html",
        {
            "incident": incident,
            "pushes": pushes,
            "reach": rows,
            "total": total,
            "can_push": incident.is_open and _may_push(request.user, incident),
        },
    )


def _picker(incident, query: str):
    """The emergency library's published entries, those tagged with the incident's
    hazard first, newest first, narrowed by the search box."""
    matched = ResourceTag.objects.filter(
        resource=OuterRef("pk"), kind=TagKind.HAZARD, code=incident.hazard
    )
    rows = Resource.objects.filter(is_emergency=True, status=ResourceStatus.PUBLISHED)
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(keywords__icontains=query))
    return list(
        rows.annotate(matched=Exists(matched))
        .order_by("-matched", "-published_at", "-pk")
        .only("pk", "uid", "title", "summary", "resource_type", "published_at")[:PICKER_SIZE]
    )


@permission_required("emergency.push.create")
def push_create(request, pk):
    incident = get_incident_for_user(request.user, pk)
    if not _may_push(request.user, incident):
        raise PermissionDenied
    form = PushForm(request.POST or None, incident=incident)
    done = submit_form(
        request,
        form,
        lambda: services.create_push(
            incident,
            actor=request.user,
            title=form.cleaned_data["title"],
            message=form.cleaned_data["message"],
            resources=list(form.cleaned_data["resources"]),
            channels=form.cleaned_data["channels"],
            regions=list(form.cleaned_data["regions"]),
        ),
        success=lambda push: reverse("emergency:push_detail", args=[push.pk]),
        message=_("Push queued: the recipients get it in a moment."),
        fallback=reverse("emergency:incident_pushes", args=[pk]),
    )
    if done is not None:
        return done
    query = request.GET.get("q", "").strip()[:50]
    affected = list(form.fields["regions"].queryset)
    counts = services.channel_counts(affected) if affected else {}
    channels = [(value, label, counts.get(value, 0)) for value, label in c.Channel.choices]
    chosen = {str(v) for v in (form["resources"].value() or [])}
    return form_page(
        request,
        "emergency/push_form.html",
        form,
        {
            "incident": incident,
            "picker": _picker(incident, query),
            "chosen": chosen,
            "q": query,
            "channel_rows": channels,
            "chosen_channels": set(form["channels"].value() or []),
            "chosen_regions": {str(v) for v in (form["regions"].value() or [])},
        },
    )


def _deliveries(request, push, queryset=None):
    queryset = visible_to(
        request.user,
        queryset if queryset is not None else Delivery.objects.select_related("region"),
        public=False,
    ).filter(push=push)
    filterset = DeliveryFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Delivery, "view", required=False)
    return filterset


@require_safe
@permission_required("emergency.push.view")
def push_detail(request, pk):
    push = get_push_for_user(request.user, pk)
    filterset = _deliveries(request, push)
    rows = filterset.qs if filter_is_usable(filterset) else Delivery.objects.none()
    page = paginate(request, rows.order_by("push_id", "pk"))
    can_record = has_permission(request.user, "emergency.delivery.record")
    by_channel = {
        r["channel"]: r
        for r in Delivery.objects.filter(push=push)
        .order_by()
        .values("channel")
        .annotate(n=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)))
    }
    channels = [
        (
            label,
            by_channel.get(value, {}).get("n", 0),
            by_channel.get(value, {}).get("acknowledged", 0),
        )
        for value, label in c.Channel.choices
        if value in push.channels
    ]
    return render(
        request,
        "emergency/push_detail.html",
        {
            "push": push,
            "incident": push.incident,
            "badge": STATUS_BADGES.get(push.status, "bg-blue-lt"),
            "job_url": job_page(push.job) if push.job_id else "",
            "resources": list(push.resources.order_by("pk")),
            "regions": list(push.regions.order_by("path")),
            "channels": channels,
            "missing": push.status == c.PushStatus.DELIVERED and push.delivered != push.expected,
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_record": can_record,
            "can_export": has_permission(request.user, "emergency.delivery.export"),
        },
    )


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@exports.builder(
    "emergency.delivery", permission="emergency.delivery.export", back="emergency:delivery_inbox"
)
def delivery_export_rows(request, pk):
    push = get_push_for_user(request.user, pk)
    filterset = _deliveries(request, push)
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export", public=False)
    return exports.Rows(
        queryset=queryset.order_by("push_id", "pk"),
        action="emergency.delivery.exported",
        title=_("Deliveries of the push"),
        columns=[
            Column("name", _("Recipient"), width=30),
            Column("channel", _("Channel"), width=16),
            Column("region", _("Region"), width=16),
            Column("delivered_at", _("Delivered at")),
            Column("acknowledged_at", _("Acknowledged at")),
            Column("via", _("Acknowledged"), width=16),
            Column("groups", _("Groups forwarded to")),
            Column("people", _("People reached")),
        ],
        to_values=lambda d: [
            d.name,
            d.get_channel_display(),
            d.region.name,
            _local(d.delivered_at),
            _local(d.acknowledged_at),
            d.get_acknowledged_via_display() if d.acknowledged_via else "",
            d.groups_forwarded,
            d.people_reached,
        ],
        basename=f"push-{push.pk}-deliveries",
        detail={"push": push.pk},
    )


@require_safe
@permission_required("emergency.delivery.export")
def delivery_export(request, pk):
    return export_list(request, "emergency.delivery", pk=pk)


@require_safe
@permission_required("emergency.delivery.view")
def delivery_inbox(request):
    page = paginate(request, services.inbox(request.user))
    return render(
        request,
        "emergency/delivery_inbox.html",
        {"page": page, "query": query_without_page(request)},
    )


def _ack_page(request, pk, *, action, run, template):
    delivery = get_delivery_for_user(request.user, pk, action)
    form = AcknowledgeForm(request.POST or None)
    back = (
        reverse("emergency:delivery_inbox")
        if action == "acknowledge"
        else reverse("emergency:push_detail", args=[delivery.push_id])
    )
    done = submit_form(
        request,
        form,
        lambda: run(
            delivery,
            actor=request.user,
            groups_forwarded=form.cleaned_data["groups_forwarded"],
            people_reached=form.cleaned_data["people_reached"],
        ),
        success=back,
        message=_("Thank you: your acknowledgement is recorded."),
    )
    if done is not None:
        return done
    push = delivery.push
    resources = list(
        push.resources.filter(status=ResourceStatus.PUBLISHED)
        .order_by("pk")
        .only("pk", "uid", "title", "summary")
    )
    return form_page(
        request,
        template,
        form,
        {"delivery": delivery, "push": push, "resources": resources, "back": back},
    )


@permission_required("emergency.delivery.acknowledge")
def delivery_acknowledge(request, pk):
    return _ack_page(
        request,
        pk,
        action="acknowledge",
        run=services.acknowledge_delivery,
        template="emergency/delivery_acknowledge.html",
    )


@permission_required("emergency.delivery.record")
def delivery_record(request, pk):
    return _ack_page(
        request,
        pk,
        action="record",
        run=services.record_acknowledgement,
        template="emergency/delivery_record.html",
    )
