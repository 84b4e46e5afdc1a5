from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    assist_max_families = fields.Integer(
        related="company_id.assist_max_families",
        readonly=False,
    )
    assist_retention_years = fields.Integer(
        related="company_id.assist_retention_years",
        readonly=False,
    )
