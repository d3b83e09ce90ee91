"""Every state change of the emergency app, one module per aggregate (re-exported here):
`incidents` (activation, closing), `group` (expert proposal, invitations, answers, duty),
`pushes` (last-mile push and acknowledgements), `rumors` (leads, triage, rebuttals,
expert review), `answers` (expert Q&A)."""
