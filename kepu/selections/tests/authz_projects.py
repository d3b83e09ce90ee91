"""Matrix rows of the projects area."""

ROWS = []


def context(ctx):
    pass
