from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# Art. 15 ust. 4 of the act on supporting the family: at most 15 families per assistant.
STATUTORY_MAX_FAMILIES = 15


class ResCompany(models.Model):
    """An OPS (social-welfare centre). The head of the OPS reads its settings;
    only an administrator changes them."""

    _inherit = "res.company"

    assist_max_families = fields.Integer(
        string="Families per assistant",
        default=STATUTORY_MAX_FAMILIES,
        help="How many families one family assistant may work with at the same time "
        "(a difficult family counts twice). The act allows at most 15.",
    )

    assist_retention_years = fields.Integer(
        string="Keep closed cases (years)",
        default=10,
        help="How many years after a case closed its personal data are kept; then the "
        "head is asked to anonymise the family.",
    )

    @api.constrains("assist_retention_years")
    def _check_assist_retention_years(self):
        for company in self:
            if company.assist_retention_years < 1:
                raise ValidationError(_("Closed cases are kept for at least one year."))

    @api.constrains("assist_max_families")
    def _check_assist_max_families(self):
        for company in self:
            if not 1 <= company.assist_max_families <= STATUTORY_MAX_FAMILIES:
                raise ValidationError(
                    _(
                        "The limit of families per assistant must be between 1 and "
                        "%(max)s (art. 15 ust. 4 of the act).",
                        max=STATUTORY_MAX_FAMILIES,
                    )
                )
