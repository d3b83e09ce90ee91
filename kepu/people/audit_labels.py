"""Readable names of the people registry's action codes on the audit pages (core reads
them through `kepu.core.audit.action_label`). Every code the app records has one."""

from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

ACTION_LABELS.update(
    {
        "people.person.created": _("Person added to the registry"),
        "people.person.updated": _("Person's record changed"),
        "people.person.revealed": _("Full ID and phone number viewed"),
        "people.person.erased": _("Personal information erased"),
        "people.person.keys_rotated": _("Personal data re-encrypted with the active key"),
        "people.person.exported": _("People exported"),
        "people.person.exported_full": _("People exported with full numbers"),
        "people.stats.exported": _("Talent statistics exported"),
        "people.registration.created": _("Registration entered"),
        "people.registration.applied": _("Applied on the public form"),
        "people.registration.certified": _("Registration certified"),
        "people.registration.rejected": _("Registration rejected"),
        "people.expertpool.created": _("Expert pool created"),
        "people.poolmembership.created": _("Added to an expert pool"),
        "people.poolmembership.updated": _("Expert pool membership changed"),
        "people.team.created": _("Volunteer team created"),
        "people.teammembership.created": _("Joined a volunteer team"),
        "people.training.created": _("Training record added"),
        "people.creditentry.created": _("Credits granted"),
        "people.honouraward.created": _("Honour recorded"),
        "people.officeractivity.created": _("Information officer's activity recorded"),
        "people.officeractivity.imported": _("Information officers' activity imported"),
        "people.officeractivity.exported": _("Information officers' activity exported"),
        "people.officermonth.exported": _("Information officers' monthly feedback exported"),
        "people.officerfeedback.issued": _("Monthly feedback sent to the regions below"),
        "people.officerfeedback.created": _("Monthly feedback recorded"),
    }
)
