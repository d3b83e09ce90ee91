"""Generic Excel import pages: every registered ImportSpec gets template download,
upload with dry run, the row-level error report and confirmation."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kepu.core import imports, jobs
from kepu.core.choices import ImportStatus
from kepu.core.errors import DomainError
from kepu.core.excel import errors_response, template_response
from kepu.core.models import Job, JobStatus
from kepu.core.permissions import get_importjob_for_user
from kepu.core.scope import require
from kepu.core.views.jobs import job_page


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.")
                % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file made from the template."))
        return upload


def _spec_for(request, key):
    spec = imports.get_spec(key)
    if spec is None:
        raise Http404
    require(request.user, spec.permission)
    return spec


@require_safe
@login_required
def import_template(request, spec_key):
    spec = _spec_for(request, spec_key)
    return template_response(str(spec.title), spec.columns(), f"template-{spec.filename}")


@login_required
def import_start(request, spec_key):
    spec = _spec_for(request, spec_key)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = imports.upload(spec, form.cleaned_data["file"], actor=request.user)
        return redirect(jobs.next_url(job) or job_page(job))
    return render(request, "core/import_start.html", {"spec": spec, "form": form})


def _job(request, pk, action="view"):
    job = get_importjob_for_user(request.user, pk, action)
    spec = imports.get_spec(job.spec)
    if spec is None:
        raise Http404
    require(request.user, spec.permission)
    return job, spec


@require_safe
@login_required
def import_job(request, pk):
    job, spec = _job(request, pk)
    if job.status == ImportStatus.CHECKING:
        task = Job.objects.filter(key=f"import.check:{job.pk}").first()
        if task is not None:
            return redirect(job_page(task))
    applying = (
        Job.objects.filter(key=f"import.apply:{job.pk}")
        .exclude(status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED])
        .first()
    )
    return render(
        request,
        "core/import_job.html",
        {"job": job, "spec": spec, "errors": job.errors[:200], "applying": applying},
    )


@require_safe
@login_required
def import_job_errors(request, pk):
    job, spec = _job(request, pk)
    if not job.errors:
        raise Http404
    return errors_response(job.errors, f"errors-{spec.filename}")


@require_POST
@login_required
def import_job_confirm(request, pk):
    job, spec = _job(request, pk, "change")
    try:
        task = imports.start_apply(job, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("core:import_job", pk=job.pk)
    if not task.finished:
        return redirect(job_page(task))
    job.refresh_from_db()
    if job.status == "imported":
        messages.success(
            request,
            _("Imported: %(c)d new, %(u)d updated.") % {"c": job.to_create, "u": job.to_update},
        )
        return redirect(spec.list_url())
    messages.error(request, _("The data changed since the check; nothing was imported."))
    return redirect("core:import_job", pk=job.pk)
