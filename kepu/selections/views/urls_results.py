"""Pages of the results area of the selections app: the 公示, objections, the decision,
certificates, and the public pages (no login) under /calls/."""

from django.urls import path

from kepu.selections.views import results as v
from kepu.selections.views import results_public as p

urlpatterns = [
    path("selections/calls/<int:pk>/publicity/", v.call_publicity, name="call_publicity"),
    path("selections/calls/<int:pk>/decide/", v.call_decide, name="call_decide"),
    path("selections/calls/<int:pk>/certificates/", v.call_certificates, name="call_certificates"),
    path("selections/objections/", v.objection_list, name="objection_list"),
    path("selections/objections/<int:pk>/", v.objection_detail, name="objection_detail"),
    path(
        "selections/entries/<int:pk>/certificate.pdf",
        v.entry_certificate,
        name="entry_certificate",
    ),
    path("calls/", p.public_call_list, name="public_call_list"),
    path("calls/results/", p.public_results, name="public_results"),
    path("calls/verify/", p.certificate_verify, name="certificate_verify"),
    path("calls/verify/<str:code>/", p.certificate_verify_code, name="certificate_verify_code"),
    path("calls/<int:pk>/", p.public_call, name="public_call"),
    path(
        "calls/<int:pk>/entries/<int:entry_pk>/objection/",
        p.public_objection,
        name="public_objection",
    ),
]
