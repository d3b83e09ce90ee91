"""The literacy app's forms, one module per area."""
