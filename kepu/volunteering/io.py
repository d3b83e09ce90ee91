"""Excel columns of the volunteer service exports. Each part keeps its own section."""

# --- columns: orders ---

# --- columns: hours ---

# --- columns: bulletin ---
