from django.utils.translation import gettext_lazy as _

from kepu.core.audit import ACTION_LABELS

# One update per area (each area edits its own block).

# -- item bank --
ACTION_LABELS.update({})


# -- rounds and fielding --
ACTION_LABELS.update({})


# -- estimation, reports and the index --
ACTION_LABELS.update({})

_unused = _  # the blocks above use it once filled
