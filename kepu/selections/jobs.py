"""Background jobs of the selections app (`kepu.core.jobs`), one block per area."""

# -- calls and entries --


# -- review --

# -- 公示 and results --
from kepu.selections import certificates, workbench_results  # noqa: E402, F401


# -- funded projects --
