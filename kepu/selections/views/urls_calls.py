"""Pages of the calls area of the selections app."""

from django.urls import path

from kepu.selections.views import calls as v
from kepu.selections.views import entries as e
from kepu.selections.views import registers as r

urlpatterns = [
    path("selections/calls/", v.call_list, name="call_list"),
    path("selections/calls/new/", v.call_create, name="call_create"),
    path("selections/calls/<int:pk>/", v.call_detail, name="call_detail"),
    path("selections/calls/<int:pk>/edit/", v.call_edit, name="call_edit"),
    path("selections/calls/<int:pk>/advance/", v.call_advance, name="call_advance"),
    path("selections/calls/<int:pk>/nominate/", e.entry_create, name="entry_create"),
    path("selections/entries/", e.entry_list, name="entry_list"),
    path("selections/entries/<int:pk>/", e.entry_detail, name="entry_detail"),
    path("selections/entries/<int:pk>/check/", e.entry_check, name="entry_check"),
    path("selections/entries/<int:pk>/complete/", e.entry_complete, name="entry_complete"),
    path("selections/entries/<int:pk>/withdraw/", e.entry_withdraw, name="entry_withdraw"),
    path(
        "selections/entries/<int:pk>/materials/<int:mid>/", e.entry_material, name="entry_material"
    ),
    path("selections/checks/", e.check_queue, name="check_queue"),
    path("selections/flags/", r.flag_list, name="flag_list"),
    path("selections/flags/new/", r.flag_create, name="flag_create"),
    path("selections/flags/<int:pk>/close/", r.flag_close, name="flag_close"),
    path("selections/relationships/", r.relationship_list, name="relationship_list"),
    path("selections/relationships/new/", r.relationship_create, name="relationship_create"),
]
