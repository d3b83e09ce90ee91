"""The experts' pages for the item bank: the items waiting for my accuracy review, and
the review of one item, filed on a phone. Reviews are personal: a review is reached only
by the expert it is assigned to (404 for anyone else, however senior); the page shows the
item as the respondent sees it with its key, never the author or the other experts."""

from django.contrib import messages
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from kepu.core import clock
from kepu.core.views.common import form_page, paginate, permission_required, submit_form
from kepu.literacy import choices as c
from kepu.literacy.forms.bank import ItemReviewForm
from kepu.literacy.models import ItemReview
from kepu.literacy.services import bank as services
from kepu.literacy.views.bank_reading import shown_options

QUESTIONS = ["facts_correct", "sources_reliable", "fits_audience"]
OPEN = Q(submitted_at__isnull=True, item__status=c.ItemStatus.IN_REVIEW)


def expert_reviews(user):
    """The item reviews assigned to `user` (none for anyone without a person record)."""
    if not user.is_authenticated:
        return ItemReview.objects.none()
    return ItemReview.objects.with_relations().filter(reviewer__user=user)


def get_review_for_expert(user, pk) -> ItemReview:
    review = expert_reviews(user).filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


@require_safe
@permission_required("literacy.itemreview.file")
def itemreview_queue(request):
    """My item reviews: the open ones first (soonest due first), then the filed ones."""
    reviews = expert_reviews(request.user)
    pending = list(
        reviews.filter(OPEN).order_by(F("due_date").asc(nulls_last=True), "assigned_at", "pk")[:200]
    )
    past = reviews.exclude(OPEN).order_by("-assigned_at", "-pk")
    today = clock.today()
    return render(
        request,
        "literacy/bank/itemreview_queue.html",
        {
            "pending": pending,
            "page": paginate(request, past),
            "today": today,
            "overdue": sum(1 for r in pending if r.due_date and r.due_date < today),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("literacy.itemreview.file")
def itemreview_file(request, pk):
    review = get_review_for_expert(request.user, pk)
    item = review.item
    here = reverse("literacy:itemreview_file", args=[pk])
    is_open = review.submitted_at is None and item.status == c.ItemStatus.IN_REVIEW
    form = ItemReviewForm(request.POST or None)
    if request.method == "POST" and not is_open:
        messages.warning(request, _closed(review))
        return redirect(here)
    answer = submit_form(
        request,
        form,
        lambda: services.file_item_review(review, actor=request.user, **form.cleaned_data),
        success=reverse("literacy:itemreview_queue"),
        message=_("Your review has been filed. Thank you."),
    )
    if answer:
        return answer
    context = {
        "review": review,
        "item": item,
        "options": shown_options(item),
        "questions": [form[name] for name in QUESTIONS],
        "is_open": is_open,
        "closed_message": "" if is_open else _closed(review),
        "answers": [
            (ItemReview._meta.get_field(name).verbose_name, getattr(review, name))
            for name in QUESTIONS
        ],
    }
    return form_page(request, "literacy/bank/itemreview_file.html", form, context)


def _closed(review) -> str:
    if review.submitted_at is not None:
        return _("This review has already been filed.")
    return _("This item is no longer in review: your review is not needed any more.")
