from django.urls import path
from rest_framework.routers import SimpleRouter

from kepu.people.api import talents, views

router = SimpleRouter()
router.register("people", views.PersonViewSet, basename="person")
router.register("registrations", views.RegistrationViewSet, basename="registration")
router.register("expert-pools", views.ExpertPoolViewSet, basename="expertpool")
router.register("experts", views.PoolMembershipViewSet, basename="expert")
router.register("teams", views.TeamViewSet, basename="team")
router.register("talent-rounds", talents.RoundViewSet, basename="talent-round")
router.register("talent-applications", talents.ApplicationViewSet, basename="talent-application")
router.register("talents", talents.TalentViewSet, basename="talent")

urlpatterns = [
    path("people-stats/", views.StatsView.as_view(), name="people-stats"),
    *router.urls,
]
