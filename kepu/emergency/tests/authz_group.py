"""Authorization-matrix rows: group."""

ROWS = []


def context(ctx):
    pass
