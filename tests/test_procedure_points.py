"""The procedure and the act, point by point (issue 12): each test quotes what it
checks and acts as the role the procedure names. Items 2 and 3 (consent and
re-inclusion) are in tests/test_procedure.py with the stages they change."""

import base64
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import FamilyAssistantCase


@tagged("post_install", "-at_install")
class TestProcedurePoints(FamilyAssistantCase):
    def _deadline(self, case, code):
        return case.activity_ids.filtered(lambda a: a.assist_rule_id.code == code)

    def _html(self, xmlid, record, data=None):
        """The text of the annex, in Polish, from its HTML (the PDF's source)."""
        report = self.env.ref(xmlid)
        html, _kind = (
            self.env["ir.actions.report"]
            .with_context(lang="pl_PL")
            ._render_qweb_html(report, record.ids, data=data)
        )
        return " ".join(html2plaintext(html.decode()).split())

    # ---------------------------------------------------------- 1. monitoring 2-6 months
    @freeze_time("2026-06-01 10:00:00")
    def test_monitoring_ends_after_two_months_or_with_the_heads_reason(self):
        """Point 10.3: "monitoruje funkcjonowanie rodziny przez okres od 2 do 6 miesięcy"."""
        case = self._monitoring_case()
        limit = self._deadline(case, "monitoring_limit")
        self.assertTrue(
            limit.user_id.has_group("family_assistant.group_head"),
            "the end of the 6 months is the head's",
        )
        self.assertEqual(limit.date_deadline, date(2026, 6, 1) + timedelta(days=183))
        request = self._head_request(case, kind="end_monitoring", results="Radzi sobie.")
        with self.assertRefused(ValidationError, "co najmniej 2 miesiące"):
            self._decide(request)
        self.assertEqual(case.state, "monitoring")
        self._decide(request, note="Rodzina wyprowadza się za granicę.")
        self.assertEqual(case.state, "closed")

    def test_monitoring_ends_without_reason_after_two_months(self):
        with freeze_time("2026-03-02 10:00:00"):
            case = self._monitoring_case()
        with freeze_time("2026-05-03 10:00:00"):
            self._decide(self._head_request(case, kind="end_monitoring", results="Radzi sobie."))
            self.assertEqual(case.state, "closed")

    def test_reinclusion_any_time_in_monitoring(self):
        """Annex 13 may come at any time of the monitoring."""
        case = self._monitoring_case()
        request = self._head_request(case, kind="reinclusion", reasons="Nawrót problemów.")
        self._decide(request)
        self.assertEqual(case.state, "closed")

    # ---------------------------------------------------------- 4. weekly visits
    @freeze_time("2026-11-02 10:00:00")
    def test_only_meetings_with_the_family_count_as_weekly_visits(self):
        """Point 8: "Wizyty odbywają się minimum 1–2 razy w tygodniu"."""
        case = self._diagnosis_case()
        self.assertEqual(self._deadline(case, "visit").date_deadline, date(2026, 11, 9))
        visits = self.env["assist.visit"].with_user(self.assistant)
        with freeze_time("2026-11-04 12:00:00"):
            for kind, place in (
                ("phone", "other"),
                ("institution", "institution"),
                ("escort", "other"),
            ):
                visits.create(
                    {"assignment_id": case.id, "duration": 0.5, "kind": kind, "place": place}
                )
        self.assertEqual(
            self._deadline(case, "visit").date_deadline,
            date(2026, 11, 9),
            "calls, escorts and contacts with institutions do not count",
        )
        with freeze_time("2026-11-05 12:00:00"):
            meeting = visits.create(
                {"assignment_id": case.id, "duration": 1.0, "kind": "meeting", "place": "plan"}
            )
        self.assertTrue(meeting.counts_as_visit, "a place following from the work plan")
        self.assertEqual(self._deadline(case, "visit").date_deadline, date(2026, 11, 12))

    @freeze_time("2026-11-02 10:00:00")
    def test_an_ops_may_ask_for_two_visits_a_week(self):
        case = self._diagnosis_case()
        rule = self.env.ref("family_assistant.deadline_rule_visit").with_user(self.head)
        rule.action_adapt()
        own = rule.search([("code", "=", "visit"), ("company_id", "=", self.company.id)])
        own.with_user(self.head).write({"visits_required": 2})
        visits = self.env["assist.visit"].with_user(self.assistant)
        for day in (3, 5):
            with freeze_time(f"2026-11-0{day} 12:00:00"):
                visits.create({"assignment_id": case.id, "duration": 1.0})
        # two meetings in 7 days: the next is due 7 days after the older of the two
        self.assertEqual(self._deadline(case, "visit").date_deadline, date(2026, 11, 10))
        with self.assertRefused(ValidationError, "od 1 do 7"):
            own.with_user(self.head).write({"visits_required": 0})

    # ---------------------------------------------------------- 5. the plan follows
    def test_a_change_in_the_situation_updates_the_plan(self):
        """Point 10.1: the plan changes "za każdym razem, kiedy doszło do zmiany
        sytuacji w rodzinie"; point 12's 7 days come from the rule."""
        case = self._cooperation_case()
        changes = self.env["assist.situation.change"].with_user(self.assistant)
        change = changes.create(
            {"assignment_id": case.id, "description": "Ojciec stracił pracę.", "affects_plan": True}
        )
        draft = case.plan_ids.filtered(lambda p: p.state == "draft")
        self.assertEqual(draft.previous_plan_id, case.active_plan_id)
        update = self._deadline(case, "plan_update")
        self.assertEqual(update.user_id, self.assistant)
        self.assertEqual(update.date_deadline, draft.date + timedelta(days=14))
        self.assertEqual(change.deadline, change.date_learned + timedelta(days=7))
        # the OPS's own rule gives the days
        rule = self.env.ref("family_assistant.deadline_rule_situation_change").with_user(self.head)
        rule.action_adapt()
        rule.search(
            [("code", "=", "situation_change"), ("company_id", "=", self.company.id)]
        ).with_user(self.head).write({"days": 10})
        other = changes.create({"assignment_id": case.id, "description": "Narodziny dziecka."})
        self.assertEqual(other.deadline, other.date_learned + timedelta(days=10))
        # the new version in force closes the deadline
        draft.with_user(self.worker).action_confirm_consultation()
        draft.with_user(self.assistant).write({"family_agreed_date": fields.Date.today()})
        draft.with_user(self.assistant).action_activate()
        self.assertFalse(self._deadline(case, "plan_update"))

    # ---------------------------------------------------------- 6. the handover clock
    @freeze_time("2026-11-10 10:00:00")
    def test_handover_runs_from_the_approval_of_the_plan_of_help(self):
        """Point 3: "Po zatwierdzeniu planu pomocy przez kierownika OPS … w ciągu 3 dni"."""
        with freeze_time("2026-11-06 10:00:00"):
            request = self._submitted_request(self._fresh_family())
        wizard = (
            self.env["assist.assignment.approve"]
            .with_user(self.head)
            .create(
                {
                    "assignment_id": request.id,
                    "assistant_id": self.assistant.id,
                    "help_plan_date": date(2026, 11, 9),
                    "note": "Pilne: dzieci bez opieki po południu.",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(request.help_plan_date, date(2026, 11, 9))
        self.assertEqual(request.decision_note, "Pilne: dzieci bez opieki po południu.")
        self.assertEqual(self._deadline(request, "handover").date_deadline, date(2026, 11, 12))
        handovers = self.env["assist.document.handover"].with_user(self.worker)
        with self.assertRefused(ValidationError, "brakuje"):
            handovers.create(
                {
                    "assignment_id": request.id,
                    "complete": False,
                    "line_ids": [(0, 0, {"name": "Wywiad środowiskowy"})],
                }
            )
        handover = handovers.create(
            {
                "assignment_id": request.id,
                "complete": False,
                "missing_documents": "Opinia szkoły — w drodze.",
                "line_ids": [(0, 0, {"name": "Wywiad środowiskowy"})],
            }
        )
        self.assertEqual(handover.assistant_id, self.assistant)
        html = self._html("family_assistant.action_report_annex_01", request)
        self.assertIn("Pilne: dzieci bez opieki po południu.", html)
        self.assertIn("09.11.2026", html)

    def test_plan_of_help_not_approved_in_the_future(self):
        request = self._submitted_request(self._fresh_family())
        with self.assertRefused(ValidationError, "planu pomocy|Plan pomocy"):
            request.with_user(self.head)._approve(
                self.assistant, help_plan_date=fields.Date.today() + timedelta(days=3)
            )
        self.assertEqual(request.state, "submitted")

    # ---------------------------------------------------------- 7. assessment every 6 months
    @freeze_time("2026-11-02 10:00:00")
    def test_periodic_assessment_counts_from_the_start_of_work(self):
        """Point 11: "nie rzadziej niż co 6 miesięcy": from the first meeting."""
        case = self._diagnosis_case()
        assessment = self._deadline(case, "assessment")
        self.assertEqual(assessment.date_deadline, case.work_start_date + timedelta(days=182))
        with freeze_time("2026-11-20 10:00:00"):
            self._active_plan(case)
            assistant_case = case.with_user(self.assistant)
            assistant_case.action_complete_info_card()
            self.env["assist.assessment"].with_user(self.assistant).create(
                {"assignment_id": case.id, "kind": "initial"}
            ).action_done()
            assistant_case.action_start_cooperation()
        self.assertEqual(
            self._deadline(case, "assessment").date_deadline,
            date(2026, 11, 2) + timedelta(days=182),
            "not from the start of cooperation",
        )

    # ---------------------------------------------------------- 8. statutory duties
    def test_visits_record_the_statutory_duties_they_served(self):
        """Art. 15 ust. 1: each visit or action says which duties it served; the work
        log and the monthly report show them."""
        duties = self.env["assist.statutory.duty"].search([])
        self.assertEqual(len(duties), 19)
        self.assertEqual(
            self.env.ref("family_assistant.statutory_duty_intervention").article,
            "art. 15 ust. 1 pkt 12",
        )
        case = self._cooperation_case()
        visits = self.env["assist.visit"].with_user(self.assistant)
        household = self.env.ref("family_assistant.statutory_duty_household")
        intervention = self.env.ref("family_assistant.statutory_duty_intervention")
        visits.create(
            {"assignment_id": case.id, "duration": 1.0, "duty_ids": [(6, 0, household.ids)]}
        )
        letter = visits.create(
            {
                "assignment_id": case.id,
                "duration": 0.5,
                "kind": "intervention",
                "place": "institution",
                "institution": "Komenda Powiatowa Policji",
                "duty_ids": [(6, 0, (household | intervention).ids)],
            }
        )
        self.assertFalse(letter.counts_as_visit)
        html = self._html("family_assistant.action_report_annex_08", case)
        self.assertIn("pkt 3, 12", html)
        self.assertIn("Podejmowanie działań interwencyjnych", html)
        self.assertIn("Komenda Powiatowa Policji", html)
        report = (
            self.env["assist.monthly.report"]
            .with_user(self.assistant)
            .create({"assignment_id": case.id, "month": fields.Date.today()})
        )
        html = self._html("family_assistant.action_report_annex_14", report)
        self.assertIn("Miesięczny raport z pracy z rodziną i na jej rzecz", html)
        self.assertIn("Udzielanie pomocy rodzinom w poprawie ich sytuacji życiowej", html)
        # the list is the act's: only the administrator changes it
        with self.assertRaises(AccessError):
            household.with_user(self.head).write({"name": "Inne"})

    # ---------------------------------------------------------- 9. end reasons of point 14
    def test_end_reasons_are_the_procedures(self):
        case = self._cooperation_case()
        requests = self.env["assist.head.request"].with_user(self.assistant)
        with self.assertRefused(ValidationError, "pkt 14"):
            requests.create(
                {"assignment_id": case.id, "kind": "end_support", "end_reason": "other"}
            )
        other = self._head_request(
            case, kind="end_support", end_reason="other", reasons="Śmierć jedynego rodzica."
        )
        with self.assertRefused(ValidationError, "uzasadnieniem kierownika"):
            self._decide(other)
        self._decide(other, note="Dzieci umieszczone u krewnych.")
        self.assertEqual(case.state, "monitoring")

    def test_resignation_is_a_written_statement(self):
        case = self._cooperation_case()
        resignation = (
            self.env["assist.head.request"]
            .with_user(self.assistant)
            .create({"assignment_id": case.id, "kind": "end_support", "end_reason": "resignation"})
        )
        with self.assertRefused(UserError, "pisemne oświadczenie"):
            resignation.action_submit()
        resignation.write(
            {
                "resignation_date": fields.Date.today(),
                "resignation_document": base64.b64encode(b"%PDF-1.4 skan"),
                "resignation_filename": "rezygnacja.pdf",
            }
        )
        resignation.action_submit()
        self._decide(resignation)
        self.assertEqual(case.monitoring_by, "worker")
        self.assertFalse(case.monitoring_months)
        self.assertIn("pkt 14", self._html("family_assistant.action_report_annex_10", resignation))

    # ---------------------------------------------------------- 10. "Za życiem"
    def test_za_zyciem_eligibility_and_its_document(self):
        requests = self.env["assist.assignment"].with_user(self.worker)
        base = self._request_vals(
            self._fresh_family(), basis="za_zyciem", grounds=False, interview_date=False
        )
        with self.assertRefused(ValidationError, "Za życiem"):
            requests.create(base)
        request = requests.create(
            {
                **base,
                "za_zyciem_category": "pregnant",
                "expected_birth_date": fields.Date.today() + relativedelta(months=4),
            }
        )
        self.assertFalse(request.interview_required)
        self.env["assist.assignment"].browse(request.id).with_user(self.worker).action_submit()
        self._approve(request, self.assistant)
        self._handover(request)
        self._first_meeting(request)
        request.with_user(self.assistant).write(
            {
                "support_catalogue": "Jednorazowe świadczenie 4000 zł.",
                "authorisation_given": True,
                "authorisation_date": fields.Date.today(),
                "authorisation_scope": "Sprawy w ZUS.",
            }
        )
        html = self._html("family_assistant.action_report_annex_04", request)
        for expected in (
            "Za życiem",
            "Kobieta w ciąży i jej rodzina",
            "Jednorazowe świadczenie 4000 zł.",
            "Sprawy w ZUS.",
        ):
            with self.subTest(expected=expected):
                self.assertIn(expected, html)

    # ---------------------------------------------------------- 11. the annexes
    def test_annexes_as_the_procedure_words_them(self):
        case = self._cooperation_case()
        family = case.family_id
        family.write({"housing": "Dwa pokoje, wilgoć w łazience."})
        mother = family.member_ids[:1]
        mother.write({"parental_authority": "limited", "court_measures": "Nadzór kuratora."})
        html = self._html("family_assistant.action_report_annex_04", case)
        for expected in ("Dwa pokoje, wilgoć w łazience.", "Ograniczona", "Nadzór kuratora."):
            with self.subTest(annex=4, expected=expected):
                self.assertIn(expected, html)
        consent = case.consent_ids
        self.assertEqual(consent.present_worker_id, self.worker)
        self.assertIn(
            self.worker.name, self._html("family_assistant.action_report_annex_03", consent)
        )
        # annex 10: the months the head approved
        request = self._head_request(
            case, kind="end_support", end_reason="goals_achieved", monitoring_months=4
        )
        self._decide(request, monitoring_months=5)
        self.assertEqual(request.approved_months, 5)
        html = self._html("family_assistant.action_report_annex_10", request)
        self.assertIn("Wniosek o zakończenie objęcia rodziny wsparciem asystenta rodziny", html)
        self.assertIn("Zatwierdzony monitoring (miesiące) 5", html)
        # annex 15: approved by the head
        periodic = (
            self.env["assist.assessment"]
            .with_user(self.assistant)
            .create(
                {
                    "assignment_id": case.id,
                    "kind": "periodic",
                    "period_start": case.cooperation_start_date,
                    "period_end": fields.Date.today(),
                }
            )
        )
        periodic.action_done()
        with self.assertRaises(AccessError):
            periodic.with_user(self.assistant).action_approve()
        periodic.with_user(self.head).action_approve()
        self.assertEqual(periodic.approved_by_id, self.head)
        html = self._html("family_assistant.action_report_annex_15", periodic)
        self.assertIn(self.head.name, html)
        with self.assertRefused(UserError, "już zatwierdzona"):
            periodic.with_user(self.head).action_approve()

    # ---------------------------------------------------------- the demo
    def test_the_demo_shows_the_procedure(self):
        refused = self.env.ref("family_assistant.assignment_wisniewscy")
        self.assertEqual((refused.state, refused.consent_state), ("handover", "refused"))
        self.assertEqual(len(refused.court_letter_ids), 1)
        again = self.env.ref("family_assistant.assignment_wojcikowie_again")
        self.assertEqual(again.previous_assignment_id.state, "closed")
        self.assertEqual((again.basis, again.state), ("reinclusion", "submitted"))
        self.assertTrue(again.interview_date)
        self.assertEqual(
            again.proposed_assistant_id, self.env.ref("family_assistant.user_asystent")
        )
        self.assertEqual(
            self.env.ref("family_assistant.assignment_zielinscy").za_zyciem_category, "pregnant"
        )
        kowalscy = self.env.ref("family_assistant.assignment_kowalscy")
        self.assertTrue(kowalscy.visit_ids.duty_ids)
        self.assertTrue(kowalscy.visit_ids.filtered(lambda v: not v.counts_as_visit))
