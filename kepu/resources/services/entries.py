"""Applying for an entry, editing it (a new version once listed), submitting it,
and its files."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core import audit, clock
from kepu.core.errors import DomainError, StateConflict
from kepu.core.uploads import check_upload, extension
from kepu.resources import choices as c
from kepu.resources import rollups as counted
from kepu.resources.models import (
    Resource,
    ResourceAttachment,
    ResourceVersion,
)
from kepu.resources.permissions import require_applicant
from kepu.resources.services.content import (
    _event,
    _locked,
    _open_version,
    _set_tags,
    _user,
    check_content,
    content_of,
    from_data,
    missing_fields,
    refresh_search_text,
    set_fields,
    to_data,
)

IMAGE_TYPES = ("jpg", "jpeg", "png")
ATTACHMENT_LIMITS = {
    # extension -> (kind, max bytes)
    "jpg": (c.AttachmentKind.IMAGE, 10 * 1024 * 1024),
    "jpeg": (c.AttachmentKind.IMAGE, 10 * 1024 * 1024),
    "png": (c.AttachmentKind.IMAGE, 10 * 1024 * 1024),
    "pdf": (c.AttachmentKind.PDF, 30 * 1024 * 1024),
    "mp4": (c.AttachmentKind.VIDEO, 300 * 1024 * 1024),
}
MAX_ATTACHMENTS = 20
THUMBNAIL_SIZE = (480, 360)


# --- applying and editing ---------------------------------------------------------------


@transaction.atomic
def create_resource(
    *,
    actor,
    resource_type,
    organization,
    content: dict,
    note: str = "",
    submit: bool = False,
    audit_entry: bool = True,
) -> Resource:
    """A new entry and its first version (a draft, or submitted at once)."""
    if resource_type not in c.ResourceType.values:
        raise DomainError({"resource_type": _("Choose a resource type.")})
    region = content.get("region")
    if region is None:
        raise DomainError({"region": _("Choose the region.")})
    require_applicant(actor, organization, region)
    check_content(resource_type, content)
    resource = Resource(
        resource_type=resource_type,
        organization=organization,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    set_fields(resource, content)
    refresh_search_text(resource)
    resource.full_clean(exclude=["search_text"])
    resource.save()
    _set_tags(resource, content)
    counted.added(resource)
    version = ResourceVersion.objects.create(
        resource=resource,
        number=1,
        data=to_data(content_of(resource)),
        note=note,
        created_by=resource.created_by,
    )
    if audit_entry:
        audit.created(resource, actor=actor)
    _event(resource, c.EventAction.CREATED, actor=resource.created_by, version=version)
    if submit:
        submit_version(resource, actor=actor)
    return resource


@transaction.atomic
def update_content(resource: Resource, *, actor, content: dict, note=None) -> ResourceVersion:
    """Change the content. Before the first publication the entry itself changes with its
    open version; a published (or suspended) entry keeps its live content and the change
    becomes a new draft version for review."""
    resource = _locked(resource)
    if resource.status in (c.ResourceStatus.WITHDRAWN, c.ResourceStatus.REJECTED):
        raise StateConflict(_("A withdrawn or rejected entry can no longer be changed."))
    version = _open_version(resource)
    if version is not None and not version.is_editable:
        raise StateConflict(
            _("This entry is being reviewed; it can be changed once the review is decided.")
        )
    merged = {**content_of(resource), **(from_data(version.data) if version else {}), **content}
    check_content(resource.resource_type, merged)
    region = merged["region"]
    if region != resource.region:
        require_applicant(actor, resource.organization, region)
    before = to_data(from_data(version.data)) if version else to_data(content_of(resource))
    data = to_data(merged)
    if version is None:
        if resource.status == c.ResourceStatus.DRAFT:
            raise StateConflict(_("This entry has no version to change."))
        number = (resource.versions.order_by("-number").values_list("number", flat=True)[0]) + 1
        version = ResourceVersion.objects.create(
            resource=resource,
            number=number,
            data=data,
            note=note or "",
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    else:
        version.data = data
        if note is not None:
            version.note = note
        version.save(update_fields=["data", "note"])
    if resource.status == c.ResourceStatus.DRAFT:
        with counted.tracked(resource):  # the region may change
            set_fields(resource, merged)
            refresh_search_text(resource)
            resource.full_clean(exclude=["search_text"])
            resource.save()
            _set_tags(resource, merged)
    changes = {k: [before.get(k), v] for k, v in data.items() if before.get(k) != v}
    if changes:
        audit.record(
            "resources.resource.edited",
            obj=resource,
            actor=actor,
            changes=changes,
            detail={"version": version.number},
        )
        _event(resource, c.EventAction.EDITED, actor=version.created_by, version=version)
    return version


@transaction.atomic
def submit_version(resource: Resource, *, actor, note=None) -> ResourceVersion:
    """Send the open draft (or returned) version to the completeness check."""
    resource = _locked(resource)
    version = _open_version(resource)
    if version is None or not version.is_editable:
        raise StateConflict(_("There is nothing to submit: no draft or returned version."))
    missing = missing_fields(resource.resource_type, from_data(version.data))
    if missing:
        raise DomainError(
            _("Fill in before submitting: %(fields)s.") % {"fields": "、".join(missing)}
        )
    version.status = c.VersionStatus.SUBMITTED
    version.submitted_at = clock.now()
    version.submitted_by = _user(actor)
    if note is not None:
        version.note = note
    version.save(update_fields=["status", "submitted_at", "submitted_by", "note"])
    audit.record(
        "resources.resource.submitted",
        obj=resource,
        actor=actor,
        detail={"version": version.number},
    )
    _event(resource, c.EventAction.SUBMITTED, actor=_user(actor), version=version)
    return version


# --- attachments ------------------------------------------------------------------------


def _editable_version(resource: Resource, actor) -> ResourceVersion:
    """The version new files join: the open draft, or a new draft of a listed entry."""
    version = _open_version(resource)
    if version is not None:
        if not version.is_editable:
            raise StateConflict(
                _("This entry is being reviewed; files can be added once it is decided.")
            )
        return version
    if resource.status not in (c.ResourceStatus.PUBLISHED, c.ResourceStatus.SUSPENDED):
        raise StateConflict(_("Files can no longer be added to this entry."))
    return update_content(resource, actor=actor, content={})


def _thumbnail(upload) -> ContentFile | None:
    """A JPEG thumbnail of an image (which also proves the image decodes); None when it
    does not."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = image.convert("RGB")
            image.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name="thumb.jpg")


@transaction.atomic
def add_attachment(resource: Resource, *, actor, upload, caption: str = "") -> ResourceAttachment:
    """Add a file, checked by its content against its type and size limit. It joins the
    open version and goes live when that version is published."""
    resource = _locked(resource)
    ext = extension(upload.name)
    if ext not in ATTACHMENT_LIMITS:
        raise DomainError(
            _("“%(name)s”: only these file types are accepted: %(types)s.")
            % {"name": upload.name, "types": "JPG, PNG, PDF, MP4"}
        )
    kind, max_bytes = ATTACHMENT_LIMITS[ext]
    content_type = check_upload(upload, extensions=tuple(ATTACHMENT_LIMITS), max_bytes=max_bytes)
    thumbnail = None
    if kind == c.AttachmentKind.IMAGE:
        thumbnail = _thumbnail(upload)
        if thumbnail is None:
            raise DomainError(
                _("“%(name)s” is not an image that can be opened.") % {"name": upload.name}
            )
    if resource.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(_("An entry holds at most %(n)d files.") % {"n": MAX_ATTACHMENTS})
    version = _editable_version(resource, actor)
    attachment = ResourceAttachment(
        resource=resource,
        version=version,
        kind=kind,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        caption=caption,
        uploaded_by=_user(actor),
    )
    attachment.file.save(upload.name, upload, save=False)
    if thumbnail is not None:
        attachment.thumbnail.save("thumb.jpg", thumbnail, save=False)
    attachment.save()
    audit.created(attachment, actor=actor, region_code=resource.region.code)
    return attachment


@transaction.atomic
def remove_attachment(attachment: ResourceAttachment, *, actor, officer: bool = False) -> None:
    """Remove a file. A file already public is removed by an officer only."""
    if attachment.is_live and not officer:
        raise DomainError(_("A published file can be removed by the catalog officers only."))
    if not attachment.is_live and not attachment.version.is_editable and not officer:
        raise StateConflict(_("This file is under review and cannot be removed now."))
    audit.record(
        "resources.resourceattachment.deleted",
        obj=attachment,
        actor=actor,
        changes=audit.diff(audit.snapshot(attachment), {}),
        region_code=attachment.resource.region.code,
    )
    storage = attachment.file.storage
    names = [f.name for f in (attachment.file, attachment.thumbnail) if f]
    if attachment.is_live:
        counted.bump_if_public(attachment.resource)
    attachment.delete()
    # The files go once the deletion is committed (a rolled-back request keeps them).
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
