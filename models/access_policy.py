"""Who sets which field of the records of the procedure, declared once.

`assist.guard.mixin` enforces it on the server, on every path a logged-in user
has (create, after the defaults are applied; write; copy; the `default_*` keys
of the context and the user's own `ir.default` values), and
tests/test_field_access.py is generated from the same declaration, so that the
tests and the server cannot drift apart.

Every field of a guarded model is one of:

- **set by the server**: every field declared `readonly=True` on the model
  (states, decisions, who decided and when, dates stamped by the actions,
  authorship, weights, related and computed fields), the fields of `mail.thread`
  and `mail.activity.mixin` (messages, followers, activities go through their own
  API) and the log columns. Only the actions write them, as superuser after their
  own checks; a user who sends one is refused, and its `default_*` is ignored.
- **fixed** (FIXED): given when the record is made and never changed: the record
  it hangs from (its case, family, plan, meeting...) and its OPS.
- **the rest**: set by the roles whose access rights (security/ir.model.access.csv)
  allow creating or writing the model; ROLE_FIELDS narrows them per role where
  the roles of one model differ.

Input bounds (INPUT) hold for every user too: text lengths, dates in a sane
window, valid choices; each refusal is a message in Polish.
"""

from datetime import date

# The roles of the procedure and their groups.
ROLE_GROUPS = {
    "worker": "family_assistant.group_worker",
    "assistant": "family_assistant.group_assistant",
    "head": "family_assistant.group_head",
}

# Every field the role may set at all on the model (not set by the server).
ALL = "all"

# model (or a mixin it inherits): fields given at creation, never changed
FIXED = {
    "assist.case.mixin": ("assignment_id",),
    # the identifier a phone gave the visit (controllers/phone.py)
    "assist.visit": ("assignment_id", "uuid"),
    # a report counts its OPS and period; another period is another report
    "assist.statistics": ("company_id", "company_ids", "date_from", "date_to"),
    "assist.employment": ("user_id", "company_id"),
    "assist.family": ("company_id",),
    "assist.family.member": ("family_id",),
    "assist.document.handover.line": ("handover_id",),
    "assist.plan.goal": ("plan_id",),
    "assist.plan.action": ("goal_id",),
    "assist.assessment.line": ("assessment_id",),
    "assist.meeting.participant": ("meeting_id",),
}

# The request for an assistant (point 1): the social worker's, and the head's.
REQUEST_FIELDS = (
    "family_id",
    "worker_id",
    "request_date",
    "basis",
    "grounds",
    "referring_institution",
    "children_in_foster_care",
    "interview_date",
    "justification",
    "court_name",
    "court_case_number",
    "court_order_date",
    "court_info_received_date",
    "za_zyciem_category",
    "expected_birth_date",
)

# model: {role: the fields it may set, or ALL}; a role not named sets nothing.
# Models not named here: every role with the access right sets every field.
ROLE_FIELDS = {
    "assist.assignment": {
        "worker": REQUEST_FIELDS,
        "head": REQUEST_FIELDS,
        # "Za życiem": the catalogue of support and the authorisation
        "assistant": (
            "support_catalogue",
            "authorisation_given",
            "authorisation_date",
            "authorisation_scope",
        ),
    },
    "assist.family": {
        "worker": ALL,
        "head": ALL,
        # the assistant keeps the contact data up to date: not the
        # responsible worker, the difficulty (their own caseload), nor the archive
        # and the housing conditions and members of the information card (annex 4)
        "assistant": (
            "street",
            "street2",
            "zip",
            "city",
            "municipality",
            "phone",
            "housing",
            "member_ids",
        ),
    },
}

# Input bounds.
INPUT = {
    # characters of a one-line field (name, street...) and of a free text
    "char_max": 500,
    "text_max": 50_000,
    # characters of a file in base64 (a signature drawn on the screen: a few KB)
    "binary_max": 1_500_000,
    # no date of the procedure is earlier (birth dates included)
    "earliest_date": date(1900, 1, 1),
    # how far ahead a date that may lie in the future may be (years)
    "future_years": 10,
}

# model: date fields that may lie in the future (deadlines, planned meetings);
# every other date of the procedure is of something that has happened.
FUTURE_DATES = {
    "assist.assignment": ("expected_birth_date",),
    "assist.plan.action": ("deadline",),
    "assist.family.task": ("deadline",),
    "assist.meeting": ("date",),
    # a contract may be signed ahead
    "assist.employment": ("date_start", "date_end"),
}
