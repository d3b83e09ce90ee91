"""Pages: report."""
