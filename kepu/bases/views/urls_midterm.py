"""URLs of the midterm area (see kepu.bases.urls)."""

from django.urls import path

from kepu.bases.views import midterm_areas as areas
from kepu.bases.views import midterm_evaluations as rounds

urlpatterns = [
    path("demonstration-areas/", areas.area_list, name="area_list"),
    path("demonstration-areas/export/", areas.area_export, name="area_export"),
    path("demonstration-areas/new/", areas.area_create, name="area_create"),
    path("demonstration-areas/<int:pk>/", areas.area_detail, name="area_detail"),
    path("demonstration-areas/<int:pk>/conclude/", areas.area_conclude, name="area_conclude"),
    path(
        "midterm/entries/<int:pk>/self-assessment/",
        areas.entry_self_assess,
        name="entry_self_assess",
    ),
    path("midterm/entries/<int:pk>/score/", rounds.entry_score, name="entry_score"),
    path("midterm/", rounds.evaluation_list, name="evaluation_list"),
    path("midterm/new/", rounds.evaluation_create, name="evaluation_create"),
    path("midterm/<int:pk>/", rounds.evaluation_detail, name="evaluation_detail"),
    path("midterm/<int:pk>/results/", rounds.evaluation_results, name="evaluation_results"),
    path("midterm/<int:pk>/results.xlsx", rounds.evaluation_export, name="evaluation_export"),
    path("midterm/<int:pk>/publish/", rounds.evaluation_publish, name="evaluation_publish"),
]
