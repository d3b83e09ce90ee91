"""The API base: one viewset class that every app's endpoints derive from.

    class ReportViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
        model = Report
        serializer_class = ReportSerializer
        filterset_class = ReportFilter          # the same FilterSet as the list page

        def base_queryset(self):
            return Report.objects.with_relations()

        @action(detail=True, methods=["post"], scope_action="review")
        def approve(self, request, pk=None):
            report = services.approve_report(self.get_object(), actor=request.user)
            return Response(self.get_serializer(report).data)

What the base does, so that no endpoint writes it again:
- the permission `<app>.<model>.<action>` is checked before anything else (403, audited),
  where the action is `view` for list/retrieve, `create`, `change` for update, `delete`,
  or the `scope_action` named on a custom `@action`; a route that needs another model's
  permission names it whole with `scope_permission` (on the class or the `@action`);
- `get_queryset()` is `visible_to(user, base_queryset(), "view")` (back-office scope; set
  `public = True` for endpoints that also list the public rows);
- `get_object()` is the checked single-row fetch: outside scope 404, without the right for
  the action 403, then the model's object rules (`scope.object_rule`) as 403 with reason;
- services are called directly: their `DomainError` / `StateConflict` become 400 / 409
  through the one exception handler (`kepu.core.api.errors`).
"""

from django.core.exceptions import PermissionDenied
from rest_framework import viewsets

from kepu.core import scope

DEFAULT_ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "create": "create",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


class ScopedViewSet(viewsets.GenericViewSet):
    model = None
    public = False
    # Actions that anonymous callers may take (with `permission_classes = [AllowAny]`):
    # no role permission is required for them, only the scope rule's public rows.
    open_actions: tuple[str, ...] = ()
    scope_action: str | None = None  # set per route by @action(..., scope_action=...)
    # A permission of another model (or one without a model) that the route requires
    # instead of `<app>.<model>.<action>`: @action(..., scope_permission="app.model.view").
    scope_permission: str | None = None
    action_permissions = DEFAULT_ACTIONS

    def base_queryset(self):
        return self.model._default_manager.all()

    def permission_action(self) -> str:
        """The scope action of the current request (view, create, change, or the custom
        action's `scope_action`)."""
        if self.scope_action:
            return self.scope_action
        return self.action_permissions.get(self.action, self.action or "view")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action in self.open_actions:
            return
        if self.scope_permission:
            scope.require(request.user, self.scope_permission)
        elif self.model is not None:
            code = scope.permission_code(self.model, self.permission_action())
            scope.require(request.user, code)

    def get_queryset(self):
        if self.model is None:  # schema generation of a class without a model
            return super().get_queryset()
        return scope.visible_to(self.request.user, self.base_queryset(), public=self.public)

    def get_object(self):
        action = self.permission_action()
        obj = scope.get_for_user(
            self.base_queryset(),
            self.request.user,
            self.kwargs[self.lookup_url_kwarg or self.lookup_field],
            action,
            public=self.public,
        )
        reason = scope.refusal(self.request.user, obj, action)
        if reason:
            raise PermissionDenied(reason)
        return obj

    def input(self, serializer_class, **kwargs) -> dict:
        """Validate the request body with `serializer_class`; its validated data."""
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
