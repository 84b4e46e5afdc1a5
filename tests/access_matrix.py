"""Who may do what in family_assistant: the access matrix, declared once.

MODELS gives, for each model and role, the operations the access rights allow:
c(reate), r(ead), w(rite), u(nlink). Record rules then narrow them to the records
of the role's own cases (security/*_rules.xml), and the models' own checks to the
right stage and person. ACTIONS gives, for each public method a button or RPC can
call, the roles that may call it. tests/test_access_matrix.py is generated from
both: every model and action, for every role, and for a second OPS.

FIELDS (who sets which field: set by the server, fixed, per role) is declared
once for the server and the tests, in models/access_policy.py, and re-exported
here; tests/test_field_access.py is generated from it.
"""

from ..models.access_policy import ALL, FIXED, ROLE_FIELDS  # noqa: F401 (re-exported)

ROLES = ("worker", "assistant", "head")

MODELS = {
    "assist.family": {"worker": "crw", "assistant": "rw", "head": "crw"},
    "assist.family.member": {"worker": "crwu", "assistant": "crw", "head": "crwu"},
    "assist.assignment": {"worker": "crwu", "assistant": "rw", "head": "crwu"},
    "assist.support.area": {"worker": "r", "assistant": "r", "head": "r"},
    "assist.statutory.duty": {"worker": "r", "assistant": "r", "head": "r"},
    "assist.deadline.rule": {"worker": "r", "assistant": "r", "head": "crw"},
    "assist.document.handover": {"worker": "crw", "assistant": "r", "head": "crw"},
    "assist.document.handover.line": {"worker": "crwu", "assistant": "r", "head": "crwu"},
    "assist.consent": {"worker": "r", "assistant": "crw", "head": "r"},
    "assist.visit": {"worker": "crw", "assistant": "crw", "head": "r"},
    "assist.plan": {"worker": "r", "assistant": "crw", "head": "r"},
    "assist.plan.goal": {"worker": "r", "assistant": "crwu", "head": "r"},
    "assist.plan.action": {"worker": "r", "assistant": "crwu", "head": "r"},
    "assist.assessment": {"worker": "r", "assistant": "crw", "head": "r"},
    "assist.assessment.line": {"worker": "r", "assistant": "crwu", "head": "r"},
    "assist.family.task": {"worker": "r", "assistant": "crw", "head": "r"},
    "assist.note": {"worker": "crw", "assistant": "crw", "head": "r"},
    "assist.situation.change": {"worker": "r", "assistant": "crw", "head": "r"},
    "assist.monthly.report": {"worker": "r", "assistant": "crw", "head": "r"},
    "assist.meeting": {"worker": "r", "assistant": "crw", "head": "r"},
    "assist.meeting.participant": {"worker": "r", "assistant": "crwu", "head": "r"},
    "assist.court.letter": {"worker": "r", "assistant": "crw", "head": "crw"},
    "assist.head.request": {"worker": "r", "assistant": "crw", "head": "r"},
    # issued documents: made only by the issue action, changed by nobody
    "assist.issued.document": {"worker": "r", "assistant": "r", "head": "r"},
    "assist.document.issue": {"worker": "crw", "assistant": "crw", "head": "crw"},
    # the head's decisions (wizards)
    "assist.assignment.approve": {"head": "crw"},
    "assist.assignment.reject": {"head": "crw"},
    "assist.assignment.extend": {"head": "crw"},
    "assist.head.request.decide": {"head": "crw"},
    "assist.family.anonymise": {"head": "crw"},
    # the import of the cases an OPS brings (issue 16)
    "assist.case.import": {"head": "crw"},
    # the half-year report to the voivode and what it counts of the assistants: the head's
    "assist.statistics": {"head": "crw"},
    "assist.statistics.line": {"head": "r"},
    "assist.statistics.check": {"head": "r"},
    "assist.statistics.row": {"head": "r"},
    "assist.employment": {"head": "crw"},
    # the audit log: read by the head, written by nobody
    "auditlog.log": {"head": "r"},
    "auditlog.log.line": {"head": "r"},
}

# (model, method): (the record it is called on, the roles that may call it)
ACTIONS = {
    ("assist.assignment", "action_submit"): ("draft_request", {"worker", "head"}),
    ("assist.assignment", "action_cancel"): ("draft_request", {"worker", "head"}),
    ("assist.assignment", "action_open_approve_wizard"): ("submitted_request", {"head"}),
    ("assist.assignment", "action_open_reject_wizard"): ("submitted_request", {"head"}),
    ("assist.assignment", "action_open_handover"): ("approved_case", {"worker", "head"}),
    ("assist.assignment", "action_open_first_meeting"): ("handover_case", {"assistant"}),
    ("assist.assignment", "action_complete_info_card"): ("diagnosis_case", {"assistant"}),
    ("assist.assignment", "action_open_extend_wizard"): ("cooperation_case", {"head"}),
    ("assist.assignment", "action_notify_court"): ("cooperation_case", {"head"}),
    ("assist.document.handover", "action_confirm"): ("draft_handover", {"worker", "head"}),
    ("assist.consent", "action_confirm"): ("draft_consent", {"assistant"}),
    ("assist.plan", "action_confirm_consultation"): ("draft_plan", {"worker", "head"}),
    ("assist.plan", "action_request_consultation"): ("draft_plan", {"assistant"}),
    ("assist.plan", "action_new_version"): ("active_plan", {"assistant"}),
    ("assist.assessment", "action_done"): ("draft_assessment", {"assistant"}),
    ("assist.monthly.report", "action_submit"): ("draft_report", {"assistant"}),
    ("assist.situation.change", "action_assistant_told"): ("change", {"assistant"}),
    ("assist.court.letter", "action_mark_sent"): ("court_notification", {"head"}),
    ("assist.head.request", "action_submit"): ("draft_head_request", {"assistant"}),
    ("assist.head.request", "action_open_decide_wizard"): ("submitted_head_request", {"head"}),
    ("assist.family", "action_open_anonymise_wizard"): ("closed_family", {"head"}),
    ("assist.family.member", "action_export_personal_data"): ("member", {"head"}),
    ("assist.deadline.rule", "action_adapt"): ("common_rule", {"head"}),
    ("assist.assessment", "action_approve"): ("done_periodic_assessment", {"head"}),
    ("assist.assignment", "action_end_worker_monitoring"): ("worker_monitoring_case", {"worker"}),
    ("assist.assignment", "action_new_record"): ("cooperation_case", {"assistant"}),
    ("assist.statistics", "action_compute"): ("statistics", {"head"}),
    ("assist.statistics", "action_issue"): ("statistics", {"head"}),
    # the documents of a case are issued by whoever takes part in it
    ("assist.assignment", "action_open_issue_wizard"): (
        "cooperation_case",
        {"worker", "assistant", "head"},
    ),
    ("assist.plan", "action_open_issue_wizard"): ("active_plan", {"worker", "assistant", "head"}),
}
