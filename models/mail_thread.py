from odoo import _, models
from odoo.exceptions import AccessError


class MailThread(models.AbstractModel):
    """On the records of the procedure a user posts as themselves: the author, the
    sender and the date of a message are not an input (`assist.guard.mixin`)."""

    _inherit = "mail.thread"

    def message_post(self, **kwargs):
        self._assist_check_author(kwargs)
        return super().message_post(**kwargs)

    def message_notify(self, **kwargs):
        self._assist_check_author(kwargs)
        return super().message_notify(**kwargs)

    def _message_update_content(
        self, message, body, attachment_ids=None, partner_ids=None, **kwargs
    ):
        """Editing or deleting (emptying) a message of a case file is refused."""
        if not self.env.su and getattr(self, "_assist_guarded", False):
            raise AccessError(_("The messages of a family's case file are kept as they were."))
        return super()._message_update_content(
            message, body, attachment_ids=attachment_ids, partner_ids=partner_ids, **kwargs
        )

    def _assist_check_author(self, values):
        """Refuse a message "by" somebody else, or backdated, on a guarded record."""
        if self.env.su or not getattr(self, "_assist_guarded", False):
            return
        user = self.env.user
        author = values.get("author_id")
        forged = (
            (author and author != user.partner_id.id)
            or (values.get("email_from") and values["email_from"] != user.email_formatted)
            or values.get("author_guest_id")
            or values.get("date")
        )
        if forged:
            raise AccessError(_("A message is posted in your own name and with today's date."))
