"""Notices for the portal tests, made through the services (actor None: the system)."""

from kepu.core.models import Region
from kepu.portal import services
from kepu.portal.choices import NoticeCategory


def make_notice(
    code="510703",
    *,
    title="矩阵公告",
    body="第一段。\n\n第二段。",
    state="draft",
    actor=None,
    reviewer=None,
    category=NoticeCategory.ANNOUNCEMENT,
    pinned=False,
):
    """A notice of region `code` in `state` (draft, submitted, published, returned,
    withdrawn)."""
    notice = services.create_notice(
        actor=actor,
        region=Region.objects.get(code=code),
        title=title,
        body=body,
        category=category,
        issuer="涪城区科学技术协会",
        pinned=pinned,
    )
    if state == "draft":
        return notice
    notice = services.submit_notice(notice, actor=actor)
    if state == "submitted":
        return notice
    step = "return" if state == "returned" else "publish"
    notice = services.review_notice(notice, actor=reviewer, step=step, reason="请补充内容")
    if state == "withdrawn":
        notice = services.withdraw_notice(notice, actor=reviewer, reason="内容已过期")
    return notice
