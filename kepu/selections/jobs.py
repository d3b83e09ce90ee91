"""Background jobs of the selections app (`kepu.core.jobs`), one block per area."""

# -- calls and entries --


# -- review --


# -- 公示 and results --


# -- funded projects --
