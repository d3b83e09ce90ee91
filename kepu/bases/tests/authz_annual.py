"""Matrix rows of the annual area."""

ROWS = []


def context(ctx):
    pass
