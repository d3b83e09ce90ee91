from django.urls import path

from kepu.portal.views import home, notices, public, search

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("region/", home.choose_region, name="choose_region"),
    path("search/", search.search, name="search"),
    path("notices/", public.public_notice_list, name="public_notice_list"),
    path("notices/<int:pk>/", public.public_notice_detail, name="public_notice_detail"),
    # Back office
    path("portal/notices/", notices.notice_list, name="notice_list"),
    path("portal/notices/new/", notices.notice_create, name="notice_create"),
    path("portal/notices/export.xlsx", notices.notice_export, name="notice_export"),
    path("portal/notices/review/", notices.notice_queue, name="notice_queue"),
    path("portal/notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("portal/notices/<int:pk>/edit/", notices.notice_update, name="notice_update"),
    path("portal/notices/<int:pk>/submit/", notices.notice_submit, name="notice_submit"),
    path(
        "portal/notices/<int:pk>/review/<str:step>/",
        notices.notice_review,
        name="notice_review",
    ),
    path("portal/notices/<int:pk>/withdraw/", notices.notice_withdraw, name="notice_withdraw"),
]
