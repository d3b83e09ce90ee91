"""Pages: group."""
