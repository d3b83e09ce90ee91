"""Matrix rows of the calls area."""

ROWS = []


def context(ctx):
    pass
