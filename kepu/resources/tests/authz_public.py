"""Matrix rows of the public catalog and its open data: open to everyone (logged in or
not); an entry that is not published, and a file that is not live, is 404 for all."""

from kepu.core.testing import Row, statuses


def _uid(key):
    return lambda c: {"uid": c[key].uid}


def _file(key, attachment):
    return lambda c: {"uid": c[key].uid, "file_pk": c[attachment].pk}


OK = statuses(200)
GONE = statuses(404)

ROWS = [
    Row("res-pub-search", "resources:public_search", expect=OK),
    Row("res-pub-menu", "resources:menu", kwargs=lambda c: {"group": "youth"}, expect=OK),
    Row("res-pub-menu-unknown", "resources:menu", kwargs=lambda c: {"group": "students"},
        expect=GONE),
    Row("res-pub-emergency", "resources:emergency", expect=OK),
    Row("res-pub-policies", "resources:policies", expect=OK),
    Row("res-pub-map", "resources:map", expect=OK),
    Row("res-pub-map-points", "resources:map_points", expect=OK),
    Row("res-pub-open-data", "resources:open_data", expect=OK),
    Row("res-pub-dcat", "resources:dcat", expect=OK),
    Row("res-pub-download-csv", "resources:download", kwargs=lambda c: {"fmt": "csv"}, expect=OK),
    Row("res-pub-download-xlsx", "resources:download", kwargs=lambda c: {"fmt": "xlsx"},
        expect=OK),
    Row("res-pub-download-json", "resources:download", kwargs=lambda c: {"fmt": "json"},
        expect=OK),
    Row("res-pub-download-xml", "resources:download", kwargs=lambda c: {"fmt": "xml"},
        expect=GONE),
    Row("res-pub-detail-a", "resources:public_detail", kwargs=_uid("res_a_pub"), expect=OK),
    Row("res-pub-detail-b", "resources:public_detail", kwargs=_uid("res_b_pub"), expect=OK),
    Row("res-pub-detail-draft", "resources:public_detail", kwargs=_uid("res_a_draft"),
        expect=GONE),
    Row("res-pub-detail-submitted", "resources:public_detail", kwargs=_uid("res_a_sub"),
        expect=GONE),
    Row("res-pub-detail-review", "resources:public_detail", kwargs=_uid("res_a_review"),
        expect=GONE),
    Row("res-pub-detail-b-draft", "resources:public_detail", kwargs=_uid("res_b_draft"),
        expect=GONE),
    Row("res-pub-detail-member", "resources:public_detail", kwargs=_uid("res_member"),
        expect=GONE),
    Row("res-pub-detail-vol", "resources:public_detail", kwargs=_uid("res_vol"), expect=GONE),
    Row("res-pub-file", "resources:public_file", kwargs=_file("res_a_pub", "attach_pub"),
        expect=OK),
    Row("res-pub-thumb", "resources:public_thumbnail", kwargs=_file("res_a_pub", "attach_pub"),
        expect=OK),
    Row("res-pub-file-draft", "resources:public_file", kwargs=_file("res_a_draft", "attach_a"),
        expect=GONE),
    Row("res-pub-thumb-draft", "resources:public_thumbnail",
        kwargs=_file("res_a_draft", "attach_a"), expect=GONE),
    # A live file asked for under another published entry's uid.
    Row("res-pub-file-other", "resources:public_file", kwargs=_file("res_b_pub", "attach_pub"),
        expect=GONE),
]  # fmt: skip
