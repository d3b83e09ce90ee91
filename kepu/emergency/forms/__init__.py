"""Page forms of the emergency app, one module per area (re-exported here)."""
