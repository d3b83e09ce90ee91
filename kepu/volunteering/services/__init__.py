"""Every state change of volunteer service orders, hours and certificates, each in one
transaction with its timeline step and audit entry. The order workflow is one table:

    submitted ──dispatch→ dispatched ──claim→ awaiting_team ──accept→ accepted
        │  └──dispatch (to a team) ───────────↗        │                 │ first check-in
        │                                               │                 ↓
        │        ←return (department)   ←return (team)  │             in_service
        │                                                                 │ complete
        └─reject (officer: submitted, dispatched, awaiting_team)          ↓
    requester: cancel before service                   closed ←rate/close─ served

An order not dispatched within KEPU_ORDER_DISPATCH_DAYS working days, or not accepted
within KEPU_ORDER_ACCEPT_DAYS working days of its dispatch, is overdue; `escalate_overdue`
hands it to the level above (and again after each further period).

The package: `orders` (the order workflow above) and `ledger` (check-in and check-out,
the hour ledger, certificates); every name is importable from `kepu.volunteering.services`.
"""

from kepu.volunteering.services.ledger import (  # noqa: F401
    MAX_ENTRY_HOURS,
    MIN_ENTRY,
    _hours,
    _lock_person,
    _refuse_overlap,
    add_manual_entry,
    certifiable_people,
    check_in,
    check_out,
    decide_entry,
    issue_certificate,
    issue_team_certificate,
    new_certificate_number,
    revoke_certificate,
    star_level,
)
from kepu.volunteering.services.orders import (  # noqa: F401
    AUDIT_ACTIONS,
    NUMBER_ALPHABET,
    STEP_PERMISSION,
    TRANSITIONS,
    A,
    S,
    _check,
    _label,
    _locked,
    _require_reason,
    _step,
    _team_covers,
    accept,
    accept_days,
    ancestor_paths,
    cancel_order,
    claim,
    claim_teams,
    close,
    complete,
    covering_teams,
    department_teams,
    dispatch,
    dispatch_days,
    dispatch_departments,
    escalate,
    escalate_overdue,
    new_order_number,
    rate,
    reject,
    return_order,
    return_permission,
    submit_order,
)
