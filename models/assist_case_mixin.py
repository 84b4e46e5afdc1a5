from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .stages import CLOSED_STATES, WORK_STATES


class AssistCaseMixin(models.AbstractModel):
    """A record of a family-assistant case (visit, plan, assessment, report...).

    It hangs from an assignment and follows its access: record rules on
    `assignment_id` give it to the assignment's assistant, the family's worker and
    the head. `_case_roles` says which of them may create and edit it, and
    `_case_states` in which stages of the case it is made. A record of a closed
    case is kept as it is, and so is a record in one of its `_locked_states`
    (with its lines); the fields, relations and input are guarded by
    `assist.guard.mixin`.
    """

    _name = "assist.case.mixin"
    _inherit = ["assist.guard.mixin"]
    _description = "Record of a family-assistant case"
    # a user chosen on a record of a case works for the OPS of the case
    _check_company_auto = True

    # Who may create and edit: "assistant" (of this assignment), "monitor" (who
    # makes the monitoring visits), "worker" (of the family or the request), "head".
    _case_roles = ("assistant",)
    # The assignment states in which such records are made.
    _case_states = WORK_STATES
    # The record's own states in which it is kept as it was.
    _locked_states = ()

    assignment_id = fields.Many2one(
        "assist.assignment",
        string="Assignment",
        required=True,
        ondelete="restrict",
        index=True,
        # the picker offers the cases at a stage where such a record is made
        domain=lambda self: [("state", "in", self._case_states)],
    )
    family_id = fields.Many2one(related="assignment_id.family_id", store=True, index=True)
    company_id = fields.Many2one(related="assignment_id.company_id", store=True, index=True)

    @api.model
    def _case_models(self):
        """The models of the records of a case: every model of this mixin."""
        return [
            name
            for name in self.pool.descendants([self._name], "_inherit")
            if not self.pool[name]._abstract
        ]

    def _check_create(self, vals_list):
        # checked before anything is written, so that the caller gets this message
        # rather than a database error
        assignments = self.env["assist.assignment"].browse(
            {vals["assignment_id"] for vals in vals_list if vals.get("assignment_id")}
        )
        self._check_case_access(assignments)

    def _check_write(self, vals):
        self._check_case_access(self.assignment_id, writing=True)

    @api.model
    def _check_case_access(self, assignments, writing=False):
        """The caller's role on the assignments, and their stage."""
        for assignment in assignments:
            if not assignment._user_has_case_role(self._case_roles):
                raise AccessError(
                    _(
                        "You cannot record this for the case %(name)s: it is done by "
                        "its family assistant, social worker or the head, as the "
                        "procedure says.",
                        name=assignment.name,
                    )
                )
            if assignment.state in CLOSED_STATES:
                raise UserError(assignment._closed_message())
            if not writing and assignment.state not in self._case_states:
                raise UserError(
                    _(
                        "%(record)s cannot be recorded at this stage of the case "
                        "%(name)s (%(stage)s).",
                        record=self._model_label(),
                        name=assignment.name,
                        stage=assignment._fields["state"].convert_to_export(
                            assignment.state, assignment
                        ),
                    )
                )

    def _lock_reason(self):
        self.ensure_one()
        if self.assignment_id.state in CLOSED_STATES:
            return self.assignment_id._closed_message()
        if "state" in self._fields and self.state in self._locked_states:
            return self._locked_message()
        return False

    def _locked_message(self):
        """The message when a record in one of `_locked_states` is changed."""
        return _("%(record)s is kept as it was.", record=self._model_label())

    def _earliest_date(self, name):
        """Nothing of a case is dated before its request."""
        return self.assignment_id.request_date or super()._earliest_date(name)

    @api.model
    def _action_for_assignment(self, assignment, name):
        """The window action listing this model's records of `assignment`."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": self._name,
            "view_mode": "list,form",
            "domain": [("assignment_id", "=", assignment.id)],
            "context": {"default_assignment_id": assignment.id},
        }
