"""The bank area's pages (this area owns this module)."""

urlpatterns = []
