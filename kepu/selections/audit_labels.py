from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

# One update per area (each area edits its own block).

# -- calls and entries --
ACTION_LABELS.update({})

# -- review --
ACTION_LABELS.update({})

# -- 公示 and results --
ACTION_LABELS.update({})

# -- funded projects --
ACTION_LABELS.update({})

_unused = _  # the areas' labels use it
