"""The stages of a family-assistant case and their groups, declared once.

Python code imports them from here; the views read the computed `can_*` flags of
`assist.assignment`, which call the same guards as the actions.
"""

# The stages of an assignment, in the order of the procedure.
STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Assistant assigned"),  # point 2, annex 1
    ("handover", "Documents handed over"),  # point 3, annex 2
    ("diagnosis", "Diagnosis and plan"),  # points 6-7 and 10.1, annexes 3-6
    ("cooperation", "Cooperation"),  # point 10.2, annexes 8-9
    ("monitoring", "Monitoring"),  # point 10.3, annex 11
    ("closed", "Closed"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
# A request the head has not decided yet: the worker may still edit it.
REQUEST_STATES = ("draft", "submitted")
# The assistant works with the family (documents received, up to the end of monitoring).
WORK_STATES = ("handover", "diagnosis", "cooperation", "monitoring")
# An assistant is assigned: the family counts against their limit.
ACTIVE_STATES = ("approved", *WORK_STATES)
# From the request until the case ends; one at a time per family.
OPEN_STATES = (*REQUEST_STATES, *ACTIVE_STATES)
# Ended: the records of the case are kept as they are.
CLOSED_STATES = ("closed", "rejected", "cancelled")

# The assistant may ask the head to end support (annex 10) before monitoring.
END_SUPPORT_STATES = ("handover", "diagnosis", "cooperation")
# The plan is made and kept up to date; the information card is made.
PLAN_STATES = ("diagnosis", "cooperation")
# The family's situation is assessed and it gets tasks (from the diagnosis on).
ASSESSMENT_STATES = (*PLAN_STATES, "monitoring")

END_REASONS = [
    ("goals_achieved", "Goals of the plan achieved"),
    ("no_cooperation", "Lack of cooperation of the family"),
    ("resignation", "Written resignation of the family"),
    ("moved_out", "Moved out of the municipality"),
    ("other", "Other"),
]
# Point 14: these end reasons are reported to the court, and the area social
# worker takes over the monitoring visits.
COURT_END_REASONS = ("no_cooperation", "resignation")
