"""Placeholder: the Excel import of resource lists (replaced by the implementation)."""
