"""Matrix rows of the registry area."""

ROWS = []


def context(ctx):
    pass
