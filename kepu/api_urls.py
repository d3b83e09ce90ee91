"""All of /api/v1/: each app's router and endpoints under one namespace ("api")."""

from kepu.activities.api.urls import urlpatterns as activities_urls
from kepu.bases.api.urls import urlpatterns as bases_urls
from kepu.contests.api.urls import urlpatterns as contests_urls
from kepu.core.api.urls import urlpatterns as core_urls
from kepu.emergency.api.urls import urlpatterns as emergency_urls
from kepu.literacy.api.urls import urlpatterns as literacy_urls
from kepu.people.api.urls import urlpatterns as people_urls
from kepu.plans.api.urls import urlpatterns as plans_urls
from kepu.resources.api.urls import urlpatterns as resources_urls
from kepu.rubrics.api.urls import urlpatterns as rubrics_urls
from kepu.selections.api.urls import urlpatterns as selections_urls
from kepu.stats.api.urls import urlpatterns as stats_urls
from kepu.volunteering.api.urls import urlpatterns as volunteering_urls

urlpatterns = [
    *core_urls,
    *people_urls,
    *activities_urls,
    *volunteering_urls,
    *plans_urls,
    *resources_urls,
    *emergency_urls,
    *bases_urls,
    *rubrics_urls,
    *selections_urls,
    *literacy_urls,
    *contests_urls,
    *stats_urls,
]
