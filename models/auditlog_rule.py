import functools

from odoo import models


class AuditlogRule(models.Model):
    """Accountability is not switched off by the caller: the context key
    `auditlog_disabled` (which auditlog sets for its own reads) is honoured only
    for the system (superuser); a user who sends it over RPC is logged all the
    same."""

    _inherit = "auditlog.rule"

    def _patch_method(self, model, method_name, check_attr):
        patched = super()._patch_method(model, method_name, check_attr)
        if patched:
            model_class = model.env.registry[model._name]
            logged = getattr(model_class, method_name)

            def accountable(records, *args, **kwargs):
                if not records.env.su and records.env.context.get("auditlog_disabled"):
                    records = records.with_context(auditlog_disabled=False)
                return logged(records, *args, **kwargs)

            # the marks of Odoo's API decorators (`_api`: how RPC calls `create`), and
            # `origin`, through which auditlog restores the original method
            functools.update_wrapper(accountable, logged)
            accountable.origin = logged.origin
            setattr(model_class, method_name, accountable)
        return patched
