from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AssistDocumentIssue(models.TransientModel):
    """Issue (print and freeze) a document of the procedure from a record: the
    person chooses which annex, and the period for a work log. The checks are
    those of `assist.document.mixin._issue_document`."""

    _name = "assist.document.issue"
    _inherit = ["assist.onchange.mixin"]
    _description = "Issue a document"

    res_model = fields.Char(required=True)
    res_id = fields.Integer(required=True)
    report_ids = fields.Many2many("ir.actions.report", compute="_compute_report_ids")
    report_id = fields.Many2one(
        "ir.actions.report",
        string="Document",
        required=True,
        domain="[('id', 'in', report_ids)]",
    )
    needs_period = fields.Boolean(related="report_id.assist_period")
    date_from = fields.Date(
        string="Period from",
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(string="Period to", default=fields.Date.context_today)

    @api.depends("res_model", "res_id")
    def _compute_report_ids(self):
        for wizard in self:
            wizard.report_ids = wizard.res_model and wizard._record()._document_reports()

    def _record(self):
        """The record to print: only a record of the procedure (the wizard's fields
        come from the client: over RPC anybody can set them)."""
        printable = self.env.registry["assist.document.mixin"]._inherit_children
        record = self.res_model in printable and self.env[self.res_model].browse(self.res_id)
        if not record or not record.exists():
            raise UserError(_("This record prints no document of the procedure."))
        return record

    def action_issue(self):
        self.ensure_one()
        period = (self.date_from, self.date_to) if self.needs_period else (False, False)
        issued = self._record()._issue_document(self.report_id, *period)
        return {
            "type": "ir.actions.act_window",
            "name": _("Issued document"),
            "res_model": "assist.issued.document",
            "res_id": issued.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_preview(self):
        """The document as the record is now, not issued (as the Print menu)."""
        self.ensure_one()
        record = self._record()
        record.check_access("read")
        data = {"date_from": self.date_from, "date_to": self.date_to} if self.needs_period else None
        return self.report_id.report_action(record, data=data)
