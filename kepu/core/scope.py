"""The data-scope engine: the one place that decides which rows a user may read or act on.

Every scoped model registers a `ScopeRule` saying how its rows relate to regions,
organizations, owners or the public. Roles grant permissions (`app.model.action`), and a
role assignment binds the role to a scope. `visible_to(user, qs, action)` ORs, over the
user's assignments that grant the permission, the rows in that assignment's scope.

Deny by default: a model without a rule is invisible to everyone, a user without a
matching assignment sees nothing, and anonymous users see only rows the rule marks public.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, F, Func, Model, Q, QuerySet
from django.http import Http404

from kepu.core.choices import ROLE_SCOPE, ScopeKind

_NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopeRule:
    """How rows of one model fall into scopes. Each field is an ORM lookup (or None).

    region:        path to the row's Region FK ("region", "organization__region").
    organization:  path to the row's Organization ("organization"); "pk" for Organization.
    owner:         path to the owning User ("user", "created_by"), or a tuple of such
                   paths (each single-valued): holders of the permission always see
                   their own rows.
    system:        rows are system-wide (accounts, audit): visible to system-scope roles.
    public:        rows anyone may *view*, even anonymously (e.g. published items).
    reach:         rows a region-scoped role may *read* (view and export, never act on)
                   beyond its own region: a function of the regions of the user's
                   assignments granting the read (each stands for its subtree) giving a
                   Q of the further rows, e.g. the province plans whose targets are
                   decomposed to the region (`kepu.plans.scope_rules`). Keep it one
                   indexed subquery: it is part of every scoped read of the model.
    """

    region: str | None = None
    organization: str | None = None
    owner: str | tuple[str, ...] | None = None
    system: bool = False
    public: Q | None = None
    reach: Callable[[list], Q] | None = None


# The actions a `ScopeRule.reach` opens: reading, never acting.
READ_ACTIONS = ("view", "export")


@dataclass(frozen=True)
class ObjectRule:
    """A state- or person-dependent rule on one action of one model, defined once and
    used by pages (buttons), the API, services and queue filters alike.

    refuse(obj, user): the translated reason `user` may not take the action on `obj`
                       (self-approval, four-eyes, owner-only), or None when allowed.
    exclude(user):     the rows the rule refuses, as a Q, so that queues and counts can
                       leave them out in SQL (optional).
    """

    refuse: Callable[[Model, object], str | None]
    exclude: Callable[[object], Q] | None = None


_rules: dict[type[Model], ScopeRule] = {}
_role_permissions: dict[str, set[str]] = {}
_object_rules: dict[tuple[type[Model], str], list[ObjectRule]] = {}
# Models that are deliberately not scoped: public reference data, or rows only ever
# reached through a scoped parent. Checked by the registration test.
_unscoped: dict[type[Model], str] = {}


def register(model: type[Model], rule: ScopeRule) -> None:
    _rules[model] = rule


def grant(role: str, *permissions: str) -> None:
    """Give a role permissions (called by each app's `scope_rules` module at start-up)."""
    _role_permissions.setdefault(role, set()).update(permissions)


def role_permissions(role: str) -> frozenset[str]:
    return frozenset(_role_permissions.get(role, ()))


def registered_models() -> list[type[Model]]:
    return list(_rules)


def declare_unscoped(model: type[Model], reason: str) -> None:
    """Say why `model` has no scope rule (reference data, or only read through a scoped
    parent). Every model is either registered or declared here (a test checks)."""
    _unscoped[model] = reason


def unscoped_models() -> dict[type[Model], str]:
    return dict(_unscoped)


def object_rule(model: type[Model], *actions: str, exclude: Callable | None = None):
    """Decorator: register `refuse(obj, user) -> reason | None` for `actions` of `model`."""

    def decorator(refuse):
        for action in actions:
            _object_rules.setdefault((model, action), []).append(ObjectRule(refuse, exclude))
        return refuse

    return decorator


def refusal(user, obj: Model, action: str) -> str | None:
    """The first reason an object rule gives for refusing `action` on `obj`, or None.
    Scope and role are not checked here (see `can`); `user` None is the system."""
    if user is None:
        return None
    for rule in _object_rules.get((type(obj), action), ()):
        reason = rule.refuse(obj, user)
        if reason:
            return reason
    return None


def check(user, obj: Model, action: str) -> None:
    """For services: raise DomainError with the object rule's reason, if any."""
    reason = refusal(user, obj, action)
    if reason:
        from kepu.core.errors import DomainError

        raise DomainError(reason)


def can(user, obj: Model, action: str, *, public: bool = False) -> bool:
    """May `user` take `action` on `obj`: the permission in a scope that holds the row
    (one query; back-office scope unless `public`) and every object rule of the action.
    Pages use it for buttons and links, the API and `get_for_user` for refusals."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    model = type(obj)
    if not visible_to(user, model, action, public=public).filter(pk=obj.pk).exists():
        return False
    return refusal(user, obj, action) is None


def actionable(user, queryset: QuerySet | type[Model], action: str) -> QuerySet:
    """Rows of `queryset` the user may `action`: scope and the object rules' SQL form
    (e.g. a review queue without one's own submissions)."""
    queryset = visible_to(user, queryset, action, public=False)
    for rule in _object_rules.get((queryset.model, action), ()):
        if rule.exclude is not None:
            queryset = queryset.exclude(rule.exclude(user))
    return queryset


def permission_code(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}.{action}"


def _assignments(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return user.assignments()


def has_permission(user, permission: str) -> bool:
    """True when any of the user's role assignments grants `permission` (in some scope)."""
    return any(permission in role_permissions(a.role) for a in _assignments(user))


def granting_assignments(user, model: type[Model], action: str):
    permission = permission_code(model, action)
    return [a for a in _assignments(user) if permission in role_permissions(a.role)]


class _AnyOf(Func):
    """The foreign key `column` is one of the ids that `ids` (a queryset of one column)
    selects. On PostgreSQL it is `column = ANY(ARRAY(SELECT ...))`: the ids are an
    init-plan computed once, so the column's index serves the condition even when it is
    ORed with others (a region subtree OR one's own rows), where `IN (SELECT ...)` or a
    condition on a joined table forces a scan of the whole table."""

    output_field = BooleanField()

    def __init__(self, column: str, ids: QuerySet):
        super().__init__(F(column))
        self.ids = ids

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        ids, id_params = self.ids.order_by().query.get_compiler(connection=connection).as_sql()
        if connection.vendor == "postgresql":
            return f"{column} = ANY(ARRAY({ids}))", (*params, *id_params)
        return f"{column} IN ({ids})", (*params, *id_params)


def _owned(model: type[Model], lookup: str, user_pk) -> Q:
    """Rows owned by the user through `lookup` (e.g. "person__user"): asked of the first
    related table by id, so that no condition sits on a joined table."""
    head, _sep, rest = lookup.partition("__")
    field = model._meta.get_field(head)
    if not rest or not (field.many_to_one or field.one_to_one) or not field.concrete:
        return Q(**{lookup: user_pk})
    return Q(
        _AnyOf(head, field.related_model._default_manager.filter(**{rest: user_pk}).values("pk"))
    )


def ancestors_reach(lookup: str = "region"):
    """A `ScopeRule.reach` opening the rows of the regions *above* the user's: a province
    call, census or round that the officers below read to take part in (nominate, file
    their part), never to act on it as its owner."""

    def reach(regions) -> Q:
        from kepu.core.models import Region

        codes = {code for region in regions for code in region.path.split("/") if code}
        return Q(**{f"{lookup}_id__in": Region.objects.filter(code__in=codes).values("pk")})

    return reach


def region_q(lookup: str, regions) -> Q:
    """Rows whose region (through `lookup`) lies in the subtree of any of `regions`,
    with the ids written out (see `regiontree`): nested or repeated subtrees of several
    assignments are one condition, and the whole tree is no condition on the region."""
    from kepu.core.regiontree import subtree_ids

    paths = sorted({r.path: r for r in regions}.items())
    roots = [r for p, r in paths if not any(p != o and p.startswith(o) for o, _r in paths)]
    ids: set[int] = set()
    for region in roots:
        subtree = subtree_ids(region)
        if subtree is None:
            return Q(**{f"{lookup}__isnull": False})
        ids.update(subtree)
    return id_ranges_q(lookup, ids)


MAX_RANGES = 16


def id_ranges_q(lookup: str, ids) -> Q:
    """`lookup` in `ids`, as a few ranges when the ids form few runs (a subtree's
    regions are a run per level), else as an IN list."""
    ordered = sorted(ids)
    runs: list[list[int]] = []
    for pk in ordered:
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    if not runs:
        return _NOTHING
    if len(runs) > MAX_RANGES:
        return Q(**{f"{lookup}__in": ordered})
    q = Q(pk__in=[])
    for low, high in runs:
        q |= (
            Q(**{lookup: low})
            if low == high
            else Q(**{f"{lookup}__gte": low, f"{lookup}__lte": high})
        )
    return q


def _is_multi_valued(model: type[Model], lookup: str) -> bool:
    """True when the lookup crosses a to-many relation (a plan's tasks' units)."""
    for name in lookup.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def _organization_q(model: type[Model], lookup: str, organization_id) -> Q:
    # An organization-scoped role covers the organization and its direct sub-units.
    if lookup == "pk":
        return Q(pk=organization_id) | Q(parent_id=organization_id)
    if _is_multi_valued(model, lookup):
        # Through a to-many relation a join would repeat rows; a subquery does not.
        q = Q(**{lookup: organization_id}) | Q(**{f"{lookup}__parent_id": organization_id})
        return Q(pk__in=model._default_manager.filter(q).values("pk"))
    from kepu.core.models import Organization

    units = Organization.objects.filter(Q(pk=organization_id) | Q(parent_id=organization_id))
    return Q(_AnyOf(lookup, units.values("pk")))


def scope_q(user, model: type[Model], action: str = "view", *, public: bool = True) -> Q:
    """The filter for the rows of `model` on which `user` may perform `action`.
    `public=False` leaves out the rows the rule makes public (back-office pages list only
    the rows of the user's own scope, even where the portal shows more)."""
    rule = _rules.get(model)
    if rule is None:
        return _NOTHING
    q = _NOTHING
    regions, organizations, owned = [], set(), False
    for assignment in granting_assignments(user, model, action):
        kind = ROLE_SCOPE[assignment.role]
        if kind == ScopeKind.SYSTEM and rule.system:
            return Q()
        if kind == ScopeKind.REGION and rule.region:
            regions.append(assignment.region)
        elif kind == ScopeKind.ORGANIZATION and rule.organization:
            organizations.add(assignment.organization_id)
        # Own rows (e.g. one's import jobs) are in scope for every role that holds the
        # permission, whatever else the role covers.
        owned = owned or bool(rule.owner)
    if regions:
        own = region_q(rule.region, regions)
        q |= own
        # A role over the whole tree already holds every row: no reach to add.
        whole_tree = own == Q(**{f"{rule.region}__isnull": False})
        if rule.reach is not None and action in READ_ACTIONS and not whole_tree:
            q |= rule.reach(regions)
    for organization_id in sorted(organizations):
        q |= _organization_q(model, rule.organization, organization_id)
    if owned:
        owners = (rule.owner,) if isinstance(rule.owner, str) else rule.owner
        for lookup in owners:
            q |= _owned(model, lookup, user.pk)
    if public and action == "view" and rule.public is not None:
        if not rule.public:  # an empty Q: every row is public (and `X | Q()` would be X)
            return Q()
        q |= rule.public
    return q


def visible_to(
    user, queryset: QuerySet | type[Model], action: str = "view", *, public: bool = True
) -> QuerySet:
    """Rows of `queryset` on which `user` may perform `action` (deny by default)."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    q = scope_q(user, queryset.model, action, public=public)
    if q == _NOTHING:
        return queryset.none()
    return queryset.filter(q) if q else queryset


def get_for_user(
    queryset: QuerySet | type[Model], user, pk, action: str = "view", *, public: bool = True
):
    """Fetch one row for `action`: outside the user's view scope it is a 404 (as if it did
    not exist); visible but without the right to `action`, a 403."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    try:
        obj = visible_to(user, queryset, "view", public=public).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action != "view" and not visible_to(user, queryset.model, action).filter(pk=pk).exists():
        raise PermissionDenied
    return obj


def allowed_regions(user, model: type[Model], action: str):
    """Regions in which `user` may `action` rows of `model` (for narrowing region choices
    and checking the region of a new row). Region-scoped roles only."""
    from kepu.core.models import Region

    paths = [
        a.region.path
        for a in granting_assignments(user, model, action)
        if ROLE_SCOPE[a.role] == ScopeKind.REGION
    ]
    if not paths:
        return Region.objects.none()
    return Region.objects.subtree_of_paths(paths)


def require_region(user, model: type[Model], action: str, region) -> None:
    """Refuse to place a row of `model` in `region` unless the user may `action` there.
    `user` None is the system itself (commands, demo loading)."""
    from django.utils.translation import gettext as _

    from kepu.core.errors import DomainError

    if user is not None and not allowed_regions(user, model, action).filter(pk=region.pk).exists():
        raise DomainError(_("This region is outside your scope."))


def member_units(user, model: type[Model], action: str) -> list:
    """The organizations for which `user` may `action` rows of `model` through an
    organization-scoped role (member-unit staff)."""
    return [
        a.organization
        for a in granting_assignments(user, model, action)
        if ROLE_SCOPE[a.role] == ScopeKind.ORGANIZATION and a.organization_id
    ]


def scope_roots(user) -> list:
    """The top regions of the user's region-scoped assignments, without nesting."""
    regions = {
        a.region.path: a.region
        for a in _assignments(user)
        if ROLE_SCOPE[a.role] == ScopeKind.REGION and a.region_id
    }
    paths = sorted(regions)
    roots = [p for p in paths if not any(p != o and p.startswith(o) for o in paths)]
    return [regions[p] for p in roots]


def require(user, permission: str) -> None:
    """Raise PermissionDenied unless the user holds `permission` in some scope."""
    if not has_permission(user, permission):
        raise PermissionDenied
