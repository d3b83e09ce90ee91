"""The contests app's forms, one module per area."""
