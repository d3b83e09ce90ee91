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
        "people.team.applied": _("Applied for team certification"),
        "people.team.certified": _("Volunteer team certified"),
        "people.team.rejected": _("Team certification refused"),
        "people.team.suspended": _("Volunteer team suspended"),
        "people.team.reinstated": _("Volunteer team reinstated"),
        "people.team.dissolved": _("Volunteer team dissolved"),
        "people.team.exported": _("Volunteer teams exported"),
        "people.teamhonour.created": _("Team honour recorded"),
        "people.teamhonour.exported": _("Team honours exported"),
        "people.servicegroup.created": _("Designated service group set up"),
        "people.servicegroup.exported": _("Designated service groups exported"),
        "people.teammembership.created": _("Joined a volunteer team"),
        "people.training.created": _("Training record added"),
        "people.creditentry.created": _("Credits granted"),
        "people.honouraward.created": _("Honour recorded"),
        "people.course.created": _("Training course created"),
        "people.course.updated": _("Training course changed"),
        "people.course.exported": _("Training courses exported"),
        "people.trainingbase.created": _("Training base proposed"),
        "people.trainingbase.recognized": _("Training base recognized"),
        "people.trainingsession.created": _("Training session created"),
        "people.trainingsession.opened": _("Training session opened for enrolment"),
        "people.trainingsession.closed": _("Training session enrolment closed"),
        "people.trainingsession.finished": _("Training session finished"),
        "people.enrolment.created": _("Training enrolment created"),
        "people.enrolment.enrolled": _("Enrolled in a training session"),
        "people.enrolment.promoted": _("Moved from the waiting list to a place"),
        "people.enrolment.cancelled": _("Training enrolment withdrawn"),
        "people.enrolment.attended": _("Training attendance marked"),
        "people.enrolment.completed": _("Training completed"),
        "people.enrolment.certificate_downloaded": _("Training certificate downloaded"),
        "people.trainingstats.exported": _("Training statistics exported"),
    }
)
