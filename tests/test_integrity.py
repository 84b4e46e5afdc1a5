"""What a logged-in user with the RPC API tried (issue 10), each as a test: the
role that attempted it calls the public API (`with_user`, `create`/`write` with
a context, `message_post`, `onchange`), expects a refusal in Polish, and checks
that the database did not change."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import PESEL_CHILD, PESEL_MOTHER, FamilyAssistantCase


@tagged("post_install", "-at_install")
class TestIntegrity(FamilyAssistantCase):
    # ---------------------------------------------------------- 1. context defaults
    def test_context_defaults_do_not_decide(self):
        requests = (
            self.env["assist.assignment"]
            .with_user(self.worker)
            .with_context(
                default_state="cooperation",
                default_assistant_id=self.assistant.id,
                default_decision_user_id=self.head.id,
                default_caseload_weight=0,
            )
        )
        request = requests.create(self._request_vals(self.family))
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.assistant_id)
        self.assertFalse(request.decision_user_id)
        self.assertEqual(request.caseload_weight, 1)
        self.assertFalse(request.can_decide)
        # the same through the form's defaults (onchange): nothing of the head's
        values = requests.onchange({}, [], {"state": {}, "assistant_id": {}})["value"]
        self.assertNotEqual(values.get("state"), "cooperation")
        self.assertFalse(values.get("assistant_id"))

        case = self._cooperation_case(family=self._fresh_family())
        head_request = (
            self.env["assist.head.request"]
            .with_user(self.assistant)
            .with_context(default_state="rejected", default_decision_user_id=self.head.id)
            .create({"assignment_id": case.id, "kind": "end_support", "end_reason": "moved_out"})
        )
        self.assertEqual(head_request.state, "draft")
        self.assertFalse(head_request.decision_user_id)

    def test_personal_defaults_do_not_decide(self):
        """A user's own `ir.default` (Settings > Technical > User-defined defaults,
        or `ir.default.set` over RPC) is a default too."""
        self.env["ir.default"].with_user(self.worker).set(
            "assist.assignment", "state", "approved", user_id=True
        )
        request = self._make_request()
        self.assertEqual(request.state, "draft")

    # ---------------------------------------------------------- 2. server-set fields
    def test_forged_decision_of_the_head_refused(self):
        case = self._cooperation_case()
        requests = self.env["assist.head.request"].with_user(self.assistant)
        with self.assertRefused(AccessError, "ustawia system"):
            requests.create(
                {
                    "assignment_id": case.id,
                    "kind": "end_support",
                    "end_reason": "goals_achieved",
                    "state": "approved",
                    "decision_user_id": self.head.id,
                    "decision_note": "Zgoda.",
                }
            )
        self.assertFalse(case.head_request_ids)
        draft = requests.create(
            {"assignment_id": case.id, "kind": "end_support", "end_reason": "goals_achieved"}
        )
        for vals in ({"state": "approved"}, {"decision_note": "Zgoda."}):
            with self.subTest(vals=vals), self.assertRefused(AccessError, "ustawia system"):
                draft.write(vals)
        self.assertEqual(draft.state, "draft")
        self.assertFalse(draft.decision_note)

    def test_court_letter_sent_only_by_the_head(self):
        case = self._cooperation_case()
        letters = self.env["assist.court.letter"].with_user(self.assistant)
        report = letters.create({"assignment_id": case.id, "subject": "Sprawozdanie"})
        with self.assertRefused(AccessError, "ustawia system"):
            report.write({"state": "sent", "sent_date": fields.Date.today()})
        with self.assertRefused(AccessError, "kierownik"):
            letters.create(
                {"assignment_id": case.id, "subject": "Zawiadomienie", "kind": "notification"}
            )
        with self.assertRefused(AccessError, "kierownik"):
            report.write({"kind": "notification"})
        notification = case._create_court_notification("Brak współpracy")
        with self.assertRaises(AccessError):
            notification.with_user(self.assistant).action_mark_sent()
        self.assertEqual(notification.state, "draft")
        self.assertEqual(report.kind, "report")
        # once sent, the letter is kept as it was
        notification.with_user(self.head).action_mark_sent()
        with self.assertRefused(UserError, "bez zmian"):
            notification.with_user(self.head).write({"body": "Zmiana po wysłaniu"})

    def test_confirmed_consent_kept(self):
        case = self._approved_case()
        self._handover(case)
        consent = self._first_meeting(case)
        other = self.env["assist.family.member"].create(
            {"family_id": case.family_id.id, "name": "Ktoś Inny", "role": "father"}
        )
        signed = consent.member_ids
        for vals in (
            {"decision": "refused"},
            {"member_ids": [Command.link(other.id)]},
            {"date": fields.Date.today() - timedelta(days=1)},
        ):
            with self.subTest(vals=vals), self.assertRefused(UserError, "bez zmian"):
                consent.with_user(self.assistant).write(vals)
        self.assertEqual(consent.decision, "given")
        self.assertEqual(consent.member_ids, signed)

    def test_workflow_records_not_created_decided(self):
        case = self._cooperation_case()
        as_assistant = self.env(user=self.assistant)
        attempts = {
            "assist.plan": {"state": "active", "worker_consulted_date": fields.Date.today()},
            "assist.monthly.report": {"state": "submitted"},
            "assist.assessment": {"state": "done", "kind": "initial"},
            "assist.visit": {"user_id": self.head.id, "duration": 1.0},
            "assist.note": {"author_id": self.worker.id, "name": "N", "body": "B"},
            "assist.situation.change": {"state": "family_told", "description": "Zmiana"},
        }
        for model, vals in attempts.items():
            Model = as_assistant[model]
            before = Model.search_count([("assignment_id", "=", case.id)])
            with self.subTest(model=model), self.assertRefused(AccessError, "ustawia system"):
                Model.create({"assignment_id": case.id, **vals})
            self.assertEqual(Model.search_count([("assignment_id", "=", case.id)]), before)
        change = as_assistant["assist.situation.change"].create(
            {"assignment_id": case.id, "description": "Zmiana pracy"}
        )
        with self.assertRefused(AccessError, "ustawia system"):
            change.write({"state": "family_told"})
        self.assertEqual(change.state, "waiting")

    def test_caseload_weight_not_written(self):
        case = self._cooperation_case()
        with self.assertRefused(AccessError, "ustawia system"):
            case.with_user(self.worker).write({"caseload_weight": 0})
        with self.assertRefused(AccessError, "ustawia system"):
            case.with_user(self.head).write({"caseload_weight": 0})
        self.assertEqual(case.caseload_weight, 1)

    def test_messages_in_ones_own_name(self):
        case = self._cooperation_case()
        count = len(case.message_ids)
        head_partner = self.head.partner_id.id
        for kwargs in (
            {"author_id": head_partner},
            {"email_from": "kierownik@ops.example"},
            {"date": datetime(2020, 1, 1)},
        ):
            with self.subTest(kwargs=kwargs), self.assertRefused(AccessError, "własnym imieniu"):
                case.with_user(self.assistant).message_post(body="Zatwierdzam.", **kwargs)
        with self.assertRefused(AccessError, "własnym imieniu"):
            self.env["mail.message"].with_user(self.assistant).create(
                {
                    "model": "assist.assignment",
                    "res_id": case.id,
                    "body": "Zatwierdzam.",
                    "author_id": head_partner,
                    "message_type": "comment",
                }
            )
        self.env.invalidate_all()
        self.assertEqual(len(case.message_ids), count)
        message = case.with_user(self.assistant).message_post(body="Wizyta odbyta.")
        self.assertEqual(message.author_id, self.assistant.partner_id)

    # ---------------------------------------------------------- 3. who changes a family
    def test_assistant_keeps_the_contact_data_only(self):
        case = self._cooperation_case()
        family = case.family_id.with_user(self.assistant)
        family.write({"street": "ul. Nowa 1", "phone": "600 100 200"})
        other_ops = self.env["res.company"].create({"name": "OPS Inny"})
        for vals in (
            {"worker_id": self.assistant.id},
            {"company_id": other_ops.id},
            {"anonymised": True},
            {"active": False},
            {"difficulty": "normal"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError) as caught:
                family.write(vals)
            self.assertRegex(
                str(caught.exception), "nie należy do Ciebie|ustawia system|nadaje się"
            )
        with self.assertRaises(AccessError):
            family.action_archive()
        self.env.invalidate_all()
        self.assertEqual(case.family_id.worker_id, self.worker)
        self.assertEqual(case.family_id.company_id, self.company)
        self.assertTrue(case.family_id.active)
        self.assertFalse(case.family_id.anonymised)
        # nor can the worker move the family to another OPS afterwards
        with self.assertRefused(AccessError, "nadaje się"):
            case.family_id.with_user(self.worker).write({"company_id": other_ops.id})

    def test_member_not_moved_to_another_family(self):
        member = self.env["assist.family.member"].create(
            {"family_id": self.family.id, "name": "Jan Kowalski"}
        )
        other = self._make_family("Inni", self.worker)
        with self.assertRefused(AccessError, "nadaje się"):
            member.with_user(self.worker).write({"family_id": other.id})
        self.assertEqual(member.family_id, self.family)

    # ---------------------------------------------------------- 4. lines and locks
    def test_lines_of_a_superseded_plan_kept(self):
        case = self._cooperation_case()
        first = case.active_plan_id
        second = self.env["assist.plan"].browse(
            first.with_user(self.assistant).action_new_version()["res_id"]
        )
        second.with_user(self.worker).action_confirm_consultation()
        second.with_user(self.assistant).write({"family_agreed_date": fields.Date.today()})
        second.with_user(self.assistant).action_activate()
        goal_new = second.goal_ids.with_user(self.assistant)
        # nothing moves into the superseded plan, nothing leaves it
        with self.assertRefused(AccessError, "nadaje się"):
            goal_new.write({"plan_id": first.id})
        with self.assertRefused(AccessError, "nadaje się"):
            goal_new.action_ids.write({"goal_id": first.goal_ids.id})
        with self.assertRefused(UserError, "nowszą"):
            first.with_user(self.assistant).write(
                {"goal_ids": [Command.create({"name": "Wstecz"})]}
            )
        self.assertEqual(len(first.goal_ids), 1)
        self.assertEqual(goal_new.plan_id, second)

    def test_lines_of_done_and_closed_records_kept(self):
        case = self._cooperation_case()
        as_assistant = self.env(user=self.assistant)
        # a completed assessment keeps its areas
        diagnosis = case.assessment_ids.filtered(lambda a: a.kind == "initial")
        area = self.env.ref("family_assistant.support_area_household")
        with self.assertRefused(UserError, "bez zmian"):
            as_assistant["assist.assessment.line"].create(
                {"assessment_id": diagnosis.id, "area_id": area.id}
            )
        # a handover once done keeps its documents
        handover = case.handover_ids.with_user(case.worker_id)
        with self.assertRefused(UserError, "bez zmian"):
            handover.line_ids[:1].write({"name": "Inny dokument"})
        with self.assertRefused(UserError, "bez zmian"):
            handover.line_ids[:1].unlink()
        # a closed case keeps its meetings and their participants, and the family
        meeting = as_assistant["assist.meeting"].create(
            {"assignment_id": case.id, "participant_ids": [Command.create({"name": "Jan"})]}
        )
        self._decide(self._head_request(case, kind="end_support", end_reason="moved_out"))
        self.assertEqual(case.state, "closed")
        with self.assertRefused(UserError, "zamknięta"):
            meeting.participant_ids.write({"present": False})
        with self.assertRefused(UserError, "zamknięta"):
            meeting.participant_ids.unlink()
        member = case.family_id.member_ids[:1]
        with self.assertRefused(UserError, "zamknięta"):
            member.with_user(self.worker).write({"name": "Ktoś"})
        with self.assertRefused(UserError, "zamknięta"):
            case.family_id.with_user(self.worker).write({"city": "Gdzie indziej"})
        self.assertTrue(meeting.participant_ids.present)
        # a new request for the family opens its data again
        self._make_request(case.family_id)
        member.with_user(self.worker).write({"occupation": "kierowca"})
        self.assertEqual(member.occupation, "kierowca")

    def test_member_of_a_case_history_archived_not_deleted(self):
        case = self._diagnosis_case()
        member = case.family_id.member_ids[:1].with_user(self.worker)
        with self.assertRefused(UserError, "zarchiwizuj"):
            member.unlink()
        member.action_archive()
        self.assertFalse(member.active)
        # a member entered by mistake on a new request can be deleted
        draft_member = (
            self.env["assist.family.member"]
            .with_user(self.worker2)
            .create({"family_id": self.family2.id, "name": "Pomyłka"})
        )
        draft_member.with_user(self.worker2).unlink()
        self.assertFalse(draft_member.exists())

    def test_line_changes_are_audited(self):
        case = self._cooperation_case()
        goal = case.active_plan_id.goal_ids.with_user(self.assistant)
        goal.write({"progress": "Dzieci chodzą do szkoły."})
        self.env.flush_all()
        logs = self.env["auditlog.log"].search(
            [
                ("model_model", "=", "assist.plan.goal"),
                ("res_id", "=", goal.id),
                ("method", "=", "write"),
            ]
        )
        self.assertEqual(logs.user_id, self.assistant)
        self.assertIn("progress", logs.line_ids.mapped("field_name"))

    # ---------------------------------------------------------- 5. forms keep what is typed
    @freeze_time(f"{date.today()} 15:00:00")
    def test_monthly_report_keeps_typed_text_and_follows_the_visits(self):
        case = self._cooperation_case()
        visits = self.env["assist.visit"].with_user(self.assistant)
        start = datetime.combine(date.today(), datetime.min.time()).replace(hour=9)
        visits.create(
            {
                "assignment_id": case.id,
                "start": start,
                "duration": 1.0,
                "kind": "institution",
                "institution": "Szkoła",
            }
        )
        form = Form(self.env["assist.monthly.report"].with_user(self.assistant))
        form.assignment_id = case
        self.assertEqual(form.month, date.today().replace(day=1), "the month the case started")
        self.assertEqual(form.visit_count, 1, "the month's figures before saving")
        self.assertIn("Szkoła", form.institution_contacts)
        form.institution_contacts = "Szkoła: rozmowa z pedagogiem."
        report = form.save()
        self.assertNotIn("False", report.name)
        self.assertIn(case.name, report.name)
        # a visit logged after the report was made counts before it is submitted
        visits.create({"assignment_id": case.id, "start": start.replace(hour=11), "duration": 2.0})
        self.assertEqual(report.visit_count, 2)
        self.assertEqual(report.hours, 3.0)
        report.action_submit()
        self.assertEqual(report.institution_contacts, "Szkoła: rozmowa z pedagogiem.")
        # once submitted, the figures are kept as they were
        visits.create({"assignment_id": case.id, "start": start.replace(hour=13), "duration": 1.0})
        self.assertEqual(report.visit_count, 2)
        # a report made without a case yet is titled by its month, not "False, ..."
        self.assertNotIn(
            "False", Form(self.env["assist.monthly.report"].with_user(self.assistant)).name
        )

    def test_issue_wizard_offers_every_annex_of_the_case(self):
        case = self._cooperation_case()
        action = case.with_user(self.assistant).action_open_issue_wizard()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.assistant).with_context(action["context"])
        )
        annexes = sorted(report.assist_annex for report in wizard.report_ids)
        self.assertEqual(annexes, [1, 4, 8, 9])

    def test_failed_confirms_write_nothing(self):
        case = self._approved_case()
        with self.assertRefused(ValidationError, "Wypisz dokumenty"):
            self.env["assist.document.handover"].with_user(self.worker).create(
                {"assignment_id": case.id}
            )
        self.assertFalse(case.handover_ids)
        self._handover(case)
        consents = self.env["assist.consent"].with_user(self.assistant)
        with self.assertRefused(ValidationError, "obecności pracownika"):
            consents.create({"assignment_id": case.id, "worker_present": False})
        with self.assertRefused(ValidationError, "Wybierz dorosłych"):
            consents.create({"assignment_id": case.id, "decision": "given"})
        self.assertFalse(case.consent_ids)
        # and one first meeting per case
        self._first_meeting(case)
        with self.assertRefused(UserError, "na tym etapie"):
            consents.create({"assignment_id": case.id, "decision": "refused"})

    # ---------------------------------------------------------- 6. bad input
    def test_bad_input_refused_in_polish(self):
        case = self._cooperation_case()
        members = self.env["assist.family.member"].with_user(self.worker)
        family = self.family2.id
        members = members.with_user(self.worker2)
        bad_members = {
            "11 cyfr": {"pesel": PESEL_MOTHER + "1"},
            "za wczesna": {"birth_date": "1800-01-01"},
            "za wczesna ": {"birth_date": date(1, 1, 1)},
            "nie jest poprawną wartością": {"birth_date": "2026-13-45"},
            "nie jest poprawną wartością ": {"role": "cousin"},
            "znak": {"name": "Jan\x00Kowalski"},
        }
        for pattern, vals in bad_members.items():
            with self.subTest(vals=vals), self.assertRefused(ValidationError, pattern.strip()):
                members.create({"family_id": family, "name": "Jan Kowalski", **vals})
        self.assertFalse(self.family2.member_ids)
        members.create({"family_id": family, "name": "Anna", "pesel": PESEL_MOTHER})
        with self.assertRefused(ValidationError, "już wpisany"):
            members.create({"family_id": family, "name": "Anna 2", "pesel": PESEL_MOTHER})
        self.assertEqual(len(self.family2.member_ids), 1)

        with self.assertRefused(ValidationError, "za długie"):
            self.family.with_user(self.worker).write({"street": "x" * 1_000_000})
        far = date(2999, 1, 1)
        as_assistant = self.env(user=self.assistant)
        dated = {
            ("assist.note", "date"): {"name": "N", "body": "B", "date": far},
            ("assist.court.letter", "date"): {"subject": "S", "date": far},
            ("assist.monthly.report", "month"): {"month": date(1900, 1, 1)},
            ("assist.note", "body"): {"name": "N", "body": "x" * 5_000_000},
        }
        for (model, _field), vals in dated.items():
            with self.subTest(model=model, vals=list(vals)), self.assertRaises(ValidationError):
                as_assistant[model].create({"assignment_id": case.id, **vals})
        self.assertFalse(self.env["assist.note"].search([("assignment_id", "=", case.id)]))
        with self.assertRefused(ValidationError, "z przyszłości"):
            self._make_request(self.family2, request_date=far)
        with self.assertRefused(ValidationError, "od 2 do 6"):
            as_assistant["assist.head.request"].create(
                {
                    "assignment_id": case.id,
                    "kind": "reinclusion",
                    "reasons": "R",
                    "monitoring_months": -5,
                }
            )
        with self.assertRefused(ValidationError, "z przyszłości"):
            as_assistant["assist.visit"].create(
                {
                    "assignment_id": case.id,
                    "duration": 1.0,
                    "start": fields.Datetime.now() + timedelta(hours=2),
                }
            )
        with self.assertRefused(ValidationError, "nie jest poprawną wartością"):
            as_assistant["assist.visit"].create(
                {"assignment_id": case.id, "duration": 1.0, "kind": "teleport"}
            )
        self.assertFalse(case.visit_ids)

    def test_pesel_and_birth_date_stay_consistent(self):
        member = (
            self.env["assist.family.member"]
            .with_user(self.worker)
            .create({"family_id": self.family.id, "name": "Zosia", "pesel": PESEL_CHILD})
        )
        self.assertEqual(member.birth_date, date(2012, 5, 20))
        self.assertEqual(len(member.pesel), 11)

    # ---------------------------------------------------------- the views follow the guards
    def test_buttons_follow_the_guards(self):
        request = self._make_request()
        self.assertTrue(request.with_user(self.worker).can_submit)
        self.assertTrue(request.with_user(self.worker).can_edit_request)
        self.assertFalse(request.with_user(self.head).can_decide, "a draft is not decided")
        request.with_user(self.worker).action_submit()
        self.assertTrue(request.with_user(self.head).can_decide)
        self.assertFalse(request.with_user(self.worker).can_decide)
        self._approve(request, self.assistant)
        self.assertTrue(request.with_user(self.worker).can_hand_over)
        self.assertFalse(request.with_user(self.worker).can_edit_request)
        self.assertFalse(request.with_user(self.assistant).can_hand_over)
        self.assertTrue(request.with_user(self.assistant).can_edit_support)
        with self.assertRefused(UserError, "nie można go edytować"):
            request.with_user(self.worker).write({"justification": "Po decyzji"})
