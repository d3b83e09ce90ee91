"""Readable names of the activity action codes on the audit pages."""

from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

ACTION_LABELS.update(
    {
        "activities.campaign.created": _("Campaign created"),
        "activities.campaign.updated": _("Campaign changed"),
        "activities.mobilefacility.created": _("Mobile facility created"),
        "activities.mobilefacility.updated": _("Mobile facility changed"),
        "activities.activity.created": _("Activity created"),
        "activities.activity.updated": _("Activity changed"),
        "activities.activity.submitted": _("Activity submitted for review"),
        "activities.activity.approved": _("Activity approved"),
        "activities.activity.returned": _("Activity returned for changes"),
        "activities.activity.rejected": _("Activity rejected"),
        "activities.activity.cancelled": _("Activity cancelled"),
        "activities.activity.exported": _("Activities exported"),
        "activities.signup.anonymised": _("Sign-ups past their retention anonymised"),
        "activities.activityreport.created": _("Activity report filed"),
        "activities.signup.created": _("Signed up for an activity"),
        "activities.signup.cancelled": _("Sign-up cancelled"),
        "activities.signup.promoted": _("Moved up from the waiting list"),
        "activities.signup.checked_in": _("Checked in"),
        "activities.signup.exported": _("Sign-ups exported"),
        "activities.stats.exported": _("Activity statistics exported"),
    }
)
