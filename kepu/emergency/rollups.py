"""The counters of the emergency app (`kepu.core.rollups`)."""
