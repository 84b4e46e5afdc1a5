from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class AssistIssuedDocument(models.Model):
    """The register of the documents issued in a case: each is the PDF of an annex
    as it was rendered when issued, with its SHA-256.

    Created only by `assist.document.mixin._issue_document` (under sudo, after its
    checks); read by whoever reads the case; changed or deleted by nobody (the
    anonymisation of a family removes them with the rest of its personal data).
    """

    _name = "assist.issued.document"
    _description = "Issued document"
    _order = "issue_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    report_id = fields.Many2one(
        "ir.actions.report", string="Document", required=True, ondelete="restrict"
    )
    annex = fields.Integer(related="report_id.assist_annex", string="Annex")
    res_model = fields.Char(string="Model", required=True, index=True)
    res_id = fields.Many2oneReference(string="Record", model_field="res_model", required=True)
    assignment_id = fields.Many2one(
        "assist.assignment", string="Assignment", required=True, ondelete="restrict", index=True
    )
    family_id = fields.Many2one(related="assignment_id.family_id", store=True, index=True)
    company_id = fields.Many2one(related="assignment_id.company_id", store=True, index=True)
    version = fields.Integer(required=True, default=1)
    date_from = fields.Date(string="Period from")
    date_to = fields.Date(string="Period to")
    attachment_id = fields.Many2one(
        "ir.attachment", string="File", required=True, ondelete="restrict"
    )
    file = fields.Binary(related="attachment_id.datas", string="PDF")
    file_name = fields.Char(related="attachment_id.name", string="File name")
    checksum = fields.Char(string="SHA-256", required=True)
    issued_by_id = fields.Many2one("res.users", string="Issued by", required=True)
    issue_date = fields.Datetime(string="Issued on", required=True, default=fields.Datetime.now)

    _sql_constraints = [
        (
            "version_unique",
            "unique(res_model, res_id, report_id, version)",
            "Each version of a document is issued once.",
        ),
    ]

    @api.depends("report_id.name", "assignment_id.name", "version")
    def _compute_name(self):
        for document in self:
            document.name = _(
                "%(document)s – %(case)s – version %(version)s",
                document=document.report_id.name,
                case=document.assignment_id.name,
                version=document.version,
            )

    def write(self, vals):
        if not self.env.su:
            raise AccessError(_("An issued document is kept as it was issued."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_anonymisation(self):
        if not self.env.context.get("assist_anonymise"):
            raise AccessError(_("An issued document is kept as it was issued."))

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
