from odoo import _, api, models
from odoo.exceptions import AccessError


class IrAttachment(models.Model):
    """The files of the records of the procedure hold personal data: nobody makes
    them public or shares them by a link, nor hides them behind a field; and the
    file of an issued document is kept as it was issued."""

    _inherit = "ir.attachment"

    def _issued_documents(self):
        """An issued document's file, or an issued report's (PDF, XLSX)."""
        # sudo: whether a file is an issued document decides even for those
        # who do not read the register
        return self.env["assist.issued.document"].sudo().search(
            [("attachment_id", "in", self.ids)], limit=1
        ) or self.env["assist.statistics"].sudo().search(
            [
                ("state", "=", "issued"),
                "|",
                ("pdf_attachment_id", "in", self.ids),
                ("xlsx_attachment_id", "in", self.ids),
            ],
            limit=1,
        )

    @api.model
    def _assist_check_sharing(self, vals, res_models):
        """Refuse to publish, share by link or hide a file of a family's case."""
        if self.env.su or not any((model or "").startswith("assist.") for model in res_models):
            return
        if vals.get("public") or vals.get("access_token") or vals.get("res_field"):
            raise AccessError(
                _("A file of a family's case is never public, shared by a link or hidden.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._assist_check_sharing(vals, [vals.get("res_model")])
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if self._issued_documents():
                raise AccessError(_("The file of an issued document is kept as it was issued."))
            self._assist_check_sharing(vals, [*self.mapped("res_model"), vals.get("res_model")])
        return super().write(vals)

    def generate_access_token(self):
        self._assist_check_sharing({"access_token": True}, self.mapped("res_model"))
        return super().generate_access_token()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued_document(self):
        if not self.env.context.get("assist_anonymise") and self._issued_documents():
            raise AccessError(_("The file of an issued document cannot be deleted."))
