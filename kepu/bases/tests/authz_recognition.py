"""Matrix rows of the recognition area."""

ROWS = []


def context(ctx):
    pass
