from odoo import _, api, models
from odoo.exceptions import AccessError


class MailMessage(models.Model):
    """The messages of the records of the procedure are part of the case file: a
    message created directly obeys the same rule as `message_post` (in the user's
    own name, dated now), and nobody changes or deletes one (only the system: the
    anonymisation of a family)."""

    _inherit = "mail.message"

    # what a message says and who said it, when, where
    _ASSIST_KEPT_FIELDS = frozenset(
        {
            "body",
            "subject",
            "attachment_ids",
            "author_id",
            "author_guest_id",
            "email_from",
            "date",
            "model",
            "res_id",
            "record_name",
            "message_type",
            "subtype_id",
            "partner_ids",
            "tracking_value_ids",
        }
    )

    def _assist_case_messages(self):
        """The messages among these that belong to a record of the procedure."""
        return self.filtered(
            lambda message: (
                message.model and getattr(self.env.get(message.model), "_assist_guarded", False)
            )
        )

    def write(self, vals):
        if (
            not self.env.su
            and self._ASSIST_KEPT_FIELDS & vals.keys()
            and self._assist_case_messages()
        ):
            raise AccessError(_("The messages of a family's case file are kept as they were."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_case_file(self):
        if not self.env.su and self._assist_case_messages():
            raise AccessError(_("The messages of a family's case file are kept as they were."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                records = self.env.get(vals.get("model") or "mail.thread")
                if getattr(records, "_assist_guarded", False):
                    records.browse(vals.get("res_id"))._assist_check_author(vals)
        return super().create(vals_list)
