"""Authorization-matrix rows of the workflow area."""

ROWS = []


def context(ctx):
    pass
