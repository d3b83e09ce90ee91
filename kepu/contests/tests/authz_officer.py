"""Authorization-matrix rows of the officer area."""

ROWS = []


def context(ctx):
    pass
