"""Authorization-matrix rows: public."""

ROWS = []


def context(ctx):
    pass
