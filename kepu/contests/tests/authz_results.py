"""Authorization-matrix rows of the results area."""

ROWS = []


def context(ctx):
    pass
