from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from kepu.core.urlindex import FirstSegmentResolver
from kepu.core.views import jobs as job_views

urlpatterns = [
    # The language and text-size switches only set a preference cookie; they carry no
    # CSRF token so that public pages can be shared from the cache (core.publiccache).
    path("healthz", job_views.healthz, name="healthz"),
    path("readyz", job_views.readyz, name="readyz"),
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/v1/", include(("kepu.api_urls", "api"), namespace="api")),
    # The contests under their own prefix and early: a burst of answers resolves its URL
    # without testing every other app's patterns first (about 1 ms of CPU a request).
    path("contests/", include("kepu.contests.urls")),
    path("stats/", include("kepu.stats.urls")),
    # The apps without a prefix of their own, in this order (the portal first: "/" is the
    # public home page, portal:home, not core's); a path tries only the apps with a
    # pattern that can match its first segment (kepu.core.urlindex).
    FirstSegmentResolver(
        [
            path("", include("kepu.portal.urls")),
            path("", include("kepu.people.urls")),
            path("", include("kepu.activities.urls")),
            path("", include("kepu.volunteering.urls")),
            path("", include("kepu.plans.urls")),
            path("", include("kepu.resources.urls")),
            path("", include("kepu.emergency.urls")),
            path("", include("kepu.rubrics.urls")),
            path("", include("kepu.bases.urls")),
            path("", include("kepu.selections.urls")),
            path("", include("kepu.literacy.urls")),
            path("", include("kepu.core.urls")),
        ]
    ),
]

handler400 = "kepu.core.views.errors.bad_request"
handler403 = "kepu.core.views.errors.permission_denied"
handler404 = "kepu.core.views.errors.page_not_found"
handler500 = "kepu.core.views.errors.server_error"
