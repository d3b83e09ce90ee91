"""The rounds area's pages (this area owns this module)."""

urlpatterns = []
