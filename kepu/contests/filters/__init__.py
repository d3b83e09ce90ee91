"""The FilterSets of the contests lists, one module per area; each is used by its list
page, its export and its API endpoint."""
