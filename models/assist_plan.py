from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .stages import PLAN_STATES

RESPONSIBLE = [
    ("family", "Family"),
    ("assistant", "Family assistant"),
    ("worker", "Social worker"),
    ("other", "Other"),
]


class AssistPlan(models.Model):
    """The family work plan (point 10.1, annex 6; art. 15 ust. 3 of the act):
    goals, the actions that serve them, their deadlines, expected effects and who
    is responsible, consulted with the social worker and agreed with the family.

    Versioned: a new version after every periodic assessment (annex 7) or change
    in the family; a version in force is replaced by the next one and then kept
    read-only. Assistant: writes it. Social worker: reads it and confirms the
    consultation. Head: reads it.
    """

    _name = "assist.plan"
    _description = "Family work plan"
    _inherit = ["assist.case.mixin", "mail.thread", "mail.activity.mixin", "assist.document.mixin"]
    _order = "assignment_id, version desc"
    _case_states = PLAN_STATES
    _locked_states = ("superseded",)

    name = fields.Char(compute="_compute_name", store=True)
    version = fields.Integer(required=True, default=1, readonly=True, copy=False)
    date = fields.Date(required=True, default=fields.Date.context_today)
    state = fields.Selection(
        [("draft", "Draft"), ("active", "In force"), ("superseded", "Superseded")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    goal_ids = fields.One2many("assist.plan.goal", "plan_id", string="Goals", copy=True)
    worker_consulted_date = fields.Date(
        string="Consulted with the social worker", readonly=True, copy=False
    )
    family_agreed_date = fields.Date(string="Agreed with the family", copy=False)
    previous_plan_id = fields.Many2one("assist.plan", readonly=True, copy=False)
    assessment_id = fields.Many2one(
        "assist.assessment",
        string="After the assessment",
        readonly=True,
        copy=False,
        help="The periodic assessment that this version follows.",
    )

    _sql_constraints = [
        ("version_unique", "unique(assignment_id, version)", "Each plan version is numbered once."),
    ]

    @api.model
    def _server_create_vals(self, vals_list):
        """Each new plan of a case is its next version."""
        # sudo: numbering counts every version of the case, whoever may read them
        last = dict(
            self.sudo()._read_group(
                [("assignment_id", "in", [vals.get("assignment_id") for vals in vals_list])],
                ["assignment_id"],
                ["version:max"],
            )
        )
        last = {assignment.id: version for assignment, version in last.items()}
        for vals in vals_list:
            if "version" not in vals and vals.get("assignment_id"):
                last[vals["assignment_id"]] = last.get(vals["assignment_id"], 0) + 1
                vals["version"] = last[vals["assignment_id"]]
        return super()._server_create_vals(vals_list)

    @api.depends("version", "assignment_id.name")
    def _compute_name(self):
        for plan in self:
            plan.name = _(
                "Plan %(case)s v%(version)s", case=plan.assignment_id.name, version=plan.version
            )

    def _locked_message(self):
        return _(
            "This version of the plan has been replaced by a newer one and is kept "
            "as it was: make a new version instead."
        )

    def action_request_consultation(self):
        """The assistant asks the family's social worker to consult the draft plan
        (point 10.1): a to-do on the worker's list, once."""
        consultation = self.env.ref("family_assistant.mail_activity_type_consultation")
        for plan in self:
            plan.assignment_id._check_case_role("assistant")
            plan._check_unlocked()
            if plan.state != "draft" or plan.worker_consulted_date:
                raise UserError(_("Only a draft plan not yet consulted is sent for consultation."))
            if plan.activity_ids.filtered(lambda a, c=consultation: a.activity_type_id == c):
                continue
            # sudo: the assistant puts a to-do on the worker's list
            plan.sudo().activity_schedule(
                activity_type_id=consultation.id,
                user_id=plan.family_id.worker_id.id,
            )
        return True

    def action_confirm_consultation(self):
        """The social worker confirms they were consulted on the plan."""
        for plan in self:
            plan.assignment_id._check_case_role("worker", "head")
            plan._check_unlocked()
            if plan.state != "draft":
                raise UserError(_("Only a draft plan is consulted with the social worker."))
        # sudo: the worker only reads plans; this date is theirs to confirm.
        self.sudo().write({"worker_consulted_date": fields.Date.context_today(self)})
        self.sudo().activity_feedback(["family_assistant.mail_activity_type_consultation"])
        return True

    def action_activate(self):
        """The plan agreed with the family comes into force; the previous version
        is superseded."""
        for plan in self:
            plan.assignment_id._check_case_role("assistant")
            if plan.state != "draft":
                raise UserError(_("Only a draft plan can come into force."))
            if not plan.goal_ids.action_ids:
                raise UserError(_("A plan needs at least one goal with its actions."))
            if not (plan.worker_consulted_date and plan.family_agreed_date):
                raise UserError(
                    _(
                        "The plan comes into force once consulted with the social worker "
                        "and agreed with the family."
                    )
                )
            current = plan.assignment_id.plan_ids.filtered(lambda p: p.state == "active")
            # sudo: the states of the plans are written only here, after the checks above.
            current.sudo().state = "superseded"
            plan.sudo().state = "active"
        self.assignment_id._sync_deadlines()
        return True

    def action_new_version(self):
        """A new draft version of the plan in force, to be updated."""
        self.ensure_one()
        self.assignment_id._check_case_role("assistant")
        if self.state != "active":
            raise UserError(_("A new version is made from the plan in force."))
        new = self._new_version()
        self.assignment_id._sync_deadlines()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    def _new_version(self, assessment=False):
        self.ensure_one()
        existing = self.assignment_id.plan_ids.filtered(lambda p: p.state == "draft")
        if existing:
            return existing[:1]
        # sudo: the number, the link to this version and to the assessment are the
        # server's; the caller's role was checked by the action
        new_sudo = self.sudo().copy(
            {
                "date": fields.Date.context_today(self),
                "previous_plan_id": self.id,
                "assessment_id": assessment and assessment.id,
            }
        )
        return new_sudo.sudo(False)

    def _chronology_event(self):
        state = self._fields["state"].convert_to_export(self.state, self)
        return (self.date, _("Work plan"), f"v{self.version} ({state})")


class AssistPlanGoal(models.Model):
    _name = "assist.plan.goal"
    _description = "Goal of the work plan"
    _inherit = ["assist.guard.mixin"]
    _order = "sequence, id"
    _lock_parent = "plan_id"
    _anonymise_fields = ("name", "progress")

    plan_id = fields.Many2one("assist.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Goal", required=True)
    area_id = fields.Many2one("assist.support.area", string="Support area")
    action_ids = fields.One2many("assist.plan.action", "goal_id", string="Actions", copy=True)
    progress = fields.Text(help="Progress towards the goal, from the periodic assessments.")


class AssistPlanAction(models.Model):
    _name = "assist.plan.action"
    _description = "Action of the work plan"
    _inherit = ["assist.guard.mixin"]
    _order = "sequence, deadline, id"
    _lock_parent = "goal_id"
    _anonymise_fields = ("name", "expected_effect", "responsible_note")

    goal_id = fields.Many2one("assist.plan.goal", required=True, ondelete="cascade", index=True)
    plan_id = fields.Many2one(related="goal_id.plan_id", store=True, index=True)
    company_id = fields.Many2one(related="goal_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Action", required=True)
    deadline = fields.Date()
    expected_effect = fields.Char(required=True)
    responsible = fields.Selection(RESPONSIBLE, required=True, default="family")
    responsible_note = fields.Char(string="Who exactly")
    done = fields.Boolean()
