"""Every state change of the catalog: in a transaction, under a row lock, audited, with
an event on the entry's timeline, refusing what the rules refuse for pages, API, imports
and commands alike.

Split by aggregate; `from kepu.resources import services; services.X` keeps working for
every public name:
- `content`: the content dict <-> a version's JSON, checks and shared helpers;
- `entries`: applying, editing, submitting, files;
- `review`: the completeness check, the experts and their reviews;
- `workflow`: the decision and the dynamic management, review-by reminders;
- `presentation`: readable versions and their differences.
"""

from kepu.core.errors import DomainError, StateConflict
from kepu.resources.services.content import (
    TAG_CHOICES,
    TAG_LISTS,
    add_years,
    check_content,
    content_of,
    from_data,
    listing_number_for,
    missing_fields,
    refresh_search_text,
    review_years,
    set_fields,
    to_data,
)
from kepu.resources.services.entries import (
    ATTACHMENT_LIMITS,
    IMAGE_TYPES,
    MAX_ATTACHMENTS,
    THUMBNAIL_SIZE,
    add_attachment,
    create_resource,
    remove_attachment,
    submit_version,
    update_content,
)
from kepu.resources.services.presentation import (
    display_value,
    field_label,
    previous_data,
    version_diff,
)
from kepu.resources.services.review import (
    add_reviewers,
    check_completeness,
    conflict_reason,
    file_review,
    reviewer_candidates,
)
from kepu.resources.services.workflow import (
    MANAGE_ACTIONS,
    MANAGE_AUDIT_CODES,
    decide,
    manage,
    send_review_reminders,
)

__all__ = [
    "ATTACHMENT_LIMITS",
    "IMAGE_TYPES",
    "MANAGE_ACTIONS",
    "MANAGE_AUDIT_CODES",
    "MAX_ATTACHMENTS",
    "TAG_CHOICES",
    "TAG_LISTS",
    "THUMBNAIL_SIZE",
    "DomainError",
    "StateConflict",
    "add_attachment",
    "add_reviewers",
    "add_years",
    "check_completeness",
    "check_content",
    "conflict_reason",
    "content_of",
    "create_resource",
    "decide",
    "display_value",
    "field_label",
    "file_review",
    "from_data",
    "listing_number_for",
    "manage",
    "missing_fields",
    "previous_data",
    "refresh_search_text",
    "remove_attachment",
    "review_years",
    "reviewer_candidates",
    "send_review_reminders",
    "set_fields",
    "submit_version",
    "to_data",
    "update_content",
    "version_diff",
]
