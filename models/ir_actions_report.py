from odoo import fields, models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    assist_annex = fields.Integer(
        string="Annex of the procedure",
        help="The number of the annex of the family-assistant procedure this report prints.",
    )
    assist_period = fields.Boolean(
        string="Printed for a period",
        help="The document lists the work of a period (a work log): the person issuing "
        "it chooses the dates.",
    )
