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
    assist_phone_max_offline_days = fields.Integer(
        string="Days a phone keeps its data without syncing",
        config_parameter="family_assistant.phone_max_offline_days",
        default=7,
    )
