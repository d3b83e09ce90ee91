"""Placeholder: replaced by the implementation."""

urlpatterns = []
