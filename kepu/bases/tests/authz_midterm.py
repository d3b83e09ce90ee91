"""Matrix rows of the midterm area."""

ROWS = []


def context(ctx):
    pass
