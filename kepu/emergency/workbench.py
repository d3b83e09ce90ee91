"""The emergency app's workbench items (`kepu.core.workbench`)."""

# -- incidents and the expert group --


# (keep these blank lines: each area edits its own block)


# -- pushes and deliveries --


# (keep these blank lines: each area edits its own block)


# -- rumours and rebuttals --
