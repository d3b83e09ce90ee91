"""Forms of the volunteer service pages. Each part of the app keeps its forms in its own
section below."""

# --- forms: public ordering ---

# --- forms: orders (back office) ---

# --- forms: hours and certificates ---
