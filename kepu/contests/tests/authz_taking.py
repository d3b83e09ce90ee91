"""Authorization-matrix rows of the taking area."""

ROWS = []


def context(ctx):
    pass
