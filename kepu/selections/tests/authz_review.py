"""Matrix rows of the review area."""

ROWS = []


def context(ctx):
    pass
