"""Authorization-matrix rows of the rounds area."""

ROWS = []


def context(ctx):
    pass
