"""Background jobs of the selections app (`kepu.core.jobs`), one block per area."""

# -- calls and entries --


# -- review --


# -- 公示 and results --

# -- funded projects --
# No schedule: the overdue and at-risk flags are computed from dates in SQL when a list
# or the workbench is read (filters_projects), so nothing needs to run at night.
# Registrations made at start (ready() imports this module): the rollup metrics, the
# acceptance rubric preset and the workbench provider.
from kepu.selections import presets, rollups, workbench_projects  # noqa: E402, F401
