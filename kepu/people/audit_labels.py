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
        # Talent evaluation and the high-level talent service (seeds 000 (五)(六)).
        "people.evaluationround.created": _("Evaluation round created"),
        "people.evaluationround.updated": _("Evaluation round changed"),
        "people.evaluationround.opened": _("Evaluation round opened for applications"),
        "people.evaluationround.closed": _("Evaluation round closed for review"),
        "people.evaluationround.published": _("Evaluation results published"),
        "people.evaluationround.results_recorded": _("Evaluation results written to the registry"),
        "people.evaluationround.exported": _("Evaluation ranking exported"),
        "people.talentapplication.created": _("Talent application started"),
        "people.talentapplication.updated": _("Talent application changed"),
        "people.talentapplication.submitted": _("Talent application submitted with its record"),
        "people.talentapplication.recommended": _("Talent application recommended by the unit"),
        "people.talentapplication.returned": _("Talent application returned"),
        "people.talentapplication.scored": _("Talent application scored"),
        "people.talentapplication.awarded": _("Talent application approved"),
        "people.talentapplication.exported": _("Talent applications exported"),
        "people.applicationitem.created": _("Self-declared item added to an application"),
        # Score sheets are audited as the application's `scored` entry; the label covers
        # the generic code of an audited model.
        "people.applicationscore.created": _("Score sheet filed"),
        "people.highleveltalent.created": _("Added to the high-level talent list"),
        "people.highleveltalent.updated": _("High-level talent's entry changed"),
        "people.highleveltalent.exported": _("High-level talents exported"),
        "people.servicerecord.created": _("Service to a high-level talent recorded"),
        "people.servicerecord.resolved": _("High-level talent's need resolved"),
    }
)
