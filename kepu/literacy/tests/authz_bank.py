"""Authorization-matrix rows of the bank area."""

ROWS = []


def context(ctx):
    pass
