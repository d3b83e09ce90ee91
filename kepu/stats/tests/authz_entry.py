"""Authorization-matrix rows of the entry area."""

ROWS = []


def context(ctx):
    pass
