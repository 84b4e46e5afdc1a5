from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import FamilyAssistantCase


@tagged("post_install", "-at_install")
class TestDeadlines(FamilyAssistantCase):
    """The deadlines of DESIGN §3 become activities for the right person on the
    right day, close themselves when the step is done, escalate once, respect
    working days and holidays, and a cron run twice creates nothing new."""

    def _deadline(self, case, code):
        return case.activity_ids.filtered(lambda a: a.assist_rule_id.code == code)

    @freeze_time("2026-11-02 10:00:00")
    def test_handover_three_days_for_the_worker_then_closes(self):
        case = self._approved_case()
        handover = self._deadline(case, "handover")
        self.assertEqual(handover.user_id, self.worker)
        self.assertEqual(handover.date_deadline, date(2026, 11, 5))
        self._handover(case)
        self.assertFalse(
            self._deadline(case, "handover"), "closed when the documents are handed over"
        )
        start = self._deadline(case, "start_work")
        self.assertEqual(start.user_id, self.assistant)
        self.assertEqual(start.date_deadline, date(2026, 11, 12), "10 days after the documents")

    @freeze_time("2026-11-02 10:00:00")
    def test_court_order_five_days(self):
        case = self._approved_case(**self._court_vals(date(2026, 10, 30)))
        self.assertEqual(self._deadline(case, "start_work_court").date_deadline, date(2026, 11, 4))

    @freeze_time("2026-11-02 10:00:00")
    def test_visit_deadline_moves_with_each_visit(self):
        case = self._diagnosis_case()
        visit = self._deadline(case, "visit")
        self.assertEqual(visit.date_deadline, date(2026, 11, 9))
        with freeze_time("2026-11-05 12:00:00"):
            self.env["assist.visit"].with_user(self.assistant).create(
                {"assignment_id": case.id, "duration": 1.0}
            )
        self.assertEqual(self._deadline(case, "visit").date_deadline, date(2026, 11, 12))
        self.assertEqual(len(self._deadline(case, "visit")), 1)

    def test_working_days_skip_weekends_and_polish_holidays(self):
        rule = self.env.ref("family_assistant.deadline_rule_handover")
        rule.write({"day_type": "working", "days": 3})
        # Thursday 2026-11-05 + 3 working days: Fri 6, Mon 9, Tue 10 (Nov 11 is a holiday)
        self.assertEqual(rule._due_date(date(2026, 11, 5)), date(2026, 11, 10))
        # Tuesday 2026-11-10 + 1: Wednesday 11 is Independence Day -> Thursday 12
        rule.days = 1
        self.assertEqual(rule._due_date(date(2026, 11, 10)), date(2026, 11, 12))
        # 2026-12-23 + 1: 24 (Christmas Eve, a holiday since 2025), 25, 26 -> Monday 28
        self.assertEqual(rule._due_date(date(2026, 12, 23)), date(2026, 12, 28))

    def test_cron_twice_creates_nothing_new_and_escalates_once(self):
        with freeze_time("2026-11-02 10:00:00"):
            case = self._approved_case()
        with freeze_time("2026-11-20 10:00:00"):
            Assignment = self.env["assist.assignment"]
            for _run in range(2):
                Assignment._cron_deadlines()
            handover = self._deadline(case, "handover")
            self.assertEqual(len(handover), 1)
            escalation = self.env["mail.activity"].search(
                [("assist_escalation_of_id", "=", handover.id)]
            )
            self.assertEqual(len(escalation), 1, "escalated once, not every day")
            self.assertTrue(escalation.user_id.has_group("family_assistant.group_head"))
            self.assertIn(case.company_id, escalation.user_id.company_ids)
            self.assertTrue(handover.assist_escalated)
            self._handover(case)
            self.assertFalse(escalation.exists(), "the escalation goes with the deadline")

    @freeze_time("2026-12-01 06:00:00")
    def test_monthly_report_drafts_on_the_first(self):
        with freeze_time("2026-11-02 10:00:00"):
            case = self._cooperation_case()
        with freeze_time("2026-11-10 10:00:00"):
            self.env["assist.visit"].with_user(self.assistant).create(
                {"assignment_id": case.id, "duration": 1.5}
            )
        with freeze_time("2026-11-17 10:00:00"):
            self.env["assist.visit"].with_user(self.assistant).create(
                {
                    "assignment_id": case.id,
                    "duration": 2.0,
                    "kind": "institution",
                    "institution": "Szkoła",
                }
            )
        Assignment = self.env["assist.assignment"]
        self.env["assist.monthly.report"]._cron_monthly_reports()
        self.env["assist.monthly.report"]._cron_monthly_reports()
        reports = self.env["assist.monthly.report"].search([("assignment_id", "=", case.id)])
        self.assertEqual(len(reports), 1, "a second run creates nothing")
        self.assertEqual(reports.month, date(2026, 11, 1))
        self.assertEqual(reports.state, "draft")
        self.assertEqual(reports.visit_count, 2)
        self.assertEqual(reports.hours, 3.5)
        self.assertIn("Szkoła", reports.institution_contacts)
        Assignment._cron_deadlines()
        report_deadline = self._deadline(case, "monthly_report")
        self.assertEqual(report_deadline.date_deadline, date(2026, 12, 5))
        reports.with_user(self.assistant).action_submit()
        self.assertFalse(self._deadline(case, "monthly_report"))

    def test_a_case_whose_data_fails_is_logged_and_skipped(self):
        """One case with an impossible date (as an import may load it, past the
        checks of the forms) does not stop the deadlines of the others."""
        good = self._cooperation_case()
        bad = self._cooperation_case(family=self._fresh_family())
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE assist_assignment SET cooperation_start_date = '9999-12-20' WHERE id = %s",
            [bad.id],
        )
        self.env.invalidate_all()
        deadlines = self.env["mail.activity"].search(
            [("res_model", "=", "assist.assignment"), ("res_id", "in", (good | bad).ids)]
        )
        deadlines.unlink()
        self.env["ir.config_parameter"].set_param("family_assistant.deadline_cursor", 0)
        logger = "odoo.addons.family_assistant.models.assist_deadline_mixin"
        with self.assertLogs(logger, "WARNING") as logs:
            self.env["assist.assignment"]._cron_deadlines()
        self.assertEqual(len(logs.output), 1, logs.output)
        self.assertIn(f"deadlines of case {bad.name} skipped", logs.output[0])
        self.assertTrue(self._deadline(good, "visit"), "the other cases got their deadlines")
        self.assertFalse(self._deadline(bad, "visit"))
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("family_assistant.deadline_cursor"),
            "0",
            "the sweep went through to the end",
        )

    def test_cron_queries_do_not_grow_with_cases(self):
        def queries_of_one_run(cases_count):
            for _i in range(cases_count):
                self._cooperation_case(family=self._fresh_family())
            self.env["ir.config_parameter"].set_param("family_assistant.deadline_cursor", 0)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["assist.assignment"]._cron_deadlines()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        self.company.assist_max_families = 15
        small = queries_of_one_run(2)
        large = queries_of_one_run(8)
        self.assertLessEqual(large, small + 5, f"{small} queries for 2 cases, {large} for 10")

    def test_situation_change_deadline(self):
        case = self._cooperation_case()
        change = (
            self.env["assist.situation.change"]
            .with_user(self.assistant)
            .create({"assignment_id": case.id, "kind": "work", "description": "Praca"})
        )
        deadline = self._deadline(case, "situation_change")
        self.assertEqual(deadline.date_deadline, change.deadline)
        change.action_family_told()
        self.assertFalse(self._deadline(case, "situation_change"))

    @freeze_time("2026-11-02 10:00:00")
    def test_diagnosis_assessment_and_end_deadlines(self):
        case = self._diagnosis_case()
        self.assertEqual(self._deadline(case, "diagnosis_plan").date_deadline, date(2026, 12, 2))
        case = self._cooperation_case(family=self._fresh_family())
        self.assertEqual(self._deadline(case, "assessment").date_deadline, date(2027, 5, 3))
        end = self._deadline(case, "cooperation_end")
        self.assertEqual(end.date_deadline, date(2028, 11, 2))
        self.assertTrue(end.user_id.has_group("family_assistant.group_head"))
        case = self._monitoring_case(family=self._fresh_family())
        self.assertFalse(self._deadline(case, "assessment"), "closed with cooperation")
        self.assertEqual(self._deadline(case, "monitoring_end").date_deadline, date(2027, 2, 2))

    def test_head_adapts_the_common_rules_for_their_own_ops(self):
        """A common rule is every OPS's: the head of one OPS does not change it for
        the others, but adapts it for their own, which their cases then follow."""
        common = self.env.ref("family_assistant.deadline_rule_visit")
        ops_b = self.env["res.company"].create({"name": "OPS Drugi"})
        with self.assertRefused(AccessError, "(?i)ograniczeń|dostępu"):
            common.with_user(self.head).write({"days": 30})
        with self.assertRefused(AccessError, "(?i)ograniczeń|dostępu"):
            self.env["assist.deadline.rule"].with_user(self.head).create(
                {
                    "name": "Cudza",
                    "code": "visit",
                    "days": 1,
                    "responsible": "assistant",
                    "company_id": ops_b.id,
                }
            )
        with self.assertRaises(AccessError):
            common.with_user(self.assistant).action_adapt()
        common.with_user(self.head).action_adapt()
        common.with_user(self.head).action_adapt()  # once
        own = self.env["assist.deadline.rule"].search(
            [("code", "=", "visit"), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(own), 1)
        own.with_user(self.head).write({"days": 14})
        with self.assertRefused(ValidationError, "od 0 do 366"):
            own.with_user(self.head).write({"days": -5})
        self.assertEqual(common.days, 7)
        rules = self.env["assist.deadline.rule"]._rules_by_company(self.company | ops_b)
        self.assertEqual(rules[self.company.id, "visit"], own)
        self.assertEqual(rules[ops_b.id, "visit"], common)
