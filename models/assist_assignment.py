from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

# An assignment is "open" from the request until it ends; "active" states are
# those in which the assistant works with the family and which count against
# the assistant's limit of families.
ACTIVE_STATES = ("approved",)
OPEN_STATES = ("draft", "submitted", *ACTIVE_STATES)
DECIDED_STATES = ("approved", "rejected")

# Bases for which the law asks for no community interview beforehand.
BASES_WITHOUT_INTERVIEW = ("court", "za_zyciem")


class AssistAssignment(models.Model):
    """One episode of family-assistant support ("asysta"), from the social
    worker's request to the end of monitoring.

    Who may do what:
    - social worker: creates requests for the families they are responsible for,
      edits them until they are decided, submits or cancels them;
    - family assistant: reads the assignments where they are the assistant;
    - head of the OPS: reads every assignment of their OPS and decides: approves
      (assigning an assistant, wizard `assist.assignment.approve`) or rejects with
      a reason (wizard `assist.assignment.reject`).
    The workflow fields (state, assistant, decision) change only through these
    actions, which check the caller's role themselves: a plain `write` of them is
    refused, over RPC too.
    """

    _name = "assist.assignment"
    _description = "Family assistant assignment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "request_date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "family_id.name"]

    # Fields that only the workflow actions write (under sudo, after their checks).
    _WORKFLOW_FIELDS = frozenset(
        {
            "name",
            "state",
            "assistant_id",
            "decision_user_id",
            "decision_date",
            "rejection_reason",
            "submit_date",
        }
    )
    # The request itself: frozen once the head has decided.
    _REQUEST_FIELDS = frozenset(
        {
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
        }
    )

    name = fields.Char(string="Case number", required=True, readonly=True, copy=False, default="/")
    family_id = fields.Many2one(
        "assist.family",
        required=True,
        ondelete="restrict",
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        related="family_id.company_id", string="OPS", store=True, index=True
    )
    worker_id = fields.Many2one(
        "res.users",
        string="Social worker",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain=lambda self: [("groups_id", "in", self.env.ref("family_assistant.group_worker").id)],
    )
    request_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    basis = fields.Selection(
        [
            ("interview", "Social worker's request after a community interview"),
            ("court", "Court order"),
            ("za_zyciem", '"Za życiem" act'),
            ("youth_centre", "Minor parent leaving a youth centre (art. 11 ust. 1a)"),
        ],
        required=True,
        default="interview",
        tracking=True,
    )
    grounds = fields.Selection(
        [
            (
                "care_difficulties",
                "Difficulties in care and upbringing the family cannot overcome alone",
            ),
            (
                "minor_parent",
                "Minor parent leaving a youth centre, a shelter or a correctional facility",
            ),
            ("institution_report", "Need reported by an external institution"),
        ],
        tracking=True,
        help="Point 1 of the procedure.",
    )
    referring_institution = fields.Char(
        help="The school, counselling centre, day-care centre... that reported the need."
    )
    children_in_foster_care = fields.Boolean(
        string="Children placed in foster care",
    )
    interview_required = fields.Boolean(compute="_compute_interview_required")
    interview_date = fields.Date(string="Community interview date", tracking=True)
    justification = fields.Text(
        help="Why the family needs an assistant: the worker's analysis of the interview."
    )
    court_name = fields.Char(string="Court", tracking=True)
    court_case_number = fields.Char(string="Court case number", tracking=True)
    court_order_date = fields.Date(string="Date of the court order")
    court_info_received_date = fields.Date(string="Court information received", tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand="_group_expand_states",
    )
    submit_date = fields.Datetime(readonly=True, copy=False)
    assistant_id = fields.Many2one(
        "res.users",
        string="Family assistant",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    decision_user_id = fields.Many2one(
        "res.users", string="Decided by", readonly=True, copy=False, tracking=True
    )
    decision_date = fields.Datetime(string="Decided on", readonly=True, copy=False)
    rejection_reason = fields.Text(readonly=True, copy=False)
    caseload_weight = fields.Integer(
        compute="_compute_caseload_weight",
        store=True,
        help="How much this family weighs against the assistant's limit.",
    )

    def _group_expand_states(self, states, domain):
        """Kanban columns in the order of the procedure, empty ones included."""
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("basis")
    def _compute_interview_required(self):
        for assignment in self:
            assignment.interview_required = assignment.basis not in BASES_WITHOUT_INTERVIEW

    @api.depends("family_id.difficulty")
    def _compute_caseload_weight(self):
        for assignment in self:
            assignment.caseload_weight = 2 if assignment.family_id.difficulty == "high" else 1

    # ------------------------------------------------------------ constraints
    @api.constrains("basis", "grounds", "interview_date", "request_date")
    def _check_interview(self):
        today = fields.Date.context_today(self)
        for assignment in self:
            if assignment.interview_required and not assignment.interview_date:
                raise ValidationError(
                    _(
                        "Enter the date of the community interview: a request on this "
                        "basis is made after the interview."
                    )
                )
            if assignment.interview_date and assignment.interview_date > today:
                raise ValidationError(
                    _(
                        "The community interview date %(date)s is in the future.",
                        date=format_date(self.env, assignment.interview_date),
                    )
                )
            if assignment.basis == "interview" and not assignment.grounds:
                raise ValidationError(
                    _("Choose the grounds of the request (point 1 of the procedure).")
                )

    @api.constrains(
        "basis",
        "court_name",
        "court_case_number",
        "court_order_date",
        "court_info_received_date",
    )
    def _check_court(self):
        today = fields.Date.context_today(self)
        for assignment in self:
            if assignment.basis == "court" and not (
                assignment.court_name
                and assignment.court_case_number
                and assignment.court_info_received_date
            ):
                raise ValidationError(
                    _(
                        "A court-ordered assignment needs the court, the case number and "
                        "the date the court's information was received."
                    )
                )
            for date in (
                assignment.court_order_date,
                assignment.court_info_received_date,
            ):
                if date and date > today:
                    raise ValidationError(
                        _(
                            "The court date %(date)s is in the future.",
                            date=format_date(self.env, date),
                        )
                    )

    @api.constrains("family_id", "state")
    def _check_one_open_per_family(self):
        groups = self._read_group(
            [("family_id", "in", self.family_id.ids), ("state", "in", OPEN_STATES)],
            ["family_id"],
            ["__count"],
        )
        for family, count in groups:
            if count > 1:
                raise ValidationError(
                    _(
                        "The family %(family)s already has an open assignment: finish or "
                        "cancel it before asking for another.",
                        family=family.name,
                    )
                )

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if self._WORKFLOW_FIELDS & (vals.keys() - {"name"}):
                    raise AccessError(
                        _(
                            "A new request starts as a draft: its state, assistant and "
                            "decision are set by the head's decision."
                        )
                    )
        for vals in vals_list:
            vals["name"] = self.env["ir.sequence"].next_by_code("assist.assignment") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.check_access("write")
            if self._WORKFLOW_FIELDS & vals.keys():
                raise AccessError(
                    _(
                        "The state, the assistant and the decision of a request change "
                        "only through its buttons (submit, approve, reject, cancel)."
                    )
                )
            if self._REQUEST_FIELDS & vals.keys():
                decided = self.filtered(lambda a: a.state not in ("draft", "submitted"))
                if decided:
                    raise UserError(
                        _(
                            "The request %(name)s has been decided and can no longer be edited.",
                            name=decided[0].name,
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        if any(assignment.state != "draft" for assignment in self):
            raise UserError(
                _("Only a draft request can be deleted; cancel a submitted one instead.")
            )

    # ------------------------------------------------------------ caseload
    @api.model
    def _caseloads(self, users):
        """{user id: weighted number of families} for the given assistants."""
        # sudo: the head (or a wizard) weighs every assistant's caseload, also
        # assignments the caller cannot read; only counts leave this method.
        assignments_sudo = self.sudo()
        groups = assignments_sudo._read_group(
            [("assistant_id", "in", users.ids), ("state", "in", ACTIVE_STATES)],
            ["assistant_id"],
            ["caseload_weight:sum"],
        )
        return {assistant.id: weight for assistant, weight in groups}

    # ------------------------------------------------------------ role checks
    def _check_role(self, *group_xmlids):
        if not any(self.env.user.has_group(xmlid) for xmlid in group_xmlids):
            raise AccessError(_("You are not allowed to do this with a family-assistant request."))

    def _check_head(self):
        if not self.env.user.has_group("family_assistant.group_head"):
            raise AccessError(_("Only the head of the OPS decides on family-assistant requests."))

    def _check_waiting_for_decision(self):
        for assignment in self:
            if assignment.state == "draft":
                raise UserError(
                    _(
                        "The request %(name)s is still a draft: the social worker must "
                        "submit it before it is decided.",
                        name=assignment.name,
                    )
                )
            if assignment.state != "submitted":
                raise UserError(
                    _(
                        "The request %(name)s has already been decided.",
                        name=assignment.name,
                    )
                )

    # ------------------------------------------------------------ workflow
    def action_submit(self):
        """The social worker submits the request to the head."""
        self._check_role("family_assistant.group_worker", "family_assistant.group_head")
        self.check_access("write")
        for assignment in self:
            if assignment.state != "draft":
                raise UserError(
                    _(
                        "The request %(name)s has already been submitted.",
                        name=assignment.name,
                    )
                )
        # sudo: workflow fields are written only here, after the checks above.
        assignments_sudo = self.sudo()
        assignments_sudo.write({"state": "submitted", "submit_date": fields.Datetime.now()})
        assignments_sudo._schedule_decision_activities()
        return True

    def action_cancel(self):
        """The social worker (or the head) withdraws an undecided request."""
        self._check_role("family_assistant.group_worker", "family_assistant.group_head")
        self.check_access("write")
        if any(assignment.state not in ("draft", "submitted") for assignment in self):
            raise UserError(_("Only a request that has not been decided can be cancelled."))
        # sudo: workflow fields are written only here, after the checks above.
        assignments_sudo = self.sudo()
        assignments_sudo.write({"state": "cancelled"})
        assignments_sudo.activity_unlink(["family_assistant.mail_activity_type_decision"])
        return True

    def action_open_approve_wizard(self):
        self.ensure_one()
        self._check_head()
        self._check_waiting_for_decision()
        return {
            "type": "ir.actions.act_window",
            "name": _("Approve and assign an assistant"),
            "res_model": "assist.assignment.approve",
            "view_mode": "form",
            "target": "new",
            "context": {"default_assignment_id": self.id},
        }

    def action_open_reject_wizard(self):
        self.ensure_one()
        self._check_head()
        self._check_waiting_for_decision()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject the request"),
            "res_model": "assist.assignment.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_assignment_id": self.id},
        }

    def _approve(self, assistant, note=False):
        """Approve the request and assign `assistant` (called by the head's wizard)."""
        self.ensure_one()
        self._check_head()
        self._check_waiting_for_decision()
        if not assistant.has_group("family_assistant.group_assistant"):
            raise ValidationError(_("%(user)s is not a family assistant.", user=assistant.name))
        if self.company_id not in assistant.company_ids:
            raise ValidationError(
                _(
                    "%(user)s does not work for %(ops)s.",
                    user=assistant.name,
                    ops=self.company_id.name,
                )
            )
        limit = self.company_id.assist_max_families
        caseload = self._caseloads(assistant).get(assistant.id, 0)
        if caseload + self.caseload_weight > limit:
            raise ValidationError(
                _(
                    "%(user)s already works with %(caseload)s families (a difficult family "
                    "counts twice); the limit is %(limit)s. Choose another assistant.",
                    user=assistant.name,
                    caseload=caseload,
                    limit=limit,
                )
            )
        # sudo: workflow fields are written only here, after the checks above.
        assignment_sudo = self.sudo()
        assignment_sudo.write(
            {
                "state": "approved",
                "assistant_id": assistant.id,
                "decision_user_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
            }
        )
        assignment_sudo.message_subscribe(partner_ids=assistant.partner_id.ids)
        assignment_sudo.activity_feedback(
            ["family_assistant.mail_activity_type_decision"],
            feedback=_("Approved, assistant: %(user)s", user=assistant.name),
        )
        self.message_post(
            body=_(
                "The head approved the request and assigned %(user)s.",
                user=assistant.name,
            )
            + (f"\n{note}" if note else ""),
            partner_ids=(assistant.partner_id | self.worker_id.partner_id).ids,
        )

    def _reject(self, reason):
        """Reject the request with a reason (called by the head's wizard)."""
        self.ensure_one()
        self._check_head()
        self._check_waiting_for_decision()
        if not (reason or "").strip():
            raise ValidationError(_("Give the reason for rejecting the request."))
        # sudo: workflow fields are written only here, after the checks above.
        assignment_sudo = self.sudo()
        assignment_sudo.write(
            {
                "state": "rejected",
                "rejection_reason": reason,
                "decision_user_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
            }
        )
        assignment_sudo.activity_feedback(
            ["family_assistant.mail_activity_type_decision"], feedback=_("Rejected")
        )
        self.message_post(
            body=_("The head rejected the request. Reason: %(reason)s", reason=reason),
            partner_ids=self.worker_id.partner_id.ids,
        )

    def _schedule_decision_activities(self):
        """A to-do for each head of the OPS: decide on the submitted request."""
        head_group = self.env.ref("family_assistant.group_head")
        for assignment in self:
            heads = head_group.users.filtered(lambda u, a=assignment: a.company_id in u.company_ids)
            for head in heads:
                assignment.activity_schedule(
                    "family_assistant.mail_activity_type_decision",
                    user_id=head.id,
                    note=_(
                        "Decide on the request for a family assistant for %(family)s.",
                        family=assignment.family_id.name,
                    ),
                )
