from odoo import _, api, models
from odoo.exceptions import AccessError

# what makes the file of an attachment, and whose record it is
_FILE_FIELDS = {"datas", "raw", "db_datas", "store_fname", "res_model", "res_id"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _issued_documents(self):
        # sudo: whether a file is an issued document decides even for those
        # who do not read the register
        return (
            self.env["assist.issued.document"]
            .sudo()
            .search([("attachment_id", "in", self.ids)], limit=1)
        )

    def write(self, vals):
        if _FILE_FIELDS.intersection(vals) and self._issued_documents():
            raise AccessError(_("The file of an issued document is kept as it was issued."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued_document(self):
        if not self.env.context.get("assist_anonymise") and self._issued_documents():
            raise AccessError(_("The file of an issued document cannot be deleted."))
