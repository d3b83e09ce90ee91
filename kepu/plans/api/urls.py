from rest_framework.routers import SimpleRouter

from kepu.plans.api import assessment, meetings, views

router = SimpleRouter()
router.register("plans/tasks", views.TaskViewSet, basename="plan-task")
router.register("plans/targets", views.TargetViewSet, basename="plan-target")
router.register("plans/reports", views.ProgressReportViewSet, basename="plan-report")
router.register("plans/notes", views.SupervisionNoteViewSet, basename="plan-note")
router.register("plans/conferences", meetings.ConferenceViewSet, basename="plan-conference")
router.register("plans/meetings", meetings.MeetingViewSet, basename="plan-meeting")
router.register(
    "plans/assessments/entries", assessment.AssessmentEntryViewSet, basename="plan-assessment-entry"
)
router.register("plans/assessments", assessment.AssessmentRoundViewSet, basename="plan-assessment")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("public/plans", views.PublicPlanViewSet, basename="public-plan")

urlpatterns = router.urls
