"""Authorization-matrix rows: rumors."""

ROWS = []


def context(ctx):
    pass
