"""The bank area's API endpoints: (prefix, viewset, basename) triples the router registers."""

from kepu.literacy.api.bank import ItemViewSet

# api:literacy-item-list/detail (GET, POST, PUT, PATCH)
ROUTES = [("literacy/items", ItemViewSet, "literacy-item")]
