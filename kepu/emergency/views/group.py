"""Back-office pages of the expert group: confirm proposals (invite), propose more,
withdraw, record an answer given by phone, make a lead, the duty schedule; and the
expert's own invitations (`/incidents/invitations/`), phone-first, with accept/decline."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core.scope import visible_to
from kepu.core.views.common import (
    form_page,
    paginate,
    permission_required,
    query_without_page,
    run_step,
    submit_form,
)
from kepu.emergency import choices as c
from kepu.emergency.forms.incidents import AddExpertForm, AnswerForm, InviteForm, ShiftForm
from kepu.emergency.models import DutyShift, GroupMember
from kepu.emergency.permissions import get_incident_for_user, get_member_for_user
from kepu.emergency.services import group as services
from kepu.emergency.views.incidents import DETAIL, detail_context, member_label


def _back(member_or_incident_pk):
    return reverse(DETAIL, args=[member_or_incident_pk]) + "#group"


@require_POST
@permission_required("emergency.groupmember.invite")
def member_invite(request, pk):
    """Confirm the chosen proposals (the roster's checkboxes; all of them by default)."""
    incident = get_incident_for_user(request.user, pk, "change")
    form = InviteForm(request.POST, incident=incident)
    done = submit_form(
        request,
        form,
        lambda: services.invite_members(
            incident, actor=request.user, members=list(form.cleaned_data["members"])
        ),
        success=_back(pk),
        message=lambda rows: _("Experts invited: %(n)s.") % {"n": len(rows)},
    )
    if done is not None:
        return done
    context = detail_context(request, incident, invite_form=form)
    return render(request, "emergency/incident_detail.html", context, status=400)


@require_POST
@permission_required("emergency.groupmember.invite")
def member_propose(request, pk):
    """Propose experts again until the group has its size (after withdrawals)."""
    incident = get_incident_for_user(request.user, pk, "change")
    return run_step(
        request,
        lambda: services.propose_group(incident, actor=request.user),
        back=_back(pk),
        message=lambda rows: (
            _("Experts proposed: %(n)s.") % {"n": len(rows)}
            if rows
            else _("The group is complete, or no other expert is available.")
        ),
    )


@permission_required("emergency.groupmember.invite")
def member_add(request, pk):
    """Propose a named expert: the next candidates of the proposal (with their reasons)
    on a page of their own, so the overview never runs the proposal."""
    from kepu.people.models import Person

    incident = get_incident_for_user(request.user, pk, "change")
    form = AddExpertForm(request.POST or None, incident=incident)
    done = submit_form(
        request,
        form,
        lambda: services.add_expert(
            incident,
            Person.objects.get(pk=form.cleaned_data["person"]),
            actor=request.user,
        ),
        success=_back(pk),
        message=lambda member: (
            _("%(name)s proposed; confirm to invite.") % {"name": member.person.name}
        ),
    )
    return done or form_page(request, "emergency/member_add.html", form, {"incident": incident})


@require_POST
@permission_required("emergency.groupmember.withdraw")
def member_withdraw(request, pk):
    member = get_member_for_user(request.user, pk, "withdraw")
    return run_step(
        request,
        lambda: services.withdraw_member(member, actor=request.user),
        back=_back(member.incident_id),
        message=_("Withdrawn from the group."),
    )


@require_POST
@permission_required("emergency.groupmember.invite")
def member_lead(request, pk):
    member = get_member_for_user(request.user, pk, "invite")
    return run_step(
        request,
        lambda: services.set_lead(member, actor=request.user),
        back=_back(member.incident_id),
        message=_("%(name)s leads the group.") % {"name": member.person.name},
    )


@permission_required("emergency.groupmember.record")
def member_record(request, pk):
    """An officer records the expert's answer given by phone."""
    member = get_member_for_user(request.user, pk, "record")
    form = AnswerForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.record_response(
            member,
            actor=request.user,
            accept=form.cleaned_data["accept"],
            reason=form.cleaned_data["reason"],
        ),
        success=_back(member.incident_id),
        message=_("Answer recorded."),
    )
    return done or form_page(request, "emergency/member_record.html", form, {"member": member})


@permission_required("emergency.groupmember.schedule")
def shift_add(request, pk):
    member = get_member_for_user(request.user, pk, "schedule")
    form = ShiftForm(request.POST or None)
    done = submit_form(
        request,
        form,
        lambda: services.add_shift(member, actor=request.user, **form.cleaned_data),
        success=reverse(DETAIL, args=[member.incident_id]) + "#duty",
        message=_("Shift added to the duty schedule."),
    )
    return done or form_page(request, "emergency/member_shift.html", form, {"member": member})


@require_POST
@permission_required("emergency.groupmember.schedule")
def shift_remove(request, pk):
    shift = get_object_or_404(DutyShift.objects.only("pk", "member_id"), pk=pk)
    member = get_member_for_user(request.user, shift.member_id, "schedule")
    return run_step(
        request,
        lambda: services.remove_shift(shift, actor=request.user),
        back=reverse(DETAIL, args=[member.incident_id]) + "#duty",
        message=_("Shift removed."),
    )


def _invitations(request):
    return (
        visible_to(request.user, GroupMember.objects.with_relations(), public=False)
        .filter(person__user=request.user)
        .exclude(status__in=(c.MemberStatus.PROPOSED, c.MemberStatus.WITHDRAWN))
        .order_by("-invited_at", "-pk")
    )


def _invitation_page(request, *, forms=None, error_form=None, status=200):
    page = paginate(request, _invitations(request))
    forms = forms or {}
    for member in page:
        member.form = forms.get(member.pk) or AnswerForm(prefix=f"m{member.pk}")
        member.can_answer = member.can_respond()
        member.status_label = member_label(member.status)
    return render(
        request,
        "emergency/invitation_list.html",
        {"page": page, "query": query_without_page(request), "error_form": error_form},
        status=status,
    )


@require_safe
@login_required
def invitation_list(request):
    """The signed-in person's own invitations, newest first (empty for anyone who was
    never invited: every account may look, only the invited expert answers)."""
    return _invitation_page(request)


@require_POST
@permission_required("emergency.groupmember.respond")
def invitation_respond(request, pk):
    member = get_member_for_user(request.user, pk, "respond")
    form = AnswerForm(request.POST, prefix=f"m{member.pk}")
    done = submit_form(
        request,
        form,
        lambda: services.respond_invitation(
            member,
            actor=request.user,
            accept=form.cleaned_data["accept"],
            reason=form.cleaned_data["reason"],
        ),
        success=reverse("emergency:invitation_list"),
        message=lambda m: (
            _("Thank you: you joined the expert group.")
            if m.status == c.MemberStatus.ACCEPTED
            else _("Your answer was sent to the officer.")
        ),
    )
    # Refused (a decline without a reason, already answered, not one's own): the page
    # again, the errors on the invitation's form and at the top.
    return done or _invitation_page(request, forms={member.pk: form}, error_form=form, status=400)
