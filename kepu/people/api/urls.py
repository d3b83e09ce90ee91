from django.urls import path
from rest_framework.routers import SimpleRouter

from kepu.people.api import talents, teams, training, views

router = SimpleRouter()
router.register("people", views.PersonViewSet, basename="person")
router.register("registrations", views.RegistrationViewSet, basename="registration")
router.register("expert-pools", views.ExpertPoolViewSet, basename="expertpool")
router.register("experts", views.PoolMembershipViewSet, basename="expert")
router.register("teams", views.TeamViewSet, basename="team")
router.register("training-courses", training.CourseViewSet, basename="course")
router.register("training-sessions", training.SessionViewSet, basename="trainingsession")
router.register("training-enrolments", training.EnrolmentViewSet, basename="enrolment")
router.register("service-groups", teams.ServiceGroupViewSet, basename="servicegroup")
router.register("team-honours", teams.TeamHonourViewSet, basename="teamhonour")
router.register("officer-activities", views.OfficerActivityViewSet, basename="officeractivity")
router.register("talent-rounds", talents.RoundViewSet, basename="talent-round")
router.register("talent-applications", talents.ApplicationViewSet, basename="talent-application")
router.register("talents", talents.TalentViewSet, basename="talent")

urlpatterns = [
    path("people-stats/", views.StatsView.as_view(), name="people-stats"),
    *router.urls,
]
