"""URLs of the subsidy area (see kepu.bases.urls): subsidy rounds and the census."""

from django.urls import path

from kepu.bases.views import census, subsidy

urlpatterns = [
    path("bases/subsidies/", subsidy.subsidy_list, name="subsidy_list"),
    path("bases/subsidies/export/", subsidy.subsidy_list_export, name="subsidy_list_export"),
    path("bases/subsidies/new/", subsidy.subsidy_create, name="subsidy_create"),
    path("bases/subsidies/<int:pk>/", subsidy.subsidy_detail, name="subsidy_detail"),
    path("bases/subsidies/<int:pk>/edit/", subsidy.subsidy_edit, name="subsidy_edit"),
    path("bases/subsidies/<int:pk>/submit/", subsidy.subsidy_submit, name="subsidy_submit"),
    path("bases/subsidies/<int:pk>/approve/", subsidy.subsidy_approve, name="subsidy_approve"),
    path("bases/subsidies/<int:pk>/return/", subsidy.subsidy_return, name="subsidy_return"),
    path("bases/subsidies/<int:pk>/adjust/", subsidy.subsidy_adjust, name="subsidy_adjust"),
    path("bases/subsidies/<int:pk>/publish/", subsidy.subsidy_publish, name="subsidy_publish"),
    path("bases/subsidies/<int:pk>/export/", subsidy.subsidy_export, name="subsidy_export"),
    path("bases/census/", census.census_list, name="census_list"),
    path("bases/census/new/", census.census_create, name="census_create"),
    path("bases/census/returns/", census.censusreturn_queue, name="censusreturn_queue"),
    path("bases/census/<int:pk>/", census.census_detail, name="census_detail"),
    path("bases/census/<int:pk>/close/", census.census_close, name="census_close"),
    path("bases/census/<int:pk>/returns/", census.censusreturn_list, name="censusreturn_list"),
    path("bases/census/<int:pk>/export/", census.census_export, name="census_export"),
    path("bases/census/returns/<int:pk>/", census.censusreturn_fill, name="censusreturn_fill"),
    path(
        "bases/census/returns/<int:pk>/accept/",
        census.censusreturn_accept,
        name="censusreturn_accept",
    ),
    path(
        "bases/census/returns/<int:pk>/reopen/",
        census.censusreturn_reopen,
        name="censusreturn_reopen",
    ),
]
