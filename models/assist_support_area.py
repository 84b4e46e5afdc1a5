from odoo import fields, models


class AssistSupportArea(models.Model):
    """Areas of the assistant's support (point 10.2 of the procedure): social and
    health problems, parenting, household, social and work reintegration...

    Common to every OPS of the database: everybody reads them, the administrator
    changes them."""

    _name = "assist.support.area"
    _description = "Support area"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
