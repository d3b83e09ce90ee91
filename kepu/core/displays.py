"""`get_FOO_display()` without re-translating every choice on each call.

Django's version builds `dict(make_hashable(field.flatchoices))` on every call; hashing
the (value, lazy label) pairs translates every label of the field's choices, so a list of
25 rows with three choice columns translated some 900 strings per request. Here the
value → label map is built once per field (the labels stay lazy: the current language
still decides the text), and installed on every model at start-up (`install`)."""

from functools import partialmethod

from django.apps import apps
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_maps: dict = {}


def _display(self, field):
    value = getattr(self, field.attname)
    labels = _maps.get(field)
    if labels is None:
        labels = _maps[field] = {make_hashable(k): v for k, v in field.flatchoices}
    try:
        label = labels.get(make_hashable(value), value)
    except TypeError:  # an unhashable value: no label
        label = value
    return force_str(label, strings_only=True)


def install() -> None:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices is None or callable(getattr(field, "_choices", None)):
                continue
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            # Only Django's own method (a partialmethod); a model's override stays.
            if isinstance(current, partialmethod):
                setattr(model, name, partialmethod(_display, field=field))
