from odoo import fields, models


class AssistStatutoryDuty(models.Model):
    """The duties of a family assistant listed in art. 15 ust. 1 of the act on
    supporting the family and the foster-care system (ustawa o wspieraniu rodziny i
    systemie pieczy zastępczej). Each visit or action records which of them it served,
    so that the work log, the reports and the statistics can show them.

    Common to every OPS: everybody reads them, the administrator changes them."""

    _name = "assist.statutory.duty"
    _description = "Statutory duty of the family assistant"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    article = fields.Char(
        required=True, help="Where the act lists it, e.g. 'art. 15 ust. 1 pkt 12'."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("article_unique", "unique(article)", "Each point of the act is listed once."),
    ]

    def _compute_display_name(self):
        for duty in self:
            duty.display_name = f"{duty.article.split('pkt ')[-1]}. {duty.name}"
