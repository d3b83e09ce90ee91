from django.urls import path

from kepu.rubrics import views

app_name = "rubrics"

urlpatterns = [
    path("rubrics/", views.rubric_list, name="rubric_list"),
    path("rubrics/export/", views.rubric_export, name="rubric_export"),
    path("rubrics/new/", views.rubric_create, name="rubric_create"),
    path("rubrics/<int:pk>/", views.rubric_detail, name="rubric_detail"),
    path("rubrics/<int:pk>/criteria/new/", views.criterion_create, name="criterion_create"),
    path("rubrics/<int:pk>/activate/", views.rubric_activate, name="rubric_activate"),
    path("rubrics/<int:pk>/copy/", views.rubric_copy, name="rubric_copy"),
    path("rubrics/<int:pk>/retire/", views.rubric_retire, name="rubric_retire"),
    path("rubrics/criteria/<int:pk>/edit/", views.criterion_update, name="criterion_update"),
    path("rubrics/criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
]
