"""Authorization-matrix rows of the output area."""

ROWS = []


def context(ctx):
    pass
