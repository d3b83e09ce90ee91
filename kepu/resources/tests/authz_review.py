"""Matrix rows of the experts' review pages, over the objects of `authz.context`: the
volunteer persona is the expert assigned `assign_vol`; `assign_other` is another
expert's review of the same version.

The list needs the permission to file reviews (403 without it). A review is reached by
its own expert only: anybody else, however senior, gets 404 (indistinguishable from a
missing review), and a denied POST changes nothing."""

from kepu.core.testing import Row, statuses


def _id(key):
    return lambda ctx: {"pk": ctx[key].pk}


def _review_data(ctx):
    return {
        "facts_correct": "yes",
        "sources_reliable": "yes",
        "fits_audience": "no",
        "verdict": "revise",
        "comments": "矩阵专家意见：面向老年人的表述需要更通俗。",
    }


def _file(assignment):
    return lambda ctx: {"pk": ctx[assignment].pk, "file_pk": ctx["attach_review"].pk}


ROWS = [
    Row(
        "res-rv-file-own",
        "resources:expert_file",
        kwargs=_file("assign_vol"),
        expect=statuses(404, anonymous=302, volunteer=200),
    ),
    Row(
        "res-rv-file-other",
        "resources:expert_file",
        kwargs=_file("assign_other"),
        expect=statuses(404, anonymous=302),
    ),
    Row(
        "res-rv-list",
        "resources:expert_list",
        expect=statuses(403, anonymous=302, volunteer=200),
    ),
    Row(
        "res-rv-review-own",
        "resources:expert_review",
        kwargs=_id("assign_vol"),
        expect=statuses(404, anonymous=302, volunteer=200),
    ),
    Row(
        "res-rv-review-other",
        "resources:expert_review",
        kwargs=_id("assign_other"),
        expect=statuses(404, anonymous=302),
    ),
    Row(
        "res-rv-review-own-post",
        "resources:expert_review",
        "post",
        kwargs=_id("assign_vol"),
        data=_review_data,
        expect=statuses(404, anonymous=302, volunteer=302),
        changes=("volunteer",),
    ),
    Row(
        "res-rv-review-other-post",
        "resources:expert_review",
        "post",
        kwargs=_id("assign_other"),
        data=_review_data,
        expect=statuses(404, anonymous=302),
    ),
]
