from django.urls import path

from kepu.resources.views import lists
from kepu.resources.views import manage as m
from kepu.resources.views import public as p
from kepu.resources.views import review as r

app_name = "resources"

urlpatterns = [
    # back office: applicants (units, individuals) and the catalog officers
    path("resources/", lists.resource_list, name="resource_list"),
    path("resources/export.xlsx", lists.resource_export, name="resource_export"),
    path("resources/owners.json", lists.owner_search, name="owner_search"),
    path("resources/new/", m.resource_create, name="resource_create"),
    path("resources/queue/", lists.queue, name="queue"),
    path("resources/<int:pk>/", m.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", m.resource_update, name="resource_update"),
    path("resources/<int:pk>/submit/", m.resource_submit, name="resource_submit"),
    path("resources/<int:pk>/check/", m.resource_check, name="resource_check"),
    path("resources/<int:pk>/experts/", m.resource_add_reviewers, name="resource_add_reviewers"),
    path("resources/<int:pk>/decide/", m.resource_decide, name="resource_decide"),
    path("resources/<int:pk>/manage/<str:action>/", m.resource_manage, name="resource_manage"),
    path("resources/<int:pk>/versions/<int:number>/", m.version_detail, name="version_detail"),
    path("resources/<int:pk>/files/", m.attachment_upload, name="attachment_upload"),
    path(
        "resources/<int:pk>/files/<int:file_pk>/", m.attachment_download, name="attachment_download"
    ),
    path(
        "resources/<int:pk>/files/<int:file_pk>/thumb/",
        m.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path(
        "resources/<int:pk>/files/<int:file_pk>/delete/",
        m.attachment_delete,
        name="attachment_delete",
    ),
    # experts
    path("resources/reviews/", r.expert_list, name="expert_list"),
    path("resources/reviews/<int:pk>/", r.expert_review, name="expert_review"),
    path("resources/reviews/<int:pk>/files/<int:file_pk>/", r.expert_file, name="expert_file"),
    # the public catalog
    path("catalog/", p.search, name="public_search"),
    path("catalog/groups/<str:group>/", p.menu, name="menu"),
    path("catalog/emergency/", p.emergency, name="emergency"),
    path("catalog/policies/", p.policies, name="policies"),
    path("catalog/map/", p.resource_map, name="map"),
    path("catalog/map/points.json", p.map_points, name="map_points"),
    path("catalog/open-data/", p.open_data, name="open_data"),
    path("catalog/open-data/catalog.jsonld", p.dcat, name="dcat"),
    path("catalog/open-data/resources.<str:fmt>", p.download, name="download"),
    path("catalog/<uuid:uid>/", p.detail, name="public_detail"),
    path("catalog/<uuid:uid>/files/<int:file_pk>/", p.public_file, name="public_file"),
    path(
        "catalog/<uuid:uid>/files/<int:file_pk>/thumb/",
        p.public_thumbnail,
        name="public_thumbnail",
    ),
]
