from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .stages import COURT_END_REASONS, END_REASONS, END_SUPPORT_STATES

MONITORING_MONTHS = (2, 6)  # point 10.3: monitoring lasts from 2 to 6 months

# kind: (annex, the stages in which the assistant makes such a request)
KINDS = {
    "end_support": ("10", END_SUPPORT_STATES),
    "end_monitoring": ("12", ("monitoring",)),
    "reinclusion": ("13", ("monitoring",)),
}


class AssistHeadRequest(models.Model):
    """The assistant's requests to the head of the OPS (points 10 and 14):
    to end support and start monitoring (annex 10), to end monitoring (annex 12),
    or to include the family again when it is not coping (annex 13).

    Assistant: writes and submits them. Head: decides in the wizard
    `assist.head.request.decide`. Social worker: reads them.
    """

    _name = "assist.head.request"
    _description = "Request to the head"
    _inherit = ["assist.case.mixin", "mail.thread", "assist.document.mixin"]
    _anonymise_fields = (
        "results",
        "reasons",
        "decision_note",
        "resignation_document",
        "resignation_filename",
    )
    _order = "date desc, id desc"
    _rec_names_search = ["assignment_id.name", "assignment_id.family_id.name"]
    _locked_states = ("submitted", "approved", "rejected")

    kind = fields.Selection(
        [
            ("end_support", "End support and start monitoring (annex 10)"),
            ("end_monitoring", "End monitoring (annex 12)"),
            ("reinclusion", "Include the family again (annex 13)"),
        ],
        required=True,
        default="end_support",
    )
    # in the reader's language ("AR/2026/0028: Zakończenie wsparcia…"), found by the
    # case's number or family
    name = fields.Char(compute="_compute_name")
    date = fields.Date(required=True, default=fields.Date.context_today)
    end_reason = fields.Selection(END_REASONS)
    results = fields.Text(string="Results achieved / outcome")
    reasons = fields.Text(string="Reasons")
    monitoring_months = fields.Integer(string="Proposed monitoring (months)", default=3)
    # point 14: a written resignation is a statement of the family, kept with its date
    resignation_date = fields.Date(string="Date of the written resignation")
    resignation_document = fields.Binary(
        string="Resignation statement (scan)", attachment=True, copy=False
    )
    resignation_filename = fields.Char(copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    decision_user_id = fields.Many2one("res.users", string="Decided by", readonly=True, copy=False)
    decision_date = fields.Datetime(string="Decided on", readonly=True, copy=False)
    decision_note = fields.Text(string="Head's decision", readonly=True, copy=False)
    approved_months = fields.Integer(
        string="Monitoring approved (months)",
        readonly=True,
        copy=False,
        help="The months of monitoring the head approved (annex 10).",
    )

    @api.depends("kind", "assignment_id.name")
    @api.depends_context("lang")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for request in self:
            case = request.assignment_id.name
            request.name = f"{case}: {kinds[request.kind]}" if case else kinds[request.kind]

    @api.constrains("kind", "end_reason", "monitoring_months", "results", "reasons")
    def _check_request(self):
        low, high = MONITORING_MONTHS
        for request in self:
            if not 0 <= request.monitoring_months <= high:
                raise ValidationError(
                    _(
                        "Monitoring lasts from %(low)s to %(high)s months (point 10.3).",
                        low=low,
                        high=high,
                    )
                )
            if request.kind == "end_support":
                if not request.end_reason:
                    raise ValidationError(_("Give the reason for ending support."))
                if request.end_reason == "other" and not (request.reasons or "").strip():
                    raise ValidationError(
                        _(
                            "Support ends for the reasons of point 14 of the procedure; for "
                            "another reason, write it down."
                        )
                    )
                assistant_monitors = request.end_reason not in ("moved_out", *COURT_END_REASONS)
                if assistant_monitors and not (low <= request.monitoring_months <= high):
                    raise ValidationError(
                        _(
                            "Monitoring lasts from %(low)s to %(high)s months (point 10.3).",
                            low=low,
                            high=high,
                        )
                    )
            if request.kind == "reinclusion" and not request.reasons:
                raise ValidationError(_("Give the reasons to include the family again."))

    def _locked_message(self):
        return _("A submitted request is kept as it was.")

    def action_submit(self):
        for request in self:
            request.assignment_id._check_case_role("assistant")
            if request.state != "draft":
                raise UserError(_("This request has already been submitted."))
            stages = KINDS[request.kind][1]
            request.assignment_id._check_state(*stages)
            if (
                request.kind == "end_support"
                and request.end_reason == "resignation"
                and not (request.resignation_date and request.resignation_document)
            ):
                raise UserError(
                    _(
                        "A resignation is a written statement of the family (point 14): "
                        "give its date and attach its scan."
                    )
                )
            open_requests = request.assignment_id.head_request_ids.filtered(
                lambda r: r.state == "submitted"
            )
            if open_requests:
                raise UserError(_("The head has not decided yet on the previous request."))
        # sudo: the state is written only here, after the checks above.
        self.sudo().write({"state": "submitted"})
        for request in self:
            request.assignment_id._schedule_head_activity(
                "family_assistant.mail_activity_type_request_decision",
                _("Decide on the request: %(name)s.", name=request.name),
            )
        return True

    def action_open_decide_wizard(self):
        self.ensure_one()
        self.assignment_id._check_case_role("head")
        self._check_submitted()
        return {
            "type": "ir.actions.act_window",
            "name": _("Decide on the request"),
            "res_model": "assist.head.request.decide",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_request_id": self.id,
                "default_monitoring_months": self.monitoring_months,
            },
        }

    def _check_submitted(self):
        for request in self:
            if request.state != "submitted":
                raise UserError(_("This request is not waiting for the head's decision."))

    def _decide(self, approve, note=False, monitoring_months=False):
        """The head's decision (called by the wizard)."""
        self.ensure_one()
        assignment = self.assignment_id
        assignment._check_case_role("head")
        self._check_submitted()
        noted = bool((note or "").strip())
        if not approve and not noted:
            raise ValidationError(_("Give the reason for rejecting the request."))
        months = 0
        if approve:
            if self.kind == "end_support":
                if self.end_reason == "other" and not noted:
                    raise ValidationError(
                        _(
                            "Support ends for another reason than those of point 14 only "
                            "with the head's reason: write it in the decision."
                        )
                    )
                if self.end_reason == "moved_out":
                    assignment._close(self.end_reason)
                else:
                    if self.end_reason not in COURT_END_REASONS:
                        months = monitoring_months or self.monitoring_months
                        low, high = MONITORING_MONTHS
                        if not low <= months <= high:
                            raise ValidationError(
                                _(
                                    "Monitoring lasts from %(low)s to %(high)s months (point "
                                    "10.3).",
                                    low=low,
                                    high=high,
                                )
                            )
                    assignment._start_monitoring(months, self.end_reason)
            elif self.kind == "end_monitoring":
                assignment._check_state("monitoring")
                low = MONITORING_MONTHS[0]
                lasted = assignment.monitoring_start_date + relativedelta(months=low)
                if fields.Date.context_today(self) < lasted and not noted:
                    raise ValidationError(
                        _(
                            "Monitoring lasts at least %(low)s months (point 10.3), until "
                            "%(date)s: to end it earlier, write the reason in the decision.",
                            low=low,
                            date=format_date(self.env, lasted),
                        )
                    )
                assignment._close()
            else:
                assignment._include_again(self)
        # sudo: the decision is written only here, after the head's checks.
        self.sudo().write(
            {
                "state": "approved" if approve else "rejected",
                "decision_user_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
                "decision_note": note,
                "approved_months": months,
            }
        )
        assignment.sudo().activity_feedback(
            ["family_assistant.mail_activity_type_request_decision"]
        )
        return True

    def _chronology_event(self):
        state = self._fields["state"].convert_to_export(self.state, self)
        return (
            self.decision_date.date() if self.decision_date else self.date,
            _("Request to the head"),
            f"{self.name} ({state})",
        )
