"""Authorization-matrix rows: pushes."""

ROWS = []


def context(ctx):
    pass
