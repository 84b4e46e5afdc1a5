from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AssistSituationChange(models.Model):
    """Point 12: a change in the family's situation (financial, work, family
    structure) that the assistant learned of. The family must tell the social
    worker within 7 days; if it does not, the assistant tells the worker.

    Assistant: records the change and who told the worker. Social worker and
    head: read it.
    """

    _name = "assist.situation.change"
    _description = "Change in the family's situation"
    _inherit = ["assist.case.mixin"]
    _anonymise_fields = ("description",)
    _order = "date_learned desc, id desc"
    _locked_states = ("family_told", "assistant_told")

    kind = fields.Selection(
        [
            ("financial", "Financial"),
            ("work", "Work"),
            ("structure", "Family structure"),
            ("other", "Other"),
        ],
        required=True,
        default="financial",
    )
    description = fields.Text(required=True)
    affects_plan = fields.Boolean(
        string="The work plan must change",
        help="Point 10.1: the plan is updated every time the family's situation changes: "
        "a new draft version of the plan in force is opened.",
    )
    date_learned = fields.Date(
        string="Assistant learned of it", required=True, default=fields.Date.context_today
    )
    deadline = fields.Date(
        string="Family tells the worker by", compute="_compute_deadline", store=True
    )
    state = fields.Selection(
        [
            ("waiting", "Waiting for the family"),
            ("family_told", "The family told the worker"),
            ("assistant_told", "The assistant told the worker"),
        ],
        default="waiting",
        required=True,
        readonly=True,
        copy=False,
    )
    worker_told_date = fields.Date(string="Worker told on", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        changes = super().create(vals_list)
        changes.filtered("affects_plan")._open_plan_update()
        changes.assignment_id._sync_deadlines()
        return changes

    def write(self, vals):
        result = super().write(vals)
        if vals.get("affects_plan"):
            self._open_plan_update()
            self.assignment_id._sync_deadlines()
        return result

    def _open_plan_update(self):
        """A new draft version of each plan in force (its deadline is the rule
        "plan_update" of the assistant)."""
        for plan in self.assignment_id.active_plan_id:
            plan._new_version()
        self.assignment_id._sync_deadlines()

    @api.depends("date_learned", "company_id")
    def _compute_deadline(self):
        """Point 12: the family tells the worker within the days of the OPS's rule."""
        rules = self.env["assist.deadline.rule"].sudo()._rules_by_company(self.company_id)
        for change in self:
            rule = rules.get((change.company_id.id, "situation_change"))
            change.deadline = rule and change.date_learned and rule._due_date(change.date_learned)

    def _locked_message(self):
        return _("The social worker knows of this change: it is kept as it was.")

    def _mark_told(self, state):
        for change in self:
            change.assignment_id._check_case_role("assistant")
            if change.state != "waiting":
                raise UserError(_("The social worker already knows of this change."))
        # sudo: the state is written only here, after the checks above.
        self.sudo().write({"state": state, "worker_told_date": fields.Date.context_today(self)})
        self.assignment_id._sync_deadlines()
        return True

    def action_family_told(self):
        return self._mark_told("family_told")

    def action_assistant_told(self):
        """The family did not tell the worker in time: the assistant does."""
        self._mark_told("assistant_told")
        for change in self:
            change.assignment_id.message_post(
                body=_(
                    "Change in the family's situation (point 12): %(kind)s.",
                    kind=change._fields["kind"].convert_to_export(change.kind, change),
                ),
                partner_ids=change.family_id.worker_id.partner_id.ids,
            )
        return True

    def _chronology_event(self):
        kind = self._fields["kind"].convert_to_export(self.kind, self)
        return (self.date_learned, _("Change in the situation"), kind)
