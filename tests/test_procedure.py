from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import FamilyAssistantCase


@tagged("post_install", "-at_install")
class TestProcedure(FamilyAssistantCase):
    """The procedure from the head's approval to closure, step by step, each step
    by the role that performs it and refused to the others."""

    def test_full_case_from_request_to_closure(self):
        # Each step is its own transaction in real use: _flush_tracking() between
        # them writes the tracking of the stage changes as a commit would.
        case = self._approved_case()
        self.assertIn("3", case.next_step)
        self._flush_tracking()

        handover = self._handover(case)
        self._flush_tracking()
        self.assertEqual(case.state, "handover")
        self.assertEqual(case.documents_date, handover.date)

        self._first_meeting(case)
        self.assertEqual(case.state, "diagnosis")
        self.assertEqual(case.consent_state, "given")
        self.assertEqual(case.work_start_date, fields.Date.today())

        assistant_case = case.with_user(self.assistant)
        assistant_case.action_complete_info_card()
        diagnosis = (
            self.env["assist.assessment"]
            .with_user(self.assistant)
            .create({"assignment_id": case.id, "kind": "initial", "problems": "Zaległości."})
        )
        diagnosis.action_done()
        plan = self._active_plan(case)
        assistant_case.action_start_cooperation()
        self._flush_tracking()
        self.assertEqual(case.state, "cooperation")
        self.assertEqual(case.active_plan_id, plan)
        self.assertEqual(
            case.cooperation_end_date,
            fields.Date.today().replace(year=fields.Date.today().year + 2),
        )

        self.env["assist.visit"].with_user(self.assistant).create(
            {"assignment_id": case.id, "duration": 1.5, "actions_taken": "Rozmowa o budżecie."}
        )
        end = self._head_request(
            case, kind="end_support", end_reason="goals_achieved", monitoring_months=2
        )
        self._decide(end)
        self._flush_tracking()
        self.assertEqual(case.state, "monitoring")
        self.assertEqual(case.monitoring_by, "assistant")
        self.assertEqual(case.end_reason, "goals_achieved")
        self.assertEqual(end.decision_user_id, self.head)

        visit = (
            self.env["assist.visit"]
            .with_user(self.assistant)
            .create({"assignment_id": case.id, "duration": 1})
        )
        self.assertTrue(visit.is_monitoring)

        self._decide(
            self._head_request(case, kind="end_monitoring", results="Rodzina radzi sobie."),
            note="Rodzina w pełni samodzielna, kontakt zbędny.",
        )
        self.assertEqual(case.state, "closed")
        self.assertEqual(case.closed_date, fields.Date.today())
        self.assertFalse(case.court_letter_ids, "goals achieved: nothing for the court")
        self.assertEqual(self.assistant.assist_caseload, 0)

        self._flush_tracking()
        head_case = case.with_user(self.head).with_context(lang="pl_PL")
        kinds = [event[1] for event in head_case._chronology_events()]
        for expected in (
            "Wniosek",
            "Dokumenty przekazane",
            "Pierwsze spotkanie",
            "Wizyta domowa",
            "Etap",
            "Wniosek do kierownika",
        ):
            self.assertIn(expected, kinds)
        stages = [event[2] for event in head_case._chronology_events() if event[1] == "Etap"]
        self.assertIn("Współpraca → Monitoring", " ".join(stages))
        dates = [event[0] for event in case._chronology_events()]
        self.assertEqual(dates, sorted(dates))
        self.assertIn("Kowalscy", case.family_id.name)
        self.assertIn("<table", str(case.with_user(self.worker).chronology_html))

    def test_case_comes_back_after_monitoring(self):
        case = self._monitoring_case()
        request = self._head_request(case, kind="reinclusion", reasons="Nawrót problemów.")
        self._decide(request)
        self.assertEqual(case.state, "closed")
        new = self.env["assist.assignment"].search([("previous_assignment_id", "=", case.id)])
        # point 10.3: a new procedure, from point 1: the worker's request
        self.assertEqual(new.state, "draft")
        self.assertFalse(new.assistant_id)
        self.assertEqual(new.proposed_assistant_id, self.assistant)
        self.assertEqual(new.basis, "reinclusion")
        self.assertEqual(new.family_id, case.family_id)
        self.assertEqual(new.worker_id, self.worker)
        self.assertIn("Nawrót problemów.", new.justification)
        self.assertTrue(new.activity_ids.filtered(lambda a: a.user_id == self.worker))
        self.assertIn(self.worker.partner_id, case.message_ids.partner_ids)
        # the worker completes it after a community interview and submits it
        with self.assertRefused(UserError, "wywiadu środowiskowego"):
            new.with_user(self.worker).action_submit()
        new.with_user(self.worker).write(
            {"interview_date": fields.Date.today(), "grounds": "care_difficulties"}
        )
        new.with_user(self.worker).action_submit()
        # the head decides, the former assistant proposed
        action = new.with_user(self.head).action_open_approve_wizard()
        self.assertEqual(action["context"]["default_assistant_id"], self.assistant.id)
        self._approve(new, self.assistant2)
        self.assertEqual(new.state, "approved")
        self.assertEqual(new.assistant_id, self.assistant2)
        self._handover(new)
        self.assertEqual(new.state, "handover")

    def test_reinclusion_needs_reasons(self):
        case = self._monitoring_case()
        with self.assertRefused(ValidationError, "Podaj przyczyny"):
            self._head_request(case, kind="reinclusion")

    # ------------------------------------------------------------ point 3
    def test_handover_by_the_worker_only(self):
        case = self._approved_case()
        for user in (self.assistant, self.worker2):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._handover(case, worker=user)
        self.assertEqual(case.state, "approved")
        with self.assertRaises(AccessError):
            case.with_user(self.assistant).action_open_handover()

    def test_handover_lists_documents(self):
        """A handover without documents is refused when saved: no half-made draft."""
        case = self._approved_case()
        with self.assertRefused(ValidationError, "Wypisz dokumenty"):
            self.env["assist.document.handover"].with_user(self.worker).create(
                {"assignment_id": case.id}
            )
        self.assertFalse(case.handover_ids)
        self.assertEqual(case.state, "approved")

    def test_handover_needs_approved_case(self):
        request = self._submitted_request()
        with self.assertRefused(UserError, "na tym etapie"):
            self.env["assist.document.handover"].with_user(self.worker).create(
                {"assignment_id": request.id}
            )

    # ------------------------------------------------------------ points 4-6
    def test_first_meeting_by_the_assistant_only(self):
        case = self._approved_case()
        self._handover(case)
        with self.assertRaises(AccessError):
            self.env["assist.consent"].with_user(self.worker).create({"assignment_id": case.id})
        with self.assertRaises(AccessError):
            self.env["assist.consent"].with_user(self.assistant2).create({"assignment_id": case.id})
        self.assertEqual(case.state, "handover")

    def test_first_meeting_needs_the_worker(self):
        case = self._approved_case()
        self._handover(case)
        with self.assertRefused(UserError, "obecności pracownika"):
            self._first_meeting(case, worker_present=False)
        self.assertEqual(case.consent_state, "none")

    def test_refusal_keeps_case_out_of_diagnosis(self):
        case = self._approved_case()
        self._handover(case)
        self._first_meeting(case, decision="refused", refusal_reason="Rodzina nie chce pomocy.")
        self.assertEqual(case.state, "handover")
        self.assertEqual(case.consent_state, "refused")
        self.assertFalse(case.court_letter_ids, "the head decides whether to inform the court")
        self.assertTrue(case.activity_ids.filtered(lambda a: a.user_id == self.head))
        # no visit, diagnosis or plan without the family's consent
        with self.assertRefused(UserError, "odmówiła"):
            self.env["assist.visit"].with_user(self.assistant).create(
                {"assignment_id": case.id, "duration": 1.0}
            )
        with self.assertRefused(UserError, "na tym etapie"):
            self.env["assist.assessment"].with_user(self.assistant).create(
                {"assignment_id": case.id, "kind": "initial"}
            )
        with self.assertRefused(UserError, "na tym etapie"):
            self.env["assist.plan"].with_user(self.assistant).create({"assignment_id": case.id})
        self.assertFalse(case.visit_ids)
        # the head informs the court, once
        case.with_user(self.head).action_notify_court()
        case.with_user(self.head).action_notify_court()
        self.assertEqual(case.court_letter_ids.kind, "notification")
        self.assertEqual(len(case.court_letter_ids), 1, "not duplicated")
        with self.assertRaises(AccessError):
            case.with_user(self.worker).action_notify_court()
        # the family consents later: a new first meeting, and the work starts
        self._first_meeting(case, decision="given")
        self.assertEqual(case.state, "diagnosis")
        self.assertEqual(case.consent_state, "given")

    def test_refused_case_closes_for_lack_of_cooperation(self):
        """Point 14: the case ends for lack of cooperation; the court is told once
        (the refusal's notification is not duplicated) and the area worker, not the
        assistant, monitors the family, until the worker ends it."""
        case = self._approved_case(**self._court_vals(fields.Date.today(), "III Nsm 9/26"))
        self._handover(case)
        self._first_meeting(case, decision="refused")
        self.assertEqual(len(case.court_letter_ids), 1)
        request = self._head_request(
            case, kind="end_support", end_reason="no_cooperation", results="Brak współpracy."
        )
        self._decide(request)
        self.assertEqual(case.state, "monitoring")
        self.assertEqual(case.monitoring_by, "worker")
        self.assertFalse(case.monitoring_end_date, "the worker's monitoring has no 2-6 months")
        self.assertEqual(len(case.court_letter_ids), 1, "the court is told once")
        self.assertEqual(self.assistant.assist_caseload, 0)
        self.assertFalse(
            case.activity_ids.filtered(lambda a: a.assist_rule_id.code == "monitoring_end")
        )
        with self.assertRaises(AccessError):
            case.with_user(self.assistant).action_end_worker_monitoring()
        self.assertTrue(case.with_user(self.worker).can_end_worker_monitoring)
        case.with_user(self.worker).action_end_worker_monitoring()
        self.assertEqual(case.state, "closed")

    def test_court_ordered_refusal_informs_court_and_waits_for_consent(self):
        case = self._approved_case(**self._court_vals(fields.Date.today(), "III Nsm 7/26"))
        self._handover(case)
        self._first_meeting(case, decision="refused")
        letter = case.court_letter_ids
        self.assertEqual(letter.kind, "notification")
        self.assertEqual(letter.state, "draft")
        self.assertEqual(letter.court_case_number, "III Nsm 7/26")
        # on the head's list
        to_send = (
            self.env["assist.court.letter"]
            .with_user(self.head)
            .search([("state", "=", "draft"), ("kind", "=", "notification")])
        )
        self.assertIn(letter, to_send)
        with self.assertRaises(AccessError):
            letter.with_user(self.assistant).action_mark_sent()
        letter.with_user(self.head).action_mark_sent()
        self.assertEqual(letter.state, "sent")
        # the court ordered the support, but the work still needs the consent
        self.assertEqual(case.state, "handover")
        self.assertFalse(case.with_user(self.assistant).can_complete_info_card)
        self._first_meeting(case, decision="given")
        self.assertEqual(case.state, "diagnosis")

    # ------------------------------------------------------------ point 10
    def test_cooperation_needs_info_card_diagnosis_and_plan(self):
        case = self._diagnosis_case()
        assistant_case = case.with_user(self.assistant)
        with self.assertRefused(UserError, "kartę informacyjną"):
            assistant_case.action_start_cooperation()
        assistant_case.action_complete_info_card()
        with self.assertRefused(UserError, "diagnozę"):
            assistant_case.action_start_cooperation()
        self.env["assist.assessment"].with_user(self.assistant).create(
            {"assignment_id": case.id, "kind": "initial"}
        ).action_done()
        with self.assertRefused(UserError, "planem pracy"):
            assistant_case.action_start_cooperation()
        self.assertEqual(case.state, "diagnosis")
        with self.assertRaises(AccessError):
            case.with_user(self.worker).action_start_cooperation()

    def test_extension_by_the_head_only(self):
        case = self._cooperation_case()
        for user in (self.worker, self.assistant):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    case.with_user(user).action_open_extend_wizard()
                with self.assertRaises(AccessError):
                    self.env["assist.assignment.extend"].with_user(user).create(
                        {"assignment_id": case.id, "reason": "x"}
                    )
        wizard = (
            self.env["assist.assignment.extend"]
            .with_user(self.head)
            .create({"assignment_id": case.id, "reason": "Powrót dzieci z pieczy w toku."})
        )
        wizard.action_confirm()
        self.assertEqual(case.cooperation_years, 3)
        self.assertEqual(case.extension_user_id, self.head)
        self.assertEqual(
            case.cooperation_end_date,
            case.cooperation_start_date.replace(year=case.cooperation_start_date.year + 3),
        )
        with self.assertRefused(UserError, "już przedłużona"):
            case.with_user(self.head)._extend("Jeszcze raz")

    def test_extension_needs_reason(self):
        case = self._cooperation_case()
        with self.assertRefused(ValidationError, "powód przedłużenia"):
            case.with_user(self.head)._extend(" ")
        self.assertEqual(case.cooperation_years, 2)

    # ------------------------------------------------------------ points 10.3 and 14
    def test_monitoring_between_two_and_six_months(self):
        case = self._cooperation_case()
        for months in (1, 7, 0):
            with self.subTest(months=months), self.assertRefused(ValidationError, "od 2 do 6"):
                self._head_request(
                    case, kind="end_support", end_reason="goals_achieved", monitoring_months=months
                )
        request = self._head_request(
            case, kind="end_support", end_reason="goals_achieved", monitoring_months=6
        )
        with self.assertRefused(ValidationError, "od 2 do 6"):
            self._decide(request, monitoring_months=8)
        self.assertEqual(case.state, "cooperation")
        self._decide(request, monitoring_months=2)
        self.assertEqual(case.monitoring_months, 2)
        self.assertEqual(
            case.monitoring_end_date, case.monitoring_start_date + relativedelta(months=2)
        )

    def test_closing_needs_a_reason(self):
        case = self._cooperation_case()
        with self.assertRefused(ValidationError, "powód zakończenia"):
            self._head_request(case, kind="end_support", end_reason=False)
        self.assertFalse(case.head_request_ids)

    def test_resignation_informs_court_and_worker_monitors(self):
        case = self._monitoring_case(end_reason="resignation")
        self.assertEqual(case.state, "monitoring")
        self.assertEqual(case.monitoring_by, "worker")
        self.assertEqual(case.court_letter_ids.kind, "notification")
        self.assertEqual(self.assistant.assist_caseload, 0, "the area worker monitors now")
        visit = (
            self.env["assist.visit"]
            .with_user(self.worker)
            .create({"assignment_id": case.id, "duration": 1, "kind": "home_visit"})
        )
        self.assertTrue(visit.is_monitoring)
        self.assertEqual(visit.user_id, self.worker)

    def test_moved_out_closes_at_once(self):
        case = self._cooperation_case()
        self._decide(self._head_request(case, kind="end_support", end_reason="moved_out"))
        self.assertEqual(case.state, "closed")
        self.assertEqual(case.end_reason, "moved_out")

    def test_head_requests_decided_by_the_head_only(self):
        case = self._cooperation_case()
        request = self._head_request(case, kind="end_support", end_reason="goals_achieved")
        for user in (self.worker, self.assistant):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["assist.head.request.decide"].with_user(user).create(
                        {"request_id": request.id}
                    )
                with self.assertRaises(AccessError):
                    request.with_user(user)._decide(True)
        with self.assertRaises(AccessError):
            self.env["assist.head.request"].with_user(self.worker).create(
                {"assignment_id": case.id, "kind": "end_support", "end_reason": "other"}
            )
        self._decide(request, approve=False, note="Za wcześnie.")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(case.state, "cooperation")
        with self.assertRefused(UserError, "nie czeka"):
            self._decide(request)
        with self.assertRefused(UserError, "bez zmian"):
            request.with_user(self.assistant).write({"results": "x"})

    def test_rejection_of_a_request_needs_a_reason(self):
        case = self._cooperation_case()
        request = self._head_request(case, kind="end_support", end_reason="goals_achieved")
        with self.assertRefused(ValidationError, "powód odrzucenia"):
            request.with_user(self.head)._decide(False, note="")

    def test_submit_head_request_twice_refused(self):
        case = self._cooperation_case()
        request = self._head_request(case, kind="end_support", end_reason="goals_achieved")
        with self.assertRefused(UserError, "już złożony"):
            request.action_submit()

    # ------------------------------------------------------------ the record itself
    def test_workflow_fields_of_the_case_not_writable(self):
        case = self._cooperation_case()
        for vals in (
            {"state": "closed"},
            {"cooperation_years": 3},
            {"monitoring_months": 1},
            {"end_reason": "other"},
        ):
            for user in (self.worker, self.head, self.assistant):
                with self.subTest(vals=vals, user=user.login), self.assertRaises(AccessError):
                    case.with_user(user).write(vals)
        self.assertEqual(case.state, "cooperation")

    def test_za_zyciem_fields_by_the_assistant(self):
        case = self._approved_case(
            basis="za_zyciem", grounds=False, interview_date=False, za_zyciem_category="pregnant"
        )
        case.with_user(self.assistant).write(
            {
                "support_catalogue": "Świadczenie „Za życiem”, wczesne wspomaganie rozwoju.",
                "authorisation_given": True,
                "authorisation_date": fields.Date.today(),
                "authorisation_scope": "Sprawy w ZUS i NFZ.",
            }
        )
        self.assertTrue(case.authorisation_given)
        with self.assertRaises(AccessError):
            case.with_user(self.assistant).write({"justification": "Zmiana"})

    def test_sensitive_text_not_in_tracking(self):
        request = self._make_request()
        self._flush_tracking()  # as if created in an earlier transaction
        request.with_user(self.worker).write(
            {"justification": "Uzależnienie ojca od alkoholu.", "request_date": date(2026, 11, 3)}
        )
        self._flush_tracking()
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.res_id", "=", request.id),
                ("mail_message_id.model", "=", "assist.assignment"),
            ]
        )
        self.assertNotIn("alkohol", " ".join(filter(None, tracked.mapped("new_value_char"))))
        self.assertNotIn("justification", tracked.field_id.mapped("name"))
        self.assertIn("request_date", tracked.field_id.mapped("name"), "tracking itself works")

    def test_case_smart_buttons_count(self):
        case = self._cooperation_case()
        self.assertEqual(case.plan_count, 1)
        self.assertEqual(case.assessment_count, 1)
        action = case.with_context(records_model="assist.plan").action_view_records()
        self.assertEqual(action["res_model"], "assist.plan")
        self.assertEqual(action["domain"], [("assignment_id", "=", case.id)])
        with self.assertRaises(UserError):
            case.with_context(records_model="res.users").action_view_records()

    def test_closed_case_records_kept(self):
        case = self._cooperation_case()
        self._decide(self._head_request(case, kind="end_support", end_reason="moved_out"))
        plan = case.active_plan_id
        with self.assertRefused(UserError, "zamknięta"):
            plan.with_user(self.assistant).write({"family_agreed_date": fields.Date.today()})
        with self.assertRefused(UserError, "zamknięta"):
            self.env["assist.note"].with_user(self.assistant).create(
                {"assignment_id": case.id, "name": "Po", "body": "x"}
            )
        with self.assertRaises(UserError):
            case.family_id.unlink()

    def test_new_assignment_needs_no_second_open_one(self):
        case = self._cooperation_case()
        with self.assertRefused(ValidationError, "ma już otwarty przydział"):
            self._make_request(case.family_id)

    def test_task_note_and_meeting(self):
        case = self._cooperation_case()
        task = (
            self.env["assist.family.task"]
            .with_user(self.assistant)
            .create({"assignment_id": case.id, "name": "Złożyć wniosek o dodatek mieszkaniowy"})
        )
        task.write({"state": "done", "result": "Złożony.", "result_date": fields.Date.today()})
        note = (
            self.env["assist.note"]
            .with_user(self.worker)
            .create({"assignment_id": case.id, "name": "Rozmowa z pedagogiem", "body": "..."})
        )
        meeting = (
            self.env["assist.meeting"]
            .with_user(self.assistant)
            .create(
                {
                    "assignment_id": case.id,
                    "place": "OPS Zbąszynek",
                    "participant_ids": [
                        Command.create(
                            {"name": "Jan Nowak", "institution": "Szkoła", "present": True}
                        ),
                        Command.create(
                            {"name": "Ewa Kot", "institution": "PCPR", "present": False}
                        ),
                    ],
                    "decisions": "Konsultacja z poradnią.",
                }
            )
        )
        self.assertEqual(len(meeting.participant_ids), 2)
        self.assertEqual(case.task_count, 1)
        self.assertEqual(case.note_count, 1)
        self.assertEqual(case.meeting_count, 1)
        self.assertEqual(note.author_id, self.worker)
        with self.assertRaises(AccessError):
            task.with_user(self.worker).write({"result": "x"})
        with self.assertRefused(ValidationError, "zaproszony"):
            self.env["assist.meeting"].with_user(self.assistant).create(
                {"assignment_id": case.id, "place": "OPS"}
            )
