from rest_framework.routers import SimpleRouter

router = SimpleRouter()

# -- incidents and the expert group ------------------------------------------------------


# (keep these blank lines: each area edits its own block)


# -- pushes and deliveries ----------------------------------------------------------------


# (keep these blank lines: each area edits its own block)


# -- rumours and rebuttals ------------------------------------------------------------------


urlpatterns = router.urls
