from django.urls import path

from kepu.activities.views import activities as a
from kepu.activities.views import manage as m
from kepu.activities.views import public as p

app_name = "activities"

urlpatterns = [
    path("activities/", a.activity_list, name="activity_list"),
    path("activities/new/", a.activity_create, name="activity_create"),
    path("activities/export.xlsx", a.activity_export, name="activity_export"),
    path("activities/review/", a.review_queue, name="review_queue"),
    path("activities/<int:pk>/", a.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", a.activity_update, name="activity_update"),
    path("activities/<int:pk>/submit/", a.activity_submit, name="activity_submit"),
    path("activities/<int:pk>/review/<str:step>/", a.activity_review, name="activity_review"),
    path("activities/<int:pk>/cancel/", a.activity_cancel, name="activity_cancel"),
    path("activities/<int:pk>/places/", a.activity_capacity, name="activity_capacity"),
    path("activities/<int:pk>/report/", a.report_create, name="report_create"),
    path("activities/<int:pk>/report/photos/<int:photo_pk>/", a.report_photo, name="report_photo"),
    path("activities/<int:pk>/signups/", a.signup_list, name="signup_list"),
    path("activities/<int:pk>/signups/export.xlsx", a.signup_export, name="signup_export"),
    path("activities/<int:pk>/checkin/", a.checkin, name="checkin"),
    path("activities/campaigns/", m.campaign_list, name="campaign_list"),
    path("activities/campaigns/new/", m.campaign_create, name="campaign_create"),
    path("activities/campaigns/<int:pk>/", m.campaign_detail, name="campaign_detail"),
    path("activities/campaigns/<int:pk>/edit/", m.campaign_update, name="campaign_update"),
    path("activities/facilities/", m.facility_list, name="facility_list"),
    path("activities/facilities/new/", m.facility_create, name="facility_create"),
    path("activities/facilities/<int:pk>/", m.facility_detail, name="facility_detail"),
    path("activities/facilities/<int:pk>/edit/", m.facility_update, name="facility_update"),
    path("activities/stats/", m.stats_view, name="stats"),
    path("activities/stats/export.xlsx", m.stats_export, name="stats_export"),
    path("events/", p.calendar, name="calendar"),
    path("events/feed.ics", p.feed, name="feed"),
    path("events/<int:pk>/", p.event, name="event"),
    path("events/ticket/<uuid:token>/", p.ticket, name="ticket"),
    path("events/ticket/<uuid:token>/cancel/", p.ticket_cancel, name="ticket_cancel"),
]
