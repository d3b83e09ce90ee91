"""The bank area's pages (this area owns this module)."""

from django.urls import path

from kepu.literacy.views import bank as v
from kepu.literacy.views import bank_review as r

urlpatterns = [
    path("literacy/items/", v.item_list, name="item_list"),
    path("literacy/items/new/", v.item_create, name="item_create"),
    path("literacy/items/<int:pk>/", v.item_detail, name="item_detail"),
    path("literacy/items/<int:pk>/edit/", v.item_edit, name="item_edit"),
    path("literacy/items/<int:pk>/review/", v.item_send, name="item_send"),
    path("literacy/items/<int:pk>/retire/", v.item_retire, name="item_retire"),
    path("literacy/instruments/", v.instrument_list, name="instrument_list"),
    path("literacy/item-reviews/", r.itemreview_queue, name="itemreview_queue"),
    path("literacy/item-reviews/<int:pk>/", r.itemreview_file, name="itemreview_file"),
]
