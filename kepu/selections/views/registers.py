"""Pages of the registers the calls read: disciplinary flags (list, open, close) and
declared relationships (list, declare)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core.scope import get_for_user, has_permission, visible_to
from kepu.core.views.common import (
    form_page,
    paginate,
    permission_required,
    run_step,
    submit_form,
)
from kepu.selections.forms.calls import FlagForm, RelationshipForm
from kepu.selections.models import DisciplinaryFlag, Relationship
from kepu.selections.services import registers as services


@require_safe
@permission_required("selections.disciplinaryflag.view")
def flag_list(request):
    rows = visible_to(
        request.user,
        DisciplinaryFlag.objects.select_related("person", "organization", "region"),
    )
    if request.GET.get("state") != "all":
        rows = rows.open()
    return render(
        request,
        "selections/flag_list.html",
        {
            "page": paginate(request, rows.order_by("-opened_on", "-pk")),
            "all": request.GET.get("state") == "all",
            "can_create": has_permission(request.user, "selections.disciplinaryflag.create"),
            "can_close": has_permission(request.user, "selections.disciplinaryflag.close"),
        },
    )


@permission_required("selections.disciplinaryflag.create")
def flag_create(request):
    form = FlagForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.open_flag(actor=request.user, **form.cleaned_data),
        success=reverse("selections:flag_list"),
        message=_("Disciplinary flag opened."),
    )
    return done or form_page(request, "selections/flag_form.html", form)


@require_POST
@permission_required("selections.disciplinaryflag.close")
def flag_close(request, pk):
    flag = get_for_user(DisciplinaryFlag.objects.all(), request.user, pk, "close")
    return run_step(
        request,
        lambda: services.close_flag(flag, actor=request.user),
        back=reverse("selections:flag_list"),
        message=_("Disciplinary flag closed."),
    )


@require_safe
@permission_required("selections.relationship.view")
def relationship_list(request):
    rows = visible_to(
        request.user,
        Relationship.objects.select_related("expert", "person", "organization", "call"),
    )
    return render(
        request,
        "selections/relationship_list.html",
        {
            "page": paginate(request, rows.order_by("-declared_at", "-pk")),
            "can_create": has_permission(request.user, "selections.relationship.create"),
        },
    )


@permission_required("selections.relationship.create")
def relationship_create(request):
    form = RelationshipForm(request.POST or None, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.declare_relationship(actor=request.user, **form.cleaned_data),
        success=reverse("selections:relationship_list"),
        message=_("Relationship declared: you will not review entries of this person or unit."),
    )
    return done or form_page(request, "selections/relationship_form.html", form)
