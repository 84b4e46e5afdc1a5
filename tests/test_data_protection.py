import json
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PESEL_CHILD, PESEL_MOTHER, FamilyAssistantCase


@tagged("post_install", "-at_install")
class TestDataProtection(FamilyAssistantCase):
    """Need to know by every path, the audit log, retention, anonymisation and the
    export for a data subject's access request."""

    def _closed_case(self):
        case = self._cooperation_case()
        self.env["assist.visit"].with_user(self.assistant).create(
            {"assignment_id": case.id, "duration": 2.0, "actions_taken": "Rozmowa o piciu ojca."}
        )
        self.env["assist.note"].with_user(self.assistant).create(
            {"assignment_id": case.id, "name": "Policja", "body": "Interwencja policji u rodziny."}
        )
        self._decide(self._head_request(case, kind="end_support", end_reason="moved_out"))
        return case

    # ---------------------------------------------------------- need to know
    def test_assistant_cannot_read_another_assistants_family_by_any_path(self):
        case = self._cooperation_case()
        family = case.family_id
        member = self.env["assist.family.member"].create(
            {"family_id": family.id, "name": "Joanna Kowalska", "pesel": PESEL_MOTHER}
        )
        family.message_post(body="Notatka o rodzinie")
        attachment = self.env["ir.attachment"].create(
            {
                "name": "wywiad.txt",
                "raw": b"wywiad",
                "res_model": "assist.family",
                "res_id": family.id,
            }
        )
        other = self.assistant2
        Family = self.env["assist.family"].with_user(other)
        self.assertFalse(Family.search([("id", "=", family.id)]))
        self.assertFalse(Family.name_search("Kowal"))
        self.assertFalse(Family.read_group([], ["name"], ["name"]))
        self.assertFalse(
            self.env["assist.family.member"].with_user(other).search([("pesel", "=", PESEL_MOTHER)])
        )
        with self.assertRaises(AccessError):
            family.with_user(other).read(["name"])
        with self.assertRaises(AccessError):
            member.with_user(other).read(["pesel"])
        with self.assertRaises(AccessError):
            case.with_user(other).read(["family_id"])
        # through related fields of records the other assistant could reach
        with self.assertRaises(AccessError):
            case.active_plan_id.with_user(other).read(["family_id"])
        # chatter and attachments of the family
        messages = (
            self.env["mail.message"]
            .with_user(other)
            .search([("model", "=", "assist.family"), ("res_id", "=", family.id)])
        )
        self.assertFalse(messages)
        with self.assertRaises(AccessError):
            attachment.with_user(other).read(["raw"])
        self.assertFalse(
            self.env["ir.attachment"]
            .with_user(other)
            .search([("res_model", "=", "assist.family"), ("res_id", "=", family.id)])
        )
        # and the assistant of the family does read it
        self.assertEqual(family.with_user(self.assistant).name, family.name)

    # ---------------------------------------------------------- audit log
    def test_audit_log_records_reads_and_writes(self):
        family = self.family
        family.with_user(self.worker).read(["name", "city"])
        family.with_user(self.worker).write({"city": "Zbąszyń"})
        logs = self.env["auditlog.log"].search(
            [
                ("model_id.model", "=", "assist.family"),
                ("res_id", "=", family.id),
                ("user_id", "=", self.worker.id),
            ]
        )
        self.assertIn("read", logs.mapped("method"))
        self.assertIn("write", logs.mapped("method"))
        head_logs = self.env["auditlog.log"].with_user(self.head).search([("id", "in", logs.ids)])
        self.assertEqual(head_logs, logs)
        for user in (self.worker, self.assistant):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["auditlog.log"].with_user(user).search([])
        # what the head's menu shows: its own views, no technical model needed
        action = self.env.ref("family_assistant.auditlog_log_action")
        head_log = self.env["auditlog.log"].with_user(self.head)
        head_log.get_views([(view.view_id.id, view.view_mode) for view in action.view_ids])
        rows = head_log.web_search_read(
            [("model_model", "=like", "assist.%"), ("id", "in", logs.ids)],
            {
                "name": {},
                "model_name": {},
                "method": {},
                "user_id": {"fields": {"display_name": {}}},
            },
        )
        self.assertEqual(rows["length"], len(logs))
        self.assertTrue(
            head_log.browse(logs[:1].id).web_read(
                {"line_ids": {"fields": {"field_description": {}, "new_value_text": {}}}}
            )
        )
        with self.assertRaises(AccessError):
            head_logs[:1].write({"name": "x"})
        with self.assertRaises(AccessError):
            head_logs[:1].unlink()
        with self.assertRaises(AccessError):
            self.env["auditlog.log"].with_user(self.admin_user()).browse(logs[:1].id).unlink()

    def admin_user(self):
        return self.env.ref("base.user_admin")

    # ---------------------------------------------------------- retention
    def test_retention_cron_flags_once(self):
        case = self._closed_case()
        open_case = self._approved_case(self.family2)
        self.company.assist_retention_years = 1
        case.sudo().closed_date = fields.Date.today() - timedelta(days=400)
        self.assertIn(case.family_id, self.env["assist.family"]._retention_due())
        self.assertNotIn(open_case.family_id, self.env["assist.family"]._retention_due())
        activity_type = self.env.ref("family_assistant.mail_activity_type_retention")
        counts = []
        for _run in range(2):
            self.env["assist.family"]._cron_retention()
            todo = case.family_id.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )
            self.assertIn(self.head, todo.user_id)
            self.assertEqual(len(todo), len(todo.user_id), "one to-do for each head")
            counts.append(len(todo))
        self.assertEqual(counts[0], counts[1], "a second run adds nothing")
        self.assertFalse(
            open_case.family_id.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        )

    def test_retention_not_due_before_its_time(self):
        case = self._closed_case()
        self.company.assist_retention_years = 10
        self.assertNotIn(case.family_id, self.env["assist.family"]._retention_due())

    # ---------------------------------------------------------- anonymisation
    def test_anonymisation_keeps_statistics_and_removes_personal_data(self):
        case = self._closed_case()
        family = case.family_id
        family.write({"street": "ul. Długa 5", "phone": "600100200"})
        member = family.member_ids[:1]
        member.write({"pesel": PESEL_MOTHER, "school": "SP 1"})
        case.message_post(body="PESEL 88031212344 w treści wiadomości")
        self.env["ir.attachment"].create(
            {"name": "wyrok.pdf", "raw": b"x", "res_model": "assist.assignment", "res_id": case.id}
        )
        visits_before = case.visit_count
        stats = (
            case.state,
            case.end_reason,
            case.closed_date,
            case.basis,
            case.cooperation_start_date,
        )

        wizard = (
            self.env["assist.family.anonymise"]
            .with_user(self.head)
            .create({"family_id": family.id})
        )
        with self.assertRefused(UserError, "nie można cofnąć"):
            wizard.action_confirm()
        self.assertFalse(family.anonymised)
        wizard.confirm = True
        wizard.action_confirm()

        self.assertTrue(family.anonymised)
        self.assertNotIn("Kowal", family.name)
        self.assertFalse(family.street or family.phone or family.city)
        self.assertFalse(member.pesel or member.birth_date or member.school)
        self.assertNotIn("Kowalska", member.name)
        self.assertFalse(case.justification)
        visit = case.visit_ids
        self.assertFalse(visit.actions_taken)
        self.assertEqual(case.note_count, 1)
        self.assertEqual(
            self.env["assist.note"].search([("assignment_id", "=", case.id)]).body, "—"
        )
        self.assertEqual(case.visit_count, visits_before)
        self.assertEqual(visit.duration, 2.0)
        self.assertEqual(
            (
                case.state,
                case.end_reason,
                case.closed_date,
                case.basis,
                case.cooperation_start_date,
            ),
            stats,
        )
        messages = self.env["mail.message"].search(
            [("model", "=", "assist.assignment"), ("res_id", "=", case.id)]
        )
        self.assertNotIn("88031212344", " ".join(str(m.body) for m in messages))
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "assist.assignment"), ("res_id", "=", case.id)]
            )
        )
        log_lines = (
            self.env["auditlog.log"]
            .search([("model_id.model", "=", "assist.family.member"), ("res_id", "=", member.id)])
            .line_ids
        )
        self.assertNotIn(PESEL_MOTHER, " ".join(filter(None, log_lines.mapped("new_value_text"))))
        with self.assertRefused(UserError, "już zanonimizowana"):
            family.with_user(self.head)._anonymise_family()

    def test_anonymisation_refused_to_others_and_to_open_cases(self):
        case = self._closed_case()
        for user in (self.worker, self.assistant):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                case.family_id.with_user(user).action_open_anonymise_wizard()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["assist.family.anonymise"].with_user(user).create(
                    {"family_id": case.family_id.id, "confirm": True}
                )
        open_case = self._approved_case(self.family2)
        with self.assertRefused(UserError, "nie jest zamknięta"):
            open_case.family_id.with_user(self.head)._anonymise_family()
        self.assertFalse(open_case.family_id.anonymised)

    # ---------------------------------------------------------- subject access
    def test_export_of_personal_data(self):
        """Art. 15: the person's data and the case facts that concern them, complete;
        the other members only by their role (art. 15 ust. 4); the head only."""
        case = self._closed_case()
        member = case.family_id.member_ids[:1]
        member.pesel = PESEL_MOTHER
        child = self.env["assist.family.member"].create(
            {"family_id": case.family_id.id, "name": "Zuzia Kowalska", "pesel": PESEL_CHILD}
        )
        case.message_post(body="Rozmowa z matką.")
        data = member.with_user(self.head)._export_personal_data()
        self.assertEqual(data["person"][0]["pesel"], PESEL_MOTHER)
        self.assertEqual(data["family"][0]["name"], case.family_id.name)
        self.assertEqual(len(data["assist.visit"]), 1)
        self.assertEqual(data["assist.visit"][0]["actions_taken"], "Rozmowa o piciu ojca.")
        self.assertEqual(data["assignments"][0]["name"], case.name)
        # complete: the lines of the records, the case file's messages, the audit log
        self.assertTrue(data["assist.plan.goal"])
        self.assertTrue(data["assist.plan.action"])
        self.assertTrue(data["assist.assessment.line"] is not None)
        self.assertTrue(data["assist.document.handover.line"])
        self.assertIn("Rozmowa z matką.", " ".join(m["body"] for m in data["messages"]))
        self.assertTrue(data["audit_log"])
        self.assertIn("issued_documents", data)
        # not the other people's data
        dump = json.dumps(data, default=str)
        self.assertNotIn(PESEL_CHILD, dump)
        self.assertNotIn("Zuzia", dump)
        self.assertIn({"role": "child", "in_foster_care": False}, data["other_members"])
        self.assertTrue(child.exists())
        # registered in the audit log; nothing stored
        self.assertTrue(
            self.env["auditlog.log"].search(
                [("method", "=", "export_personal_data"), ("res_id", "=", member.id)]
            )
        )
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "assist.family.member"), ("res_id", "=", member.id)]
            )
        )
        action = member.with_user(self.head).action_export_personal_data()
        self.assertEqual(action["url"], f"/family_assistant/personal_data/{member.id}")
        for user in (self.worker, self.assistant):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                member.with_user(user).action_export_personal_data()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                member.with_user(user)._export_personal_data()

    def test_second_family_member_line_command(self):
        # members added through the family form stay within the family's access
        self.family.with_user(self.worker).write(
            {"member_ids": [Command.create({"name": "Jan Kowalski", "role": "child"})]}
        )
        with self.assertRaises(AccessError):
            self.family.member_ids.with_user(self.worker2).read(["name"])
