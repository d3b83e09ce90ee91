"""Pages: incidents."""
