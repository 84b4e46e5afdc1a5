from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from .access_policy import REQUEST_FIELDS
from .assist_guard_mixin import text_html
from .stages import (
    ACTIVE_STATES,
    CLOSED_STATES,
    COURT_END_REASONS,
    END_REASONS,
    END_SUPPORT_STATES,
    OPEN_STATES,
    PLAN_STATES,
    REQUEST_STATES,
    STATES,
    WORK_STATES,
)

# Bases for which the law asks for no community interview beforehand.
BASES_WITHOUT_INTERVIEW = ("court", "za_zyciem", "reinclusion")


class AssistAssignment(models.Model):
    """One episode of family-assistant support ("asysta"), from the social
    worker's request to the end of monitoring.

    Who may do what:
    - social worker: creates requests for the families they are responsible for,
      edits them until they are decided, submits or cancels them; hands the
      documents over to the assistant (annex 2);
    - family assistant: reads the assignments where they are the assistant,
      records the first meeting and consent (annex 3), the information card,
      moves the case through diagnosis to cooperation, fills the "Za życiem"
      fields and asks the head to end support or monitoring or to include the
      family again (`assist.head.request`);
    - head of the OPS: reads every assignment of their OPS and decides: approves
      (assigning an assistant, wizard `assist.assignment.approve`) or rejects with
      a reason (wizard `assist.assignment.reject`), extends cooperation to three
      years (`assist.assignment.extend`), decides the requests of the assistant
      (`assist.head.request.decide`).
    The workflow fields (state, assistant, dates of the stages, decisions) are
    readonly: only these actions write them, after checking the caller's role
    (`_check_case_role`) and the stage (`_check_state`); `assist.guard.mixin`
    refuses them to everybody else, over RPC too. The `can_*` flags tell the
    views which steps the current user may take, from the same guards.
    """

    _name = "assist.assignment"
    _description = "Family assistant assignment"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "assist.guard.mixin",
        "assist.document.mixin",
        "assist.deadline.mixin",
    ]
    _order = "request_date desc, id desc"
    _check_company_auto = True
    _anonymise_fields = (
        "justification",
        "rejection_reason",
        "referring_institution",
        "court_name",
        "court_case_number",
        "extension_reason",
        "support_catalogue",
        "authorisation_scope",
    )
    _rec_names_search = ["name", "family_id.name"]

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
        compute="_compute_worker_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        check_company=True,
        domain=lambda self: [("groups_id", "in", self.env.ref("family_assistant.group_worker").id)],
    )
    request_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    basis = fields.Selection(
        [
            ("interview", "Social worker's request after a community interview"),
            ("court", "Court order"),
            ("za_zyciem", '"Za życiem" act'),
            ("youth_centre", "Minor parent leaving a youth centre (art. 11 ust. 1a)"),
            ("reinclusion", "Inclusion again after monitoring (annex 13)"),
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
        STATES,
        string="Stage",
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
    decision_note = fields.Text(string="Head's comment", readonly=True, copy=False)
    # Point 3: the 3 days of the handover run from the head's approval of the plan of help
    help_plan_date = fields.Date(
        string="Plan of help approved",
        readonly=True,
        copy=False,
        help="When the head approved the social worker's plan of help (point 3).",
    )
    rejection_reason = fields.Text(readonly=True, copy=False)
    # Point 3: documents handed over to the assistant (annex 2).
    handover_ids = fields.One2many("assist.document.handover", "assignment_id")
    documents_date = fields.Date(string="Documents handed over", readonly=True, copy=False)
    # Points 4-6: start of work, first meeting, consent (annex 3).
    consent_ids = fields.One2many("assist.consent", "assignment_id")
    work_start_date = fields.Date(string="Work started", readonly=True, copy=False, tracking=True)
    consent_state = fields.Selection(
        [("none", "Not asked yet"), ("given", "Consent given"), ("refused", "Refused")],
        string="Consent of the family",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    # Point 7: family information card (annex 4).
    info_card_date = fields.Date(string="Information card made", readonly=True, copy=False)
    # Point 10.2: cooperation, 2 years, 3 with the head's extension.
    cooperation_start_date = fields.Date(readonly=True, copy=False, tracking=True)
    cooperation_years = fields.Integer(
        string="Cooperation limit (years)", default=2, readonly=True, copy=False, tracking=True
    )
    cooperation_end_date = fields.Date(
        string="Cooperation ends at the latest", compute="_compute_cooperation_end_date"
    )
    extension_reason = fields.Text(readonly=True, copy=False)
    extension_user_id = fields.Many2one(
        "res.users", string="Extended by", readonly=True, copy=False
    )
    extension_date = fields.Date(string="Extended on", readonly=True, copy=False)
    # Point 10.3: monitoring, 2 to 6 months (annex 11).
    monitoring_start_date = fields.Date(readonly=True, copy=False, tracking=True)
    monitoring_months = fields.Integer(
        string="Monitoring (months)", readonly=True, copy=False, tracking=True
    )
    monitoring_end_date = fields.Date(
        string="Monitoring ends", compute="_compute_monitoring_end_date"
    )
    monitoring_by = fields.Selection(
        [("assistant", "Family assistant"), ("worker", "Area social worker")],
        string="Monitoring visits by",
        readonly=True,
        copy=False,
        tracking=True,
    )
    # End of the case (points 10 and 14).
    closed_date = fields.Date(readonly=True, copy=False, tracking=True)
    end_reason = fields.Selection(END_REASONS, readonly=True, copy=False, tracking=True)
    proposed_assistant_id = fields.Many2one(
        "res.users",
        string="Proposed assistant",
        readonly=True,
        copy=False,
        help="The assistant of the previous case, proposed to the head (annex 13).",
    )
    previous_assignment_id = fields.Many2one(
        "assist.assignment",
        string="Previous assignment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The assignment after whose monitoring the family was included again.",
    )
    # "Za życiem": who is eligible, catalogue of available support, authorisation.
    za_zyciem_category = fields.Selection(
        [
            ("pregnant", "A pregnant woman and her family"),
            ("ill_child", "A severely ill child has been or will be born"),
            ("may_die", "The child may die during pregnancy or birth"),
            ("died", "The child died after birth from congenital defects"),
            ("not_taken_home", "The child was not taken home after birth"),
        ],
        string='"Za życiem" eligibility',
        tracking=True,
        help='Art. 4 of the "Za życiem" act: why the family is entitled to an assistant.',
    )
    expected_birth_date = fields.Date(string="Expected date of birth")
    support_catalogue = fields.Text(
        string="Catalogue of available support",
        help='Art. 8 of the "Za życiem" act: the support the family can get, '
        "as the assistant presented it.",
    )
    authorisation_given = fields.Boolean(string="Written authorisation to act for the family")
    authorisation_date = fields.Date()
    authorisation_scope = fields.Text(string="Scope of the authorisation")
    # Records of the case.
    visit_ids = fields.One2many("assist.visit", "assignment_id")
    plan_ids = fields.One2many("assist.plan", "assignment_id")
    assessment_ids = fields.One2many("assist.assessment", "assignment_id")
    head_request_ids = fields.One2many("assist.head.request", "assignment_id")
    court_letter_ids = fields.One2many("assist.court.letter", "assignment_id")
    task_ids = fields.One2many("assist.family.task", "assignment_id", string="Family tasks")
    visit_count = fields.Integer(compute="_compute_counts")
    plan_count = fields.Integer(compute="_compute_counts")
    assessment_count = fields.Integer(compute="_compute_counts")
    report_count = fields.Integer(compute="_compute_counts")
    meeting_count = fields.Integer(compute="_compute_counts")
    note_count = fields.Integer(compute="_compute_counts")
    task_count = fields.Integer(compute="_compute_counts")
    change_count = fields.Integer(compute="_compute_counts")
    court_letter_count = fields.Integer(compute="_compute_counts")
    head_request_count = fields.Integer(compute="_compute_counts")
    active_plan_id = fields.Many2one(
        "assist.plan", string="Plan in force", compute="_compute_active_plan_id"
    )
    next_step = fields.Char(string="What comes next", compute="_compute_next_step")
    chronology_html = fields.Html(
        string="Chronology", compute="_compute_chronology_html", sanitize=False
    )
    next_visit_date = fields.Date(
        string="Next visit by",
        readonly=True,
        copy=False,
        index=True,
        help="When the next visit of point 8 is due (the deadline of the visits).",
    )
    caseload_weight = fields.Integer(
        compute="_compute_caseload_weight",
        store=True,
        help="How much this family weighs against the assistant's limit.",
    )
    # the steps the current user may take now (the views show their buttons)
    can_submit = fields.Boolean(string="May submit", compute="_compute_can")
    can_cancel = fields.Boolean(string="May cancel", compute="_compute_can")
    can_decide = fields.Boolean(string="May decide", compute="_compute_can")
    can_hand_over = fields.Boolean(string="May hand over the documents", compute="_compute_can")
    can_record_first_meeting = fields.Boolean(
        string="May record the first meeting", compute="_compute_can"
    )
    can_complete_info_card = fields.Boolean(
        string="May make the information card", compute="_compute_can"
    )
    can_start_cooperation = fields.Boolean(string="May start cooperation", compute="_compute_can")
    can_extend = fields.Boolean(string="May extend cooperation", compute="_compute_can")
    can_notify_court = fields.Boolean(string="May inform the court", compute="_compute_can")
    can_ask_head = fields.Boolean(string="May ask the head", compute="_compute_can")
    can_edit_request = fields.Boolean(string="May edit the request", compute="_compute_can")
    can_log_visit = fields.Boolean(string="May log a visit", compute="_compute_can")
    can_write_note = fields.Boolean(string="May write a note", compute="_compute_can")
    can_end_worker_monitoring = fields.Boolean(
        string="May end the monitoring visits", compute="_compute_can"
    )
    can_edit_support = fields.Boolean(
        string='May edit the "Za życiem" support', compute="_compute_can"
    )

    @api.depends("name", "family_id.name")
    def _compute_display_name(self):
        """ "AR/2026/0028 – Żółkiewscy": a case is found by its number or its family
        (`_rec_names_search`)."""
        for assignment in self:
            family = assignment.family_id.name
            assignment.display_name = f"{assignment.name} – {family}" if family else assignment.name

    def _document_assignment(self):
        return self

    def _compute_issued_document_count(self):
        """On the case: the documents issued from any of its records."""
        counts = dict(
            self.env["assist.issued.document"]._read_group(
                [("assignment_id", "in", self.ids)], ["assignment_id"], ["__count"]
            )
        )
        for assignment in self:
            assignment.issued_document_count = counts.get(assignment, 0)

    def action_view_issued_documents(self):
        action = super().action_view_issued_documents()
        action["domain"] = [("assignment_id", "=", self.id)]
        return action

    def _work_log_visits(self, monitoring=False, date_from=None, date_to=None):
        """The visits of the work log (annex 8, or 11 with `monitoring`) in the
        period, oldest first; without dates, the whole case."""
        self.ensure_one()
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        return self.visit_ids.filtered(
            lambda visit: (
                visit.is_monitoring == monitoring
                and (not date_from or visit.date >= date_from)
                and (not date_to or visit.date <= date_to)
            )
        ).sorted("start")

    def _group_expand_states(self, states, domain):
        """Kanban columns in the order of the procedure; the stages nobody's case is
        in are left out (an assistant's board, or a phone, opens on a stage with
        cases, not on an empty "Draft")."""
        return [key for key, _label in self._fields["state"].selection if key in states]

    @api.depends("cooperation_start_date", "cooperation_years")
    def _compute_cooperation_end_date(self):
        for assignment in self:
            start = assignment.cooperation_start_date
            assignment.cooperation_end_date = start and start + relativedelta(
                years=assignment.cooperation_years
            )

    @api.depends("monitoring_start_date", "monitoring_months")
    def _compute_monitoring_end_date(self):
        """The end of the assistant's monitoring; the area worker's has none."""
        for assignment in self:
            start = assignment.monitoring_start_date
            months = assignment.monitoring_months
            assignment.monitoring_end_date = (
                start and months and start + relativedelta(months=months)
            )

    # field: the model whose records of the assignment it counts
    _COUNTED_RECORDS = {
        "visit_count": "assist.visit",
        "plan_count": "assist.plan",
        "assessment_count": "assist.assessment",
        "report_count": "assist.monthly.report",
        "meeting_count": "assist.meeting",
        "note_count": "assist.note",
        "task_count": "assist.family.task",
        "change_count": "assist.situation.change",
        "court_letter_count": "assist.court.letter",
        "head_request_count": "assist.head.request",
    }

    def _compute_counts(self):
        for field_name, model in self._COUNTED_RECORDS.items():
            counts = dict(
                self.env[model]._read_group(
                    [("assignment_id", "in", self.ids)], ["assignment_id"], ["__count"]
                )
            )
            for assignment in self:
                assignment[field_name] = counts.get(assignment, 0)

    @api.depends("plan_ids.state")
    def _compute_active_plan_id(self):
        for assignment in self:
            assignment.active_plan_id = assignment.plan_ids.filtered(
                lambda plan: plan.state == "active"
            )[:1]

    @api.depends(
        "state",
        "consent_state",
        "basis",
        "monitoring_by",
        "monitoring_end_date",
        "cooperation_end_date",
    )
    def _compute_next_step(self):
        for assignment in self:
            assignment.next_step = assignment._next_step_text()

    def _next_step_text(self):
        self.ensure_one()
        if self.state == "handover" and self.consent_state == "refused":
            if self.basis == "court":
                return _(
                    "The family refused cooperation: the court is informed (point 5). No "
                    "diagnosis, plan or visit without the family's consent: it may still "
                    "consent (a new first meeting), or the assistant asks to end support "
                    "for lack of cooperation (annex 10)."
                )
            return _(
                "The family refused cooperation: the head decides whether to inform the "
                "court (point 6). No diagnosis, plan or visit without the family's consent: "
                "it may still consent (a new first meeting), or the assistant asks to end "
                "support for lack of cooperation (annex 10)."
            )
        if self.state == "cooperation":
            return _(
                "Visits at least weekly, monthly reports by the 5th, a periodic assessment "
                "and plan update every 6 months. Cooperation ends by %(date)s.",
                date=format_date(self.env, self.cooperation_end_date),
            )
        if self.state == "monitoring" and self.monitoring_by == "worker":
            return _(
                "The area social worker makes the monitoring visits (point 14) and ends "
                "them when the family no longer needs them."
            )
        if self.state == "monitoring":
            return _(
                "Monitoring until %(date)s (annex 11), then the request to end it "
                "(annex 12) or to include the family again (annex 13).",
                date=format_date(self.env, self.monitoring_end_date),
            )
        return {
            "draft": _("The social worker submits the request to the head (point 1)."),
            "submitted": _("The head decides and assigns an assistant (point 2, annex 1)."),
            "approved": _(
                "The social worker hands the documents over to the assistant within 3 "
                "days (point 3, annex 2)."
            ),
            "handover": _(
                "The first meeting, with the social worker present: the family's written "
                "consent (point 6, annex 3). Work starts within 10 days of the documents, "
                "5 days of the court's information."
            ),
            "diagnosis": _(
                "Information card (annex 4), diagnosis (annex 5) and the work plan agreed "
                "with the family and consulted with the worker (annex 6), in about a month."
            ),
        }.get(self.state, False)

    def _compute_chronology_html(self):
        for assignment in self:
            assignment.chronology_html = self.env["ir.qweb"]._render(
                "family_assistant.assignment_chronology",
                {"events": assignment._chronology_events()},
            )

    def _chronology_events(self):
        """Every dated event of the case, oldest first: [(date, kind, text)]."""
        self.ensure_one()
        events = [(self.request_date, _("Request"), self.name)]
        for model in self.env["assist.case.mixin"]._case_models():
            records = self.env[model].search([("assignment_id", "=", self.id)])
            events += [record._chronology_event() for record in records]
        events += self._state_change_events()
        return sorted(events, key=lambda event: fields.Date.to_date(event[0]))

    def _state_change_events(self):
        # sudo: tracking values are readable only by administrators; the caller
        # reads this assignment (checked), and only its stage changes leave here.
        self.check_access("read")
        state_field = self.env["ir.model.fields"]._get(self._name, "state")
        values_sudo = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "=", state_field.id),
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "=", self.id),
                ]
            )
        )
        # tracking keeps the (English) labels of the selection: show them translated
        labels = dict(self._fields["state"]._description_selection(self.env))
        labels = {source: labels[key] for key, source in STATES}
        # (_() is called here, not in a comprehension: it finds the language in
        # its caller's frame)
        events = []
        for value in values_sudo:
            change = _(
                "%(old)s → %(new)s (%(user)s)",
                old=labels.get(value.old_value_char, value.old_value_char),
                new=labels.get(value.new_value_char, value.new_value_char),
                user=value.mail_message_id.author_id.name,
            )
            events.append((value.mail_message_id.date.date(), _("Stage"), change))
        return events

    @api.depends("family_id")
    def _compute_worker_id(self):
        """The request is made by the family's social worker unless another is chosen."""
        for assignment in self:
            assignment.worker_id = assignment.worker_id or assignment.family_id.worker_id

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

    @api.constrains("basis", "za_zyciem_category")
    def _check_za_zyciem(self):
        for assignment in self:
            if assignment.basis == "za_zyciem" and not assignment.za_zyciem_category:
                raise ValidationError(
                    _('Choose why the family is entitled under the "Za życiem" act.')
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
    @api.model
    def _server_create_vals(self, vals_list):
        """Every request gets its case number from the sequence."""
        for vals in vals_list:
            vals["name"] = self.env["ir.sequence"].next_by_code("assist.assignment") or "/"
        return vals_list

    def _anonymise_values(self):
        values = super()._anonymise_values()
        if self.basis == "court":
            # a court-ordered case keeps a court and a case number (a dash)
            values.update(court_name="—", court_case_number="—")
        return values

    def _closed_message(self):
        self.ensure_one()
        return _("The case %(name)s is closed: its records are kept as they are.", name=self.name)

    def _lock_reason(self):
        self.ensure_one()
        return self.state in CLOSED_STATES and self._closed_message()

    def _check_unlocked(self, vals=None):
        """A closed case is kept as it is; the request, once decided, too."""
        super()._check_unlocked(vals)
        if vals and set(REQUEST_FIELDS) & vals.keys():
            decided = self.filtered(lambda a: a.state not in REQUEST_STATES)
            if decided:
                raise UserError(
                    _(
                        "The request %(name)s has been decided and can no longer be edited.",
                        name=decided[0].name,
                    )
                )

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
            [
                ("assistant_id", "in", users.ids),
                ("state", "in", ACTIVE_STATES),
                # the area worker monitors families that resigned (point 14)
                ("monitoring_by", "!=", "worker"),
            ],
            ["assistant_id"],
            ["caseload_weight:sum"],
        )
        return {assistant.id: weight for assistant, weight in groups}

    # ------------------------------------------------------------ role checks
    def _user_has_case_role(self, roles):
        """Whether the current user has one of `roles` in this case: "assistant" (its
        family assistant), "monitor" (who makes the monitoring visits), "worker"
        (the family's or the request's social worker), "head" (head of the OPS)."""
        self.ensure_one()
        user = self.env.user
        if self.env.su:
            return True
        if "head" in roles and "head" in self._user_roles():
            return True
        if "worker" in roles and user in (self.worker_id | self.family_id.worker_id):
            return True
        if "assistant" in roles and user == self.assistant_id:
            return True
        if "monitor" in roles and self.state == "monitoring":
            monitor = (
                self.family_id.worker_id if self.monitoring_by == "worker" else self.assistant_id
            )
            return user == monitor
        return False

    def _check_case_role(self, *roles):
        """The one role check of the procedure's steps: the current user has one of
        `roles` in each of these cases (see `_user_has_case_role`)."""
        labels = {
            "assistant": _("its family assistant"),
            "monitor": _("whoever monitors the family"),
            "worker": _("its social worker"),
            "head": _("the head of the OPS"),
        }
        for assignment in self:
            if not assignment._user_has_case_role(roles):
                raise AccessError(
                    _(
                        "This step of the case %(name)s is not yours to take: it is taken "
                        "by %(roles)s.",
                        name=assignment.name,
                        roles=_(" or ").join(labels[role] for role in roles),
                    )
                )

    def _check_state(self, *states):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for assignment in self:
            if assignment.state not in states:
                raise UserError(
                    _(
                        'The case %(name)s is at the stage "%(stage)s": this step '
                        'belongs to the stage "%(expected)s".',
                        name=assignment.name,
                        stage=labels[assignment.state],
                        expected=", ".join(labels[state] for state in states),
                    )
                )

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

    # ------------------------------------------------------------ the steps
    # Each step has a guard (the caller's role and the stage, nothing written)
    # that its action calls first and that its `can_*` flag calls for the views.
    _STEP_GUARDS = {
        "can_submit": "_guard_submit",
        "can_cancel": "_guard_cancel",
        "can_decide": "_guard_decide",
        "can_hand_over": "_guard_hand_over",
        "can_record_first_meeting": "_guard_first_meeting",
        "can_complete_info_card": "_guard_info_card",
        "can_start_cooperation": "_guard_start_cooperation",
        "can_extend": "_guard_extend",
        "can_notify_court": "_guard_notify_court",
        "can_ask_head": "_guard_ask_head",
        "can_edit_request": "_guard_edit_request",
        "can_edit_support": "_guard_edit_support",
        "can_end_worker_monitoring": "_guard_end_worker_monitoring",
        "can_log_visit": "_guard_log_visit",
        "can_write_note": "_guard_write_note",
    }

    @api.depends_context("uid")
    @api.depends(
        "state",
        "consent_state",
        "basis",
        "info_card_date",
        "cooperation_years",
        "worker_id",
        "assistant_id",
        "monitoring_by",
        "family_id.worker_id",
    )
    def _compute_can(self):
        for assignment in self:
            for flag, guard in self._STEP_GUARDS.items():
                assignment[flag] = assignment._passes(guard)

    def _passes(self, guard):
        """Whether the guard lets the current user take the step now."""
        try:
            getattr(self, guard)()
        except UserError:  # AccessError and ValidationError are UserErrors too
            return False
        return True

    def _guard_submit(self):
        self._check_case_role("worker", "head")
        for assignment in self:
            if assignment.state != "draft":
                raise UserError(
                    _("The request %(name)s has already been submitted.", name=assignment.name)
                )

    def _check_request_complete(self):
        """A request including a family again is a new procedure (point 10.3): the
        worker submits it after a community interview, with the grounds (point 1)."""
        for assignment in self.filtered(lambda a: a.basis == "reinclusion"):
            if not (assignment.interview_date and assignment.grounds):
                raise UserError(
                    _(
                        "The family is included again through a new procedure (point 1): "
                        "enter the date of the community interview and the grounds first."
                    )
                )

    def _guard_cancel(self):
        self._check_case_role("worker", "head")
        if any(assignment.state not in REQUEST_STATES for assignment in self):
            raise UserError(_("Only a request that has not been decided can be cancelled."))

    def _guard_decide(self):
        self._check_case_role("head")
        self._check_waiting_for_decision()

    def _guard_hand_over(self):
        self._check_case_role("worker", "head")
        self._check_state("approved")

    def _guard_first_meeting(self):
        """Point 6: the first meeting and consent; after a refusal, the family may
        still consent later (a new consent record)."""
        self._check_case_role("assistant")
        self._check_state("handover")
        if any(assignment.consent_state == "given" for assignment in self):
            raise UserError(_("The family has already consented to the cooperation."))

    def _guard_info_card(self):
        self._check_case_role("assistant")
        self._check_state(*PLAN_STATES)
        if any(assignment.info_card_date for assignment in self):
            raise UserError(_("The information card has already been made."))

    def _info_card_gaps(self):
        """What annex 4 still lacks: the family's town and members, each member's
        role and date of birth."""
        family = self.family_id
        gaps = []
        if not family.city:
            gaps.append(_("the town of the family"))
        if not family.member_ids:
            gaps.append(_("the members of the family"))
        undated = family.member_ids.filtered(lambda member: not member.birth_date)
        if undated:
            gaps.append(
                _("the date of birth of %(members)s", members=", ".join(undated.mapped("name")))
            )
        return gaps

    def _guard_start_cooperation(self):
        self._check_case_role("assistant")
        self._check_state("diagnosis")

    def _guard_extend(self):
        self._check_case_role("head")
        self._check_state("cooperation")
        for assignment in self:
            if assignment.cooperation_years >= 3:
                raise UserError(
                    _(
                        "Cooperation with %(family)s has already been extended to 3 years.",
                        family=assignment.family_id.name,
                    )
                )

    def _guard_notify_court(self):
        self._check_case_role("head")
        self._check_state(*WORK_STATES)

    def _guard_ask_head(self):
        self._check_case_role("assistant")
        self._check_state(*WORK_STATES)

    def _guard_log_visit(self):
        """The assistant (or whoever monitors the family) logs a visit, not after a
        refusal of the family (point 6)."""
        self._check_case_role("assistant", "monitor")
        self._check_state(*WORK_STATES)
        if any(a.state == "handover" and a.consent_state == "refused" for a in self):
            raise UserError(_("The family refused cooperation: no visit is recorded."))

    def _guard_write_note(self):
        self._check_case_role("assistant", "worker")
        self._check_state(*ACTIVE_STATES)

    def _guard_edit_request(self):
        """The request is the worker's (and the head's) until the head decides; a
        new one is written by whoever may make requests."""
        if not self._origin and {"worker", "head"} & self._user_roles():
            return
        self._check_case_role("worker", "head")
        self._check_state(*REQUEST_STATES)

    def _guard_edit_support(self):
        """The "Za życiem" catalogue and authorisation are the assistant's."""
        self._check_case_role("assistant")
        self._check_state(*ACTIVE_STATES)

    def action_submit(self):
        """The social worker submits the request to the head."""
        self._guard_submit()
        self._check_request_complete()
        # sudo: workflow fields are written only here, after the checks above.
        assignments_sudo = self.sudo()
        assignments_sudo.write({"state": "submitted", "submit_date": fields.Datetime.now()})
        assignments_sudo._schedule_decision_activities()
        return True

    def action_cancel(self):
        """The social worker (or the head) withdraws an undecided request."""
        self._guard_cancel()
        # sudo: workflow fields are written only here, after the checks above.
        assignments_sudo = self.sudo()
        assignments_sudo.write({"state": "cancelled"})
        assignments_sudo.activity_unlink(["family_assistant.mail_activity_type_decision"])
        return True

    def action_open_approve_wizard(self):
        self.ensure_one()
        self._guard_decide()
        return self._open_form(
            "assist.assignment.approve",
            _("Approve and assign an assistant"),
            {"default_assistant_id": self.proposed_assistant_id.id},
        )

    def action_open_reject_wizard(self):
        self.ensure_one()
        self._guard_decide()
        return self._open_form("assist.assignment.reject", _("Reject the request"))

    def _approve(self, assistant, note=False, help_plan_date=False):
        """Approve the request and assign `assistant` (called by the head's wizard);
        the head's approval of the worker's plan of help starts the handover's 3
        days (point 3)."""
        self.ensure_one()
        self._guard_decide()
        help_plan_date = fields.Date.to_date(help_plan_date) or fields.Date.context_today(self)
        if help_plan_date > fields.Date.context_today(self) or help_plan_date < self.request_date:
            raise ValidationError(_("The plan of help is approved between the request and today."))
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
                "decision_note": note,
                "help_plan_date": help_plan_date,
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
        self._guard_decide()
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
        for assignment in self:
            # the type says what to do, the case (number and family) which one
            assignment._schedule_head_activity("family_assistant.mail_activity_type_decision")

    # ------------------------------------------------------------ stages of the case
    def _open_form(self, model, name, context=None):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_assignment_id": self.id, **(context or {})},
        }

    def action_open_handover(self):
        """Point 3: the social worker hands the documents over (annex 2)."""
        self.ensure_one()
        self._guard_hand_over()
        return self._open_form("assist.document.handover", _("Handover of documents"))

    def _documents_handed_over(self, handover):
        self._check_state("approved")
        # sudo: workflow fields are written only here, after the caller's checks.
        self.sudo().write({"state": "handover", "documents_date": handover.date})

    def action_open_first_meeting(self):
        """Points 4-6: the first meeting with the family and its consent (annex 3)."""
        self.ensure_one()
        self._guard_first_meeting()
        return self._open_form("assist.consent", _("First meeting and consent"))

    def _record_first_meeting(self, consent):
        self._check_state("handover")
        vals = {
            "work_start_date": self.work_start_date or consent.date,
            "consent_state": consent.decision,
        }
        if consent.decision == "given":
            vals["state"] = "diagnosis"
        # sudo: workflow fields are written only here, after the caller's checks.
        self.sudo().write(vals)
        if consent.decision == "refused":
            if self.basis == "court":
                # Point 5: the court is told when the family does not cooperate; the
                # case waits for the family's consent like any other (point 6).
                self._create_court_notification(
                    _("The family refused cooperation with the family assistant.")
                )
            else:
                self._schedule_head_activity(
                    "family_assistant.mail_activity_type_court",
                    _(
                        "The family %(family)s refused cooperation with the assistant: "
                        "decide whether to inform the court (point 6).",
                        family=self.family_id.name,
                    ),
                )

    def action_open_info_card(self):
        """Point 7: the information card (annex 4) is filled in on the family and
        its members (from the documents the worker handed over), then marked made."""
        self.ensure_one()
        self._guard_info_card()
        return {
            "type": "ir.actions.act_window",
            "name": _("Family information card"),
            "res_model": "assist.family",
            "res_id": self.family_id.id,
            "views": [
                (self.env.ref("family_assistant.assist_family_view_form_info_card").id, "form")
            ],
            "target": "new",
            "context": {"dialog_size": "extra-large"},
        }

    def action_complete_info_card(self):
        """Point 7: the family information card (annex 4) is made: its data filled in."""
        self._guard_info_card()
        for assignment in self:
            gaps = assignment._info_card_gaps()
            if gaps:
                raise UserError(
                    _(
                        "Fill in the information card before marking it made: %(gaps)s.",
                        gaps="; ".join(gaps),
                    )
                )
        # sudo: workflow fields are written only here, after the checks above.
        self.sudo().write({"info_card_date": fields.Date.context_today(self)})
        return True

    def action_start_cooperation(self):
        """Point 10.2: the plan agreed, cooperation begins."""
        self._guard_start_cooperation()
        for assignment in self:
            if not assignment.info_card_date:
                raise UserError(_("Make the family information card first (annex 4)."))
            if not assignment.assessment_ids.filtered(
                lambda a: a.kind == "initial" and a.state == "done"
            ):
                raise UserError(_("Complete the diagnosis of the family first (annex 5)."))
            if not assignment.active_plan_id:
                raise UserError(
                    _(
                        "Cooperation starts with a work plan agreed with the family and "
                        "consulted with the social worker (annex 6)."
                    )
                )
        # sudo: workflow fields are written only here, after the checks above.
        self.sudo().write(
            {"state": "cooperation", "cooperation_start_date": fields.Date.context_today(self)}
        )
        return True

    def action_open_extend_wizard(self):
        self.ensure_one()
        self._guard_extend()
        return self._open_form("assist.assignment.extend", _("Extend cooperation to 3 years"))

    def _extend(self, reason):
        """Point 10.2: the head extends cooperation from 2 to 3 years."""
        self.ensure_one()
        self._guard_extend()
        if not (reason or "").strip():
            raise ValidationError(_("Give the reason for the extension."))
        # sudo: workflow fields are written only here, after the checks above.
        self.sudo().write(
            {
                "cooperation_years": 3,
                "extension_reason": reason,
                "extension_user_id": self.env.user.id,
                "extension_date": fields.Date.context_today(self),
            }
        )
        self.message_post(body=_("The head extended cooperation to 3 years."))

    def action_notify_court(self):
        """The head informs the court (points 5, 6 and 14)."""
        self.ensure_one()
        self._guard_notify_court()
        letter = self._create_court_notification(
            _("The family does not cooperate with the family assistant."), again=True
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "assist.court.letter",
            "res_id": letter.id,
            "view_mode": "form",
        }

    def _create_court_notification(self, subject, again=False):
        """A notification for the court, on the head's list of letters to send,
        once: the procedure prepares it when the family refuses or stops cooperating,
        and not a second time for the same case; the head asks for another (`again`)
        only once the earlier one was sent."""
        self.ensure_one()
        # sudo: whatever court letters the caller reads, the case has one notification
        existing = self.sudo().court_letter_ids.filtered(lambda l: l.kind == "notification")
        pending = existing.filtered(lambda l: l.state == "draft")
        if pending or (existing and not again):
            return (pending or existing)[:1].sudo(False)
        # sudo: the procedure itself puts this letter on the head's list, also when
        # the assistant's step triggers it; the assistant only reads court letters.
        letter = (
            self.env["assist.court.letter"]
            .sudo()
            .create(
                {
                    "assignment_id": self.id,
                    "kind": "notification",
                    "subject": subject,
                    "court_name": self.court_name,
                    "court_case_number": self.court_case_number,
                }
            )
        )
        self._schedule_head_activity("family_assistant.mail_activity_type_court", subject)
        return letter.sudo(False)

    def _schedule_head_activity(self, activity_type, note=None):
        """A to-do of `activity_type` for each head of the OPS. The type says what
        to do (translated when shown); `note`, plain text, adds the details (a
        family's name is what a user typed: it is escaped, never taken as HTML)."""
        heads = self.env.ref("family_assistant.group_head").users.filtered(
            lambda user: self.company_id in user.company_ids
        )
        for head in heads:
            self.sudo().activity_schedule(
                activity_type, user_id=head.id, note=note and text_html(note)
            )

    def _start_monitoring(self, months, end_reason):
        """Point 10.3 and 14: the head approved the end of support. After a written
        resignation or a lack of cooperation the area social worker monitors the
        family, without the 2 to 6 months of the assistant's monitoring, until they
        close it (`action_end_worker_monitoring`); the court is told, once."""
        self._check_state(*END_SUPPORT_STATES)
        by_worker = end_reason in COURT_END_REASONS
        # sudo: workflow fields are written only here, after the head's checks.
        self.sudo().write(
            {
                "state": "monitoring",
                "end_reason": end_reason,
                "monitoring_start_date": fields.Date.context_today(self),
                "monitoring_months": 0 if by_worker else months,
                "monitoring_by": "worker" if by_worker else "assistant",
            }
        )
        if by_worker:
            self._create_court_notification(
                self._fields["end_reason"].convert_to_export(end_reason, self)
            )
            self.message_post(
                body=_("Monitoring visits are made by the area social worker (point 14)."),
                partner_ids=self.family_id.worker_id.partner_id.ids,
            )

    def _guard_end_worker_monitoring(self):
        self._check_case_role("worker")
        self._check_state("monitoring")
        if any(assignment.monitoring_by != "worker" for assignment in self):
            raise UserError(
                _("The family assistant's monitoring ends with the head's decision (annex 12).")
            )

    def action_end_worker_monitoring(self):
        """Point 14: the area social worker ends their monitoring visits; the case
        closes."""
        self._guard_end_worker_monitoring()
        self._close()
        for assignment in self:
            assignment.message_post(body=_("The social worker ended the monitoring visits."))
        return True

    def _close(self, end_reason=False):
        # sudo: workflow fields are written only here, after the head's checks.
        self.sudo().write(
            {
                "state": "closed",
                "closed_date": fields.Date.context_today(self),
                "end_reason": self.end_reason or end_reason,
            }
        )

    def _include_again(self, request):
        """Annex 13 approved: the monitoring ends and a new procedure starts (point
        10.3): a new request, linked to this case, for the family's social worker to
        complete after a community interview (point 1) and submit to the head, who
        decides and assigns an assistant (point 2), this case's assistant proposed."""
        self.ensure_one()
        self._check_state("monitoring")
        self._close()
        worker = self.family_id.worker_id
        # sudo: the head's decision opens the request in the worker's name; its state,
        # link and proposed assistant are the server's
        new_sudo = self.sudo().create(
            {
                "family_id": self.family_id.id,
                "worker_id": worker.id,
                "basis": "reinclusion",
                "previous_assignment_id": self.id,
                "proposed_assistant_id": self.assistant_id.id,
                "children_in_foster_care": self.children_in_foster_care,
                "justification": _(
                    "Inclusion again after the monitoring of %(name)s. Reasons given by the "
                    "family assistant (annex 13): %(reasons)s",
                    name=self.name,
                    reasons=request.reasons or "",
                ),
            }
        )
        new_sudo.activity_schedule(
            "family_assistant.mail_activity_type_complete_request",
            user_id=worker.id,
            note=text_html(
                _(
                    "The head approved including the family %(family)s again: complete the "
                    "request after a community interview and submit it (point 1).",
                    family=self.family_id.name,
                )
            ),
        )
        self.message_post(
            body=_(
                "The family is to be included again: the social worker completes the new "
                "request %(name)s (point 1).",
                name=new_sudo.name,
            ),
            partner_ids=worker.partner_id.ids,
        )
        return new_sudo.sudo(False)

    def action_new_record(self):
        """ "New visit", "New report", "New note" of a case: the form of a new record,
        the case (and the usual values) filled in; a visit unless told otherwise."""
        self.ensure_one()
        model = self.env.context.get("records_model", "assist.visit")
        if model not in ("assist.visit", "assist.monthly.report", "assist.note"):
            raise UserError(_("Unknown kind of record."))
        Records = self.env[model]
        Records._check_case_access(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env["ir.model"]._get(model).name,
            "res_model": model,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_assignment_id": self.id},
        }

    def action_view_records(self):
        """Smart buttons: the records of one kind of this case."""
        self.ensure_one()
        model = self.env.context.get("records_model")
        if model not in self._COUNTED_RECORDS.values():
            raise UserError(_("Unknown kind of record."))
        return self.env[model]._action_for_assignment(self, self.env["ir.model"]._get(model).name)
