import logging
import random
import time

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import format_date, mute_logger

from .assist_guard_mixin import text_html
from .stages import ACTIVE_STATES, PLAN_STATES, WORK_STATES

_logger = logging.getLogger(__name__)

# A scheduled run that meets a user's transaction on the same records (a
# serialization failure, a lock, a deadlock) is run again from a new transaction,
# as Odoo retries a request: the cron worker would only try at the next interval.
CRON_TRIES = 3


class AssistDeadlineMixin(models.AbstractModel):
    """The deadlines of the procedure for `assist.assignment`, watched by the
    system: each becomes a `mail.activity` for the person who acts, closes itself
    when the step is done, and is escalated once to the head when overdue
    (`_sync_deadlines`, run after each step, after a write of the fields that
    start or move a deadline, and by the scheduled action in bounded batches).
    The rules themselves are data: `assist.deadline.rule`."""

    _name = "assist.deadline.mixin"
    _description = "Deadlines of a family-assistant case"

    # a change of these starts, moves or ends deadlines
    _DEADLINE_FIELDS = frozenset(
        {
            "state",
            "documents_date",
            "work_start_date",
            "cooperation_start_date",
            "cooperation_years",
            "monitoring_start_date",
            "monitoring_months",
        }
    )

    def write(self, vals):
        result = super().write(vals)
        if self._DEADLINE_FIELDS & vals.keys():
            self._sync_deadlines()
        return result

    def _deadline_starts(self):
        """{(assignment, code): (start date, user)} of the deadlines running now,
        read in a fixed number of grouped queries whatever the number of cases."""
        today = fields.Date.context_today(self)
        month_start = today.replace(day=1)
        visited = self._visit_starts(today)
        last_assessment = dict(
            self.env["assist.assessment"]._read_group(
                [
                    ("assignment_id", "in", self.ids),
                    ("kind", "=", "periodic"),
                    ("state", "=", "done"),
                ],
                ["assignment_id"],
                ["date:max"],
            )
        )
        reported = {
            assignment
            for [assignment] in self.env["assist.monthly.report"]._read_group(
                [
                    ("assignment_id", "in", self.ids),
                    ("month", "=", month_start - relativedelta(months=1)),
                    ("state", "=", "submitted"),
                ],
                ["assignment_id"],
            )
        }
        # a new draft version of the plan in force, after an assessment or a change
        plan_updates = dict(
            self.env["assist.plan"]._read_group(
                [
                    ("assignment_id", "in", self.ids),
                    ("state", "=", "draft"),
                    ("previous_plan_id", "!=", False),
                ],
                ["assignment_id"],
                ["date:min"],
            )
        )
        changes = dict(
            self.env["assist.situation.change"]._read_group(
                [("assignment_id", "in", self.ids), ("state", "=", "waiting")],
                ["assignment_id"],
                ["date_learned:min"],
            )
        )
        starts = {}
        for case in self:
            worker = case.family_id.worker_id
            assistant = case.assistant_id
            state = case.state
            if state == "approved" and (case.help_plan_date or case.decision_date):
                # point 3: 3 days from the head's approval of the worker's plan of help
                approved = case.help_plan_date or case.decision_date.date()
                starts[case, "handover"] = (approved, worker)
            if state == "handover" and case.basis != "court" and not case.work_start_date:
                starts[case, "start_work"] = (case.documents_date, assistant)
            if (
                state in ("approved", "handover")
                and case.basis == "court"
                and not case.work_start_date
                and case.court_info_received_date
            ):
                starts[case, "start_work_court"] = (case.court_info_received_date, assistant)
            if state == "diagnosis" and case.work_start_date:
                starts[case, "diagnosis_plan"] = (case.work_start_date, assistant)
            if state in PLAN_STATES:
                starts[case, "visit"] = (visited.get(case) or case.work_start_date, assistant)
                # point 11: at least every 6 months from the start of the work
                assessed = max(filter(None, (last_assessment.get(case), case.work_start_date)))
                starts[case, "assessment"] = (assessed, assistant)
            if state in PLAN_STATES and case in plan_updates:
                starts[case, "plan_update"] = (plan_updates[case], assistant)
            if (
                state in WORK_STATES
                and case not in reported
                and case.work_start_date
                and case.work_start_date < month_start
            ):
                starts[case, "monthly_report"] = (month_start, assistant)
            if state == "cooperation":
                starts[case, "cooperation_end"] = (case.cooperation_end_date, case.assistant_id)
            if state == "monitoring" and case.monitoring_by == "assistant":
                # the assistant asks to end it when its months are over; the head
                # decides within the 6 months of point 10.3 (the area worker's
                # monitoring after a resignation has no such limit)
                starts[case, "monitoring_end"] = (case.monitoring_end_date, assistant)
                starts[case, "monitoring_limit"] = (case.monitoring_start_date, assistant)
            if case in changes:
                starts[case, "situation_change"] = (changes[case], assistant)
        return starts

    def _visit_starts(self, today):
        """{case: the date the next visit is counted from}: point 8 asks for at
        least N meetings with the family (the rule's `visits_required`) in every
        period of the rule's days, so the next one is due the rule's days after
        the N-th most recent. Read in two queries: the last 90 days' meetings, and
        the last meeting of all for a case with none that recent (long overdue)."""
        rules = self.env["assist.deadline.rule"].sudo()._rules_by_company(self.company_id)
        Visit = self.env["assist.visit"]
        meetings = [("assignment_id", "in", self.ids), ("counts_as_visit", "=", True)]
        recent = Visit.search_fetch(
            [*meetings, ("date", ">=", today - relativedelta(days=90))],
            ["assignment_id", "date"],
            order="date desc",
        )
        dates = {}
        for visit in recent:
            dates.setdefault(visit.assignment_id, []).append(visit.date)
        last = dict(Visit._read_group(meetings, ["assignment_id"], ["date:max"]))
        starts = {}
        for case in self:
            rule = rules.get((case.company_id.id, "visit"))
            required = rule.visits_required if rule else 1
            recent_dates = dates.get(case, [])  # the newest first
            if len(recent_dates) >= required:
                starts[case] = recent_dates[required - 1]
            elif recent_dates:
                # fewer than required in the period: counted from the oldest of them
                starts[case] = recent_dates[-1]
            else:
                # none in 90 days: from the last of all (long overdue), or none yet
                starts[case] = last.get(case)
        return starts

    def _sync_deadlines(self):
        """Create the activities of the running deadlines, move their due dates,
        close those whose step is done. Running it twice changes nothing."""
        cases = self.sudo()  # sudo: deadlines are the system's, for every role
        rules = self.env["assist.deadline.rule"].sudo()._rules_by_company(cases.company_id)
        heads = {company: cases._head_of_ops(company) for company in cases.company_id}
        expected = {}
        for (case, code), (start, user) in cases._deadline_starts().items():
            rule = rules.get((case.company_id.id, code))
            if rule and rule.responsible == "head":
                user = heads[case.company_id]
            if not rule or not start or not user:
                continue
            expected[case.id, rule.id] = (rule._due_date(start), user, rule)
        cases._set_next_visit_dates(
            {
                case_id: due
                for (case_id, _rule), (due, _user, rule) in expected.items()
                if rule.code == "visit"
            }
        )
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("assist_rule_id", "!=", False),
                ]
            )
        )
        existing = {
            (activity.res_id, activity.assist_rule_id.id): activity for activity in activities
        }
        done = activities.filtered(lambda a: (a.res_id, a.assist_rule_id.id) not in expected)
        if done:
            done.action_feedback(feedback=_("Done: the step of the procedure was taken."))
        model_id = self.env["ir.model"]._get_id(self._name)
        to_create = []
        for (case_id, _rule_id), (due, user, rule) in expected.items():
            activity = existing.get((case_id, rule.id))
            if activity:
                if activity.date_deadline != due or activity.user_id != user:
                    activity.write({"date_deadline": due, "user_id": user.id})
                continue
            to_create.append(
                {
                    "res_model_id": model_id,
                    "res_id": case_id,
                    # the type names the step, in the language of whoever reads it
                    "activity_type_id": rule.activity_type_id.id,
                    "user_id": user.id,
                    "date_deadline": due,
                    "assist_rule_id": rule.id,
                }
            )
        if to_create:
            # subscribe first, one case once: mail.activity subscribes its users
            # per activity and would add the same follower twice within a batch
            per_user = {}
            for vals in to_create:
                per_user.setdefault(vals["user_id"], set()).add(vals["res_id"])
            for user_id, case_ids in per_user.items():
                partner = self.env["res.users"].browse(user_id).partner_id
                cases.browse(case_ids).message_subscribe(partner_ids=partner.ids)
            self._create_deadline_activities(to_create)

    def _create_deadline_activities(self, vals_list):
        """Create the activities of new deadlines. Two transactions may create the
        same one at once (the cron's sweep and a visit on the 1st of the month, two
        devices of one assistant): the database keeps the first (the unique index
        `assist_rule_unique`), and the later one, which cannot see it (repeatable
        read), leaves it there instead of failing: the next sync of the case brings
        its date and user up to date if they differ."""
        activities = self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True)
        try:
            # (the conflict is expected: not logged as a "bad query")
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                activities.create(vals_list)
            return
        except psycopg2.errors.UniqueViolation as error:
            if error.diag.constraint_name != "mail_activity_assist_rule_unique":
                raise
        for vals in vals_list:
            try:
                with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                    activities.create(vals)
            except psycopg2.errors.UniqueViolation as error:
                if error.diag.constraint_name != "mail_activity_assist_rule_unique":
                    raise
                _logger.info(
                    "deadline rule %s of case %s: created meanwhile by another transaction",
                    vals["assist_rule_id"],
                    vals["res_id"],
                )

    def _set_next_visit_dates(self, dues):
        """Store each case's next visit due ({case id: date}), written only where it
        changed (the assistant's list puts the visits due first)."""
        changed = {}
        for case in self:
            due = dues.get(case.id, False)
            if case.next_visit_date != due:
                changed.setdefault(due, []).append(case.id)
        for due, ids in changed.items():
            self.browse(ids).write({"next_visit_date": due})

    @api.model
    def _head_of_ops(self, company):
        """The head who gets the system's to-dos of an OPS (the first one)."""
        return (
            self.env.ref("family_assistant.group_head")
            .users.filtered(lambda user: company in user.company_ids and user.id != 1)
            .sorted("id")[:1]
        )

    @api.model
    def _escalate_overdue(self, limit=1000):
        """Overdue deadlines, past their rule's grace days: a to-do for the head,
        once per deadline."""
        today = fields.Date.context_today(self)
        overdue = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("assist_rule_id.escalate_after_days", ">", 0),
                    ("assist_escalated", "=", False),
                    ("date_deadline", "<", today),
                ],
                limit=limit,
            )
        )
        overdue = overdue.filtered(
            lambda a: (
                a.date_deadline + relativedelta(days=a.assist_rule_id.escalate_after_days) < today
            )
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        cases = self.browse(overdue.mapped("res_id"))
        company_heads = {company: self._head_of_ops(company) for company in cases.company_id}
        heads = {case.id: company_heads[case.company_id] for case in cases}
        overdue_type = self.env.ref("family_assistant.mail_activity_type_overdue")
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": activity.res_id,
                "activity_type_id": overdue_type.id,
                "note": self.with_context(lang=heads[activity.res_id].lang)._overdue_note(activity),
                "user_id": heads[activity.res_id].id,
                "date_deadline": today,
                "assist_escalation_of_id": activity.id,
            }
            for activity in overdue
            if heads.get(activity.res_id)
        ]
        # no e-mail per to-do (a first sweep may escalate a thousand): the head finds
        # them on the dashboard and in the team's to-dos, like every deadline
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            vals_list
        )
        overdue.write({"assist_escalated": True})
        return len(vals_list)

    @api.model
    def _overdue_note(self, activity):
        """What is overdue and whose it is, in the language of this environment (the
        head's: the escalation is written for them)."""
        return text_html(
            _(
                "%(step)s: %(user)s has not done it by %(date)s.",
                step=activity.activity_type_id.with_env(self.env).name,
                user=activity.user_id.name,
                date=format_date(self.env, activity.date_deadline),
            )
        )

    def _run_isolated(self, work, what):
        """`work(cases)` for these cases at once; when it fails, case by case, each
        in its own savepoint: a case whose data makes it fail (an impossible date
        loaded by an import, a rule an OPS misconfigured) is logged with its number
        and skipped, and the others go on. Errors of the database itself (a
        serialization failure, a lock) are the transaction's: the cron retries it.
        Returns the cases skipped."""
        try:
            with self.env.cr.savepoint():
                work(self)
            return self.browse()
        except psycopg2.OperationalError:
            raise
        except Exception:  # noqa: BLE001 - one case must not stop the others
            _logger.info("%s: the batch of %s cases failed, case by case", what, len(self))
        self.env.invalidate_all()
        skipped = self.browse()
        for case in self:
            try:
                with self.env.cr.savepoint():
                    # alone: no value of the others computed along with its own
                    work(case.with_prefetch())
            except psycopg2.OperationalError:
                raise
            except Exception as error:  # noqa: BLE001
                _logger.warning("%s of case %s skipped: %s", what, case.name, error)
                skipped |= case
        return skipped

    @api.model
    def _cron_retrying(self, run):
        """`run()`; in the cron worker, after a concurrency error, rolled back and
        run again from a new transaction (a new snapshot), up to CRON_TRIES times.
        Elsewhere ("Run manually", whose request Odoo retries; the tests) the error
        is raised as it is."""
        tries = CRON_TRIES if self.env.context.get("cron_id") else 1
        for attempt in range(1, tries + 1):
            try:
                result = run()
                self.env.flush_all()  # the conflicts of the writes show here
                return result
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
                if attempt == tries:
                    raise
                _logger.info("%s: %s, run again", self._name, type(error).__name__)
                self.env.cr.rollback()
                self.env.reset()
                time.sleep(random.uniform(0, 2**attempt))

    @api.model
    def _cron_deadlines(self, batch_size=1000):
        """Scheduled action: one bounded batch of open cases a run, the oldest
        synchronised first; the cron framework runs it again while some remain."""
        return self._cron_retrying(lambda: self._sweep_deadlines(batch_size))

    @api.model
    def _sweep_deadlines(self, batch_size):
        cases = self.search([("state", "in", ACTIVE_STATES)], order="id")
        cursor = int(
            self.env["ir.config_parameter"].sudo().get_param("family_assistant.deadline_cursor", 0)
        )
        batch = cases.filtered(lambda c: c.id > cursor)[:batch_size]
        batch._run_isolated(lambda part: part._sync_deadlines(), "deadlines")
        remaining = len(cases.filtered(lambda c: c.id > batch[-1].id)) if batch else 0
        self.env["ir.config_parameter"].sudo().set_param(
            "family_assistant.deadline_cursor", batch[-1].id if remaining else 0
        )
        # escalations too come a bounded batch a run
        escalated = self._escalate_overdue(limit=batch_size)
        self.env["ir.cron"]._notify_progress(
            done=len(batch) + escalated, remaining=remaining or int(escalated == batch_size)
        )
