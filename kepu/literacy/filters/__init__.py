"""The FilterSets of the literacy lists, one module per area; each is used by its list
page, its export and its API endpoint."""
