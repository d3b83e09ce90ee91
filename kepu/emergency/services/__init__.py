"""Every state change of the emergency app, one module per aggregate (re-exported here):
`incidents` (activation, closing), `group` (expert proposal, invitations, answers, duty),
`pushes` (last-mile push and acknowledgements), `rumors` (leads, triage, rebuttals,
expert review), `answers` (expert Q&A)."""

from kepu.emergency.services.answers import accepted_experts, publish_answer
from kepu.emergency.services.group import (
    add_expert,
    add_shift,
    candidates,
    describe_reasons,
    invite_members,
    propose_group,
    propose_replacement,
    record_response,
    remove_shift,
    respond_invitation,
    set_lead,
    withdraw_member,
)
from kepu.emergency.services.incidents import (
    activate_incident,
    close_incident,
    level_rule_refusal,
    mark_responding,
    update_incident,
)
from kepu.emergency.services.pushes import (
    acknowledge_delivery,
    create_push,
    record_acknowledgement,
)
from kepu.emergency.services.rumors import (
    decide_review,
    draft_rebuttal,
    publish_rebuttal,
    report_rumor,
    submit_rebuttal,
    triage_rumor,
    update_rebuttal,
    withdraw_rebuttal,
)

__all__ = [
    "accepted_experts",
    "acknowledge_delivery",
    "activate_incident",
    "add_expert",
    "add_shift",
    "candidates",
    "close_incident",
    "create_push",
    "decide_review",
    "describe_reasons",
    "draft_rebuttal",
    "invite_members",
    "level_rule_refusal",
    "mark_responding",
    "propose_group",
    "propose_replacement",
    "publish_answer",
    "publish_rebuttal",
    "record_acknowledgement",
    "record_response",
    "remove_shift",
    "report_rumor",
    "respond_invitation",
    "set_lead",
    "submit_rebuttal",
    "triage_rumor",
    "update_incident",
    "update_rebuttal",
    "withdraw_member",
    "withdraw_rebuttal",
]
