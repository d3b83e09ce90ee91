"""URLs of the registry area (see kepu.bases.urls): the back office under `/bases/`,
the portal's directory and map under `/venues/`."""

from django.urls import path

from kepu.bases.views import registry as r
from kepu.bases.views import registry_public as p

urlpatterns = [
    path("bases/", r.base_list, name="base_list"),
    path("bases/export/", r.base_export, name="base_export"),
    path("bases/new/", r.base_create, name="base_create"),
    path("bases/<int:pk>/", r.base_detail, name="base_detail"),
    path("bases/<int:pk>/edit/", r.base_update, name="base_update"),
    path("venues/", p.public_base_list, name="public_base_list"),
    path("venues/map/", p.public_base_map, name="public_base_map"),
    path("venues/map/points.json", p.public_base_points, name="public_base_points"),
    path("venues/<int:pk>/", p.public_base_detail, name="public_base_detail"),
]
