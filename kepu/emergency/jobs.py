"""Background jobs of the emergency app (`kepu.core.jobs`)."""
