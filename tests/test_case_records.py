from datetime import date, datetime, timedelta

import psycopg2
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FamilyAssistantCase


@tagged("post_install", "-at_install")
class TestCaseRecords(FamilyAssistantCase):
    """Visits, plans and their versions, assessments, monthly reports and changes
    in the family's situation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Visit = cls.env["assist.visit"]

    def _visit(self, case, user=None, **vals):
        return self.Visit.with_user(user or case.assistant_id).create(
            {"assignment_id": case.id, "duration": 1.0, **vals}
        )

    # ------------------------------------------------------------ visits (annexes 8, 11)
    def test_a_new_record_has_no_false_in_its_name(self):
        """A new visit or request to the head, before its case is chosen, is named
        by its kind (the breadcrumb showed "False – Home visit")."""
        visit = self.Visit.new({"kind": "phone"})
        self.assertEqual(visit.display_name, "Phone call")
        request = self.env["assist.head.request"].new({"kind": "end_monitoring"})
        self.assertNotIn("False", request.display_name)
        self.assertTrue(request.display_name)

    def test_visit_logged_by_assistant(self):
        case = self._diagnosis_case()
        visit = self._visit(
            case,
            kind="institution",
            place="institution",
            institution="Poradnia Psychologiczno-Pedagogiczna",
            area_ids=[Command.link(self.env.ref("family_assistant.support_area_school").id)],
            actions_taken="Umówienie konsultacji.",
        )
        self.assertEqual(visit.family_id, case.family_id)
        self.assertEqual(visit.user_id, self.assistant)
        self.assertFalse(visit.is_monitoring)
        self.assertEqual(case.visit_count, 1)

    def test_visit_dates_and_durations(self):
        case = self._diagnosis_case()
        now = fields.Datetime.now()
        bad = {
            "przed rozpoczęciem pracy": {"start": now - timedelta(days=3)},
            "z przyszłości": {"start": now + timedelta(days=2)},
            "Czas trwania": {"duration": 0},
        }
        for pattern, vals in bad.items():
            with self.subTest(pattern=pattern), self.assertRefused(ValidationError, pattern):
                self._visit(case, **vals)
        for duration in (-1, 12.5, 100):
            with (
                self.subTest(duration=duration),
                self.assertRefused(ValidationError, "Czas trwania"),
            ):
                self._visit(case, duration=duration)
        self.assertFalse(case.visit_ids)

    def test_visit_after_closure_refused(self):
        case = self._cooperation_case()
        self._decide(self._head_request(case, kind="end_support", end_reason="moved_out"))
        with self.assertRefused(UserError, "zamknięta"):
            self._visit(case)

    def test_visits_only_by_the_case_assistant(self):
        case = self._diagnosis_case()
        with self.assertRaises(AccessError):
            self._visit(case, user=self.assistant2)
        with self.assertRaises(AccessError):
            self._visit(case, user=self.worker)
        with self.assertRaises(AccessError):
            self._visit(case, user=self.head)
        self.assertFalse(case.visit_ids)
        visit = self._visit(case)
        self.assertFalse(self.Visit.with_user(self.assistant2).search([("id", "=", visit.id)]))
        self.assertEqual(self.Visit.with_user(self.worker).search([("id", "=", visit.id)]), visit)
        self.assertEqual(self.Visit.with_user(self.head).search([("id", "=", visit.id)]), visit)

    def test_visit_calendar_view(self):
        view = self.env.ref("family_assistant.assist_visit_view_calendar")
        self.assertEqual(view.type, "calendar")
        arch = self.Visit.with_user(self.assistant).get_views([(view.id, "calendar")])
        self.assertIn("start", arch["views"]["calendar"]["arch"])

    # ------------------------------------------------------------ plan (annex 6, 7)
    def test_plan_versions(self):
        case = self._cooperation_case()
        first = case.active_plan_id
        action = first.with_user(self.assistant).action_new_version()
        second = self.env["assist.plan"].browse(action["res_id"])
        self.assertEqual(second.version, 2)
        self.assertEqual(second.state, "draft")
        self.assertEqual(second.goal_ids.mapped("name"), first.goal_ids.mapped("name"))
        self.assertNotEqual(second.goal_ids, first.goal_ids)
        second.goal_ids.with_user(self.assistant).write({"name": "Dzieci codziennie w szkole"})
        with self.assertRefused(UserError, "skonsultowany"):
            second.with_user(self.assistant).action_activate()
        second.with_user(self.worker).action_confirm_consultation()
        second.with_user(self.assistant).write({"family_agreed_date": fields.Date.today()})
        second.with_user(self.assistant).action_activate()
        self.assertEqual(first.state, "superseded")
        self.assertEqual(case.active_plan_id, second)

        assistant_first = first.with_user(self.assistant)
        with self.assertRefused(UserError, "nowszą"):
            assistant_first.write({"family_agreed_date": fields.Date.today()})
        with self.assertRefused(UserError, "nowszą"):
            assistant_first.goal_ids.write({"name": "Zmiana wstecz"})
        with self.assertRefused(UserError, "nowszą"):
            assistant_first.goal_ids.action_ids.write({"done": True})
        with self.assertRefused(UserError, "nowszą"):
            self.env["assist.plan.action"].with_user(self.assistant).create(
                {"goal_id": first.goal_ids.id, "name": "x", "expected_effect": "y"}
            )
        with self.assertRefused(UserError, "nowszą"):
            assistant_first.goal_ids.unlink()
        self.assertEqual(first.goal_ids.name, "Regularna obecność dzieci w szkole")

    def test_plan_written_by_the_assistant_only(self):
        case = self._diagnosis_case()
        with self.assertRaises(AccessError):
            self.env["assist.plan"].with_user(self.worker).create({"assignment_id": case.id})
        with self.assertRaises(AccessError):
            self.env["assist.plan"].with_user(self.assistant2).create({"assignment_id": case.id})
        plan = self.env["assist.plan"].with_user(self.assistant).create({"assignment_id": case.id})
        with self.assertRaises(AccessError):
            plan.with_user(self.assistant2).action_confirm_consultation()
        with self.assertRefused(UserError, "co najmniej jeden cel"):
            plan.with_user(self.assistant).action_activate()

    def test_periodic_assessment_opens_new_plan_version(self):
        case = self._cooperation_case()
        today = fields.Date.today()
        assessment = (
            self.env["assist.assessment"]
            .with_user(self.assistant)
            .create(
                {
                    "assignment_id": case.id,
                    "kind": "periodic",
                    "period_start": case.cooperation_start_date,
                    "period_end": today,
                    "work_done": "Wizyty co tydzień.",
                    "recommendation": "continue",
                    "line_ids": [
                        Command.create(
                            {
                                "area_id": self.env.ref(
                                    "family_assistant.support_area_household"
                                ).id,
                                "resource_level": "at_risk",
                            }
                        )
                    ],
                }
            )
        )
        assessment.action_done()
        self.assertEqual(assessment.plan_id.version, 2)
        self.assertEqual(assessment.plan_id.assessment_id, assessment)
        self.assertEqual(assessment.plan_id.state, "draft")
        with self.assertRefused(UserError, "bez zmian"):
            assessment.with_user(self.assistant).write({"effects": "Dopisane później"})

    def test_periodic_assessment_needs_period(self):
        case = self._cooperation_case()
        assessment = (
            self.env["assist.assessment"]
            .with_user(self.assistant)
            .create({"assignment_id": case.id, "kind": "periodic"})
        )
        with self.assertRefused(UserError, "okres"):
            assessment.action_done()
        with self.assertRefused(ValidationError, "kończy się, zanim"):
            assessment.write(
                {
                    "period_start": fields.Date.today(),
                    "period_end": fields.Date.today() - timedelta(1),
                }
            )

    # ------------------------------------------------------------ monthly report (annex 14)
    @freeze_time(f"{date.today()} 15:00:00")
    def test_monthly_report_from_the_months_visits(self):
        case = self._cooperation_case()
        today = fields.Date.today()
        first_day = today.replace(day=1)
        # the case started today: visits this month only (and not later than now)
        start = datetime.combine(today, datetime.min.time()).replace(hour=10)
        self._visit(case, start=start, duration=1.5)
        self._visit(
            case,
            start=start.replace(hour=12),
            duration=0.5,
            kind="institution",
            institution="Sąd Rejonowy",
        )
        report = (
            self.env["assist.monthly.report"]
            .with_user(self.assistant)
            .create({"assignment_id": case.id, "month": today})
        )
        self.assertEqual(report.month, first_day)
        self.assertEqual(report.visit_count, 2)
        self.assertEqual(report.hours, 2.0)
        self.assertIn("Sąd Rejonowy", report.institution_contacts)
        report.action_submit()
        self.assertEqual(report.state, "submitted")
        with self.assertRefused(UserError, "bez zmian"):
            report.write({"assessment": "Zmiana po złożeniu"})

    def test_monthly_report_once_per_month(self):
        case = self._cooperation_case()
        reports = self.env["assist.monthly.report"].with_user(self.assistant)
        reports.create({"assignment_id": case.id, "month": fields.Date.today()})
        with self.assertRefused(ValidationError, "jest już raport miesięczny"):
            reports.create({"assignment_id": case.id, "month": fields.Date.today().replace(day=2)})
        with self.assertRefused(ValidationError, "przyszły miesiąc"):
            reports.create(
                {"assignment_id": case.id, "month": fields.Date.today() + relativedelta(months=1)}
            )
        # two transactions at once do not see each other's report: the database keeps
        # the second out (here the row written past the ORM, as the other one would be)
        self.env.flush_all()
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                """INSERT INTO assist_monthly_report (assignment_id, month, company_id, state)
                   SELECT assignment_id, month, company_id, state FROM assist_monthly_report
                    WHERE assignment_id = %s""",
                [case.id],
            )

    # ------------------------------------------------------------ point 12
    def test_situation_change_seven_days(self):
        case = self._cooperation_case()
        change = (
            self.env["assist.situation.change"]
            .with_user(self.assistant)
            .create(
                {"assignment_id": case.id, "kind": "work", "description": "Ojciec podjął pracę."}
            )
        )
        self.assertEqual(change.deadline, change.date_learned + timedelta(days=7))
        with self.assertRaises(AccessError):
            change.with_user(self.worker).action_assistant_told()
        change.action_assistant_told()
        self.assertEqual(change.state, "assistant_told")
        self.assertEqual(change.worker_told_date, fields.Date.today())
        self.assertIn(self.worker.partner_id, case.message_ids.partner_ids)
        with self.assertRefused(UserError, "już wie"):
            change.action_family_told()

    def test_situation_change_learned_in_future_refused(self):
        case = self._cooperation_case()
        with self.assertRefused(ValidationError, "z przyszłości"):
            self.env["assist.situation.change"].with_user(self.assistant).create(
                {
                    "assignment_id": case.id,
                    "description": "x",
                    "date_learned": fields.Date.today() + timedelta(days=1),
                }
            )
