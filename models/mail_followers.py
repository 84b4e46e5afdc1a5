from odoo import _, api, models
from odoo.exceptions import AccessError
from odoo.osv import expression


class MailFollowers(models.Model):
    """Who follows a family or a case tells who works with it: the followers of a
    record of the procedure are listed only to those who may read the record."""

    _inherit = "mail.followers"

    @api.model
    def _assist_thread_models(self):
        return [
            name
            for name in self.env.registry.descendants(["assist.guard.mixin"], "_inherit")
            if not self.env[name]._abstract and "message_follower_ids" in self.env[name]._fields
        ]

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            models = self._assist_thread_models()
            readable = [("res_model", "not in", models)]
            for name in models:
                if not self.env[name].has_access("read"):
                    continue  # none of its followers
                readable = expression.OR(
                    [
                        readable,
                        [("res_model", "=", name), ("res_id", "in", self.env[name]._search([]))],
                    ]
                )
            domain = expression.AND([domain or [], readable])
        return super()._search(domain, offset, limit, order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su:
            return result
        forbidden = self.browse()
        followers_sudo = self.sudo()
        for name in self._assist_thread_models():
            followers = followers_sudo.filtered(lambda f, n=name: f.res_model == n)
            documents = self.env[name].browse(set(followers.mapped("res_id")))
            readable = set(documents._filtered_access("read").ids)
            forbidden |= followers.filtered(lambda f, r=readable: f.res_id not in r)
        if forbidden:
            return forbidden.with_env(self.env), lambda: AccessError(
                _("You may not see who follows a family's case you do not work with.")
            )
        return None
