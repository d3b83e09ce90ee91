"""Matrix rows of the subsidy area."""

ROWS = []


def context(ctx):
    pass
