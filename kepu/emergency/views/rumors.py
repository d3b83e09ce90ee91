"""Pages: rumors."""
