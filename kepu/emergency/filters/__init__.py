"""One FilterSet per list (page and endpoint), one module per area (re-exported here)."""
