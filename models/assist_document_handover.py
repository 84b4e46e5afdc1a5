from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class AssistDocumentHandover(models.Model):
    """Point 3, annex 2: the social worker hands the family's documents over to
    the assistant within 3 days of the head's approval.

    Social worker (or head): creates and confirms it. Assistant: reads it.
    """

    _name = "assist.document.handover"
    _description = "Handover of documents"
    _inherit = ["assist.case.mixin", "assist.document.mixin"]
    _order = "date desc, id desc"
    _case_roles = ("worker", "head")
    _case_states = ("approved",)
    _anonymise_fields = ("missing_documents",)
    _locked_states = ("done",)

    date = fields.Date(required=True, default=fields.Date.context_today)
    worker_id = fields.Many2one(
        "res.users",
        string="Handed over by",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env.user,
    )
    assistant_id = fields.Many2one(
        "res.users",
        string="Received by",
        compute="_compute_assistant_id",
        store=True,
        help="The family assistant of the case.",
    )
    line_ids = fields.One2many(
        "assist.document.handover.line", "handover_id", string="Documents", copy=True
    )
    complete = fields.Boolean(
        string="Complete set of documents",
        default=True,
        help="Point 3: the worker hands over the complete set of the family's documents.",
    )
    missing_documents = fields.Text(string="What is missing")
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Handed over")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
    )

    @api.depends("assignment_id")
    def _compute_assistant_id(self):
        for handover in self:
            handover.assistant_id = handover.assignment_id.assistant_id

    def _locked_message(self):
        return _("The documents have been handed over: the record is kept as it was.")

    # Checked when the handover is saved, so that a refused confirmation leaves
    # no half-made record behind.
    @api.constrains("line_ids", "date", "complete", "missing_documents")
    def _check_lines(self):
        for handover in self:
            if not handover.line_ids:
                raise ValidationError(_("List the documents handed over to the assistant."))
            if not handover.complete and not (handover.missing_documents or "").strip():
                raise ValidationError(_("Say which documents are missing from the set."))

    def action_confirm(self):
        for handover in self:
            handover.assignment_id._check_case_role("worker", "head")
            if handover.state != "draft":
                raise UserError(_("These documents have already been handed over."))
            handover.assignment_id._documents_handed_over(handover)
        # sudo: the state is written only here, after the checks above.
        self.sudo().write({"state": "done"})
        return {"type": "ir.actions.act_window_close"}

    def _chronology_event(self):
        return (
            self.date,
            _("Documents handed over"),
            ", ".join(self.line_ids.mapped("name")),
        )


class AssistDocumentHandoverLine(models.Model):
    _name = "assist.document.handover.line"
    _inherit = ["assist.guard.mixin"]
    _description = "Document handed over"
    _order = "sequence, id"
    _lock_parent = "handover_id"
    _anonymise_fields = ("name", "note")

    handover_id = fields.Many2one("assist.document.handover", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="handover_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Document", required=True)
    note = fields.Char()
