"""What must hold of the emergency app's stored data (`kepu.core.invariants`)."""
