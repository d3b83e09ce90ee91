"""Pages of the review area of the selections app."""

from django.urls import path

from kepu.selections.views import review

urlpatterns = [
    path("selections/calls/<int:pk>/assignment/", review.call_assignment, name="call_assignment"),
    path("selections/reviews/", review.review_queue, name="review_queue"),
    path("selections/reviews/<int:pk>/", review.review_score, name="review_score"),
    path("selections/reviews/<int:pk>/reassign/", review.review_reassign, name="review_reassign"),
    path("selections/calls/<int:pk>/ranking/", review.call_ranking, name="call_ranking"),
    path("selections/calls/<int:pk>/panel/", review.call_panel, name="call_panel"),
    path("selections/entries/<int:pk>/vote/", review.entry_vote, name="entry_vote"),
    path(
        "selections/calls/<int:pk>/close-review/",
        review.call_close_review,
        name="call_close_review",
    ),
]
