"""What leaked over RPC and HTTP (issue 11), each as a test run as the role that
leaked it, against a second OPS made by the administrator where it matters."""

import os
from datetime import date

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import FamilyAssistantCase

MARKER = "ZNACZNIK7F3A9"
# valid PESEL numbers found in no demo family
PESEL_A = "79070956786"
PESEL_B = "15230412341"


@tagged("post_install", "-at_install")
class TestConfidentiality(FamilyAssistantCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ops_b = cls.env["res.company"].create({"name": "OPS Drugi"})

        def user_b(login, group):
            return new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,family_assistant.{group}",
                company_id=cls.ops_b.id,
                company_ids=[Command.set(cls.ops_b.ids)],
                lang="pl_PL",
            )

        cls.head_b = user_b("conf_head_b", "group_head")
        cls.worker_b = user_b("conf_worker_b", "group_worker")
        cls.assistant_b = user_b("conf_assistant_b", "group_assistant")

    # ---------------------------------------------------------- 1. the audit log
    def test_audit_log_stays_in_the_ops_of_its_record(self):
        family_b = (
            self.env["assist.family"]
            .with_user(self.worker_b)
            .create({"name": "Rodzina B", "worker_id": self.worker_b.id})
        )
        members = self.env["assist.family.member"]
        members.with_user(self.worker).create(
            {"family_id": self.family.id, "name": "Joanna A", "pesel": PESEL_A}
        )
        members.with_user(self.worker_b).create(
            {"family_id": family_b.id, "name": "Zuzia B", "pesel": PESEL_B}
        )
        # OdooBot (member of every OPS) changes a record of OPS A: the entry is OPS A's
        self.family.write({"city": "Zbąszynek"})
        lines_b = (
            self.env["auditlog.log.line"]
            .with_user(self.head_b)
            .search_read([("field_name", "=", "pesel")], ["new_value_text", "old_value_text"])
        )
        values_b = " ".join(str(line["new_value_text"]) for line in lines_b)
        self.assertIn(PESEL_B, values_b)
        self.assertNotIn(PESEL_A, values_b)
        logs_b = self.env["auditlog.log"].with_user(self.head_b).search([])
        self.assertEqual(set(logs_b.mapped("assist_company_id")), {self.ops_b})
        lines_a = (
            self.env["auditlog.log.line"]
            .with_user(self.head)
            .search_read([("field_name", "=", "pesel")], ["new_value_text"])
        )
        values_a = " ".join(str(line["new_value_text"]) for line in lines_a)
        self.assertIn(PESEL_A, values_a)
        self.assertNotIn(PESEL_B, values_a)
        logs_a = self.env["auditlog.log"].with_user(self.head).search([])
        self.assertIn(
            self.family.id,
            logs_a.filtered(lambda l: l.model_model == "assist.family").mapped("res_id"),
        )
        self.assertNotIn(self.ops_b, logs_a.mapped("assist_company_id"))
        # the administrator (a manager of the audit log) reads nothing of the families
        admin = self.env.ref("base.user_admin")
        admin_lines = (
            self.env["auditlog.log.line"]
            .with_user(admin)
            .search_read([("field_name", "=", "pesel")], ["new_value_text"])
        )
        self.assertFalse(admin_lines)
        self.assertFalse(
            self.env["auditlog.log"].with_user(admin).search([("model_model", "=like", "assist.%")])
        )
        # nobody else reads the log
        for user in (self.worker, self.assistant, self.worker_b, self.assistant_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["auditlog.log.line"].with_user(user).search_read([], ["old_value_text"])

    # ---------------------------------------------------------- 2. names of others
    def test_names_of_others_not_read_through_a_chosen_record(self):
        case = self._cooperation_case()
        other = self._cooperation_case(family=self.family2)
        stranger = self.env["assist.family.member"].create(
            {"family_id": self.family2.id, "name": "Julia Wiśniewska"}
        )
        tasks = self.env["assist.family.task"].with_user(self.assistant)
        with self.assertRaises(UserError) as caught:
            tasks.create({"assignment_id": case.id, "name": "Zadanie", "member_id": stranger.id})
        self.assertNotIn("Julia", str(caught.exception))
        with self.assertRaises(AccessError):
            case.active_plan_id.with_user(self.assistant).write(
                {"previous_plan_id": other.active_plan_id.id}
            )
        visits = self.env["assist.visit"].with_user(self.assistant)
        with self.assertRaises(UserError):
            visits.create(
                {
                    "assignment_id": case.id,
                    "duration": 1.0,
                    "member_ids": [Command.set(stranger.ids)],
                }
            )

    # ---------------------------------------------------------- 3. onchange
    def test_onchange_does_not_compute_another_case(self):
        case = self._cooperation_case()
        self.env["assist.visit"].with_user(self.assistant).create(
            {"assignment_id": case.id, "duration": 2.0, "kind": "institution", "institution": "Sąd"}
        )
        spec = {
            "visit_count": {},
            "hours": {},
            "institution_contacts": {},
            "family_id": {"fields": {"display_name": {}}},
        }
        values = {"assignment_id": case.id, "month": str(date.today().replace(day=1))}
        # the assistant of the case gets the figures of the month
        own = (
            self.env["assist.monthly.report"]
            .with_user(self.assistant)
            .onchange(values, ["assignment_id"], spec)["value"]
        )
        self.assertEqual(own["visit_count"], 1)
        for user in (self.assistant2, self.worker2, self.assistant_b, self.head_b):
            for model, model_values in (
                ("assist.monthly.report", values),
                ("assist.visit", {"assignment_id": case.id}),
                ("assist.note", {"assignment_id": case.id}),
            ):
                with self.subTest(user=user.login, model=model), self.assertRaises(AccessError):
                    self.env[model].with_user(user).onchange(
                        model_values,
                        ["assignment_id"],
                        {"family_id": {"fields": {"display_name": {}}}},
                    )
        # a wizard of the head: refused to whoever may not use it
        request = self._submitted_request(self._fresh_family())
        for user in (self.assistant, self.worker, self.head_b):
            with self.subTest(user=user.login, model="approve"), self.assertRaises(AccessError):
                self.env["assist.assignment.approve"].with_user(user).onchange(
                    {"assignment_id": request.id},
                    ["assignment_id"],
                    {"family_id": {"fields": {"display_name": {}}}},
                )

    # ---------------------------------------------------------- 5. issued files
    def _issued(self, case):
        """An issued document of `case` as the register holds it (without rendering)."""
        attachment = self.env["ir.attachment"].create(
            {
                "name": "Załącznik 1.pdf",
                "raw": b"%PDF-1.4 dokument",
                "res_model": "assist.assignment",
                "res_id": case.id,
                "mimetype": "application/pdf",
            }
        )
        document = self.env["assist.issued.document"].create(
            {
                "report_id": self.env.ref("family_assistant.action_report_annex_01").id,
                "res_model": "assist.assignment",
                "res_id": case.id,
                "assignment_id": case.id,
                "attachment_id": attachment.id,
                "checksum": "0" * 64,
                "issued_by_id": self.assistant.id,
            }
        )
        message = case.message_post(
            body="Dokument wydany. SHA-256: " + "0" * 64, attachment_ids=attachment.ids
        )
        return document, attachment, message

    def test_issued_files_neither_published_nor_unsealed(self):
        case = self._cooperation_case()
        _document, attachment, message = self._issued(case)
        admin = self.env.ref("base.user_admin")
        for user in (self.assistant, self.head, admin):
            as_user = attachment.with_user(user)
            for vals in (
                {"public": True},
                {"name": "inny.pdf"},
                {"mimetype": "text/plain"},
                {"res_field": "message_main_attachment_id"},
                {"raw": b"inny"},
            ):
                with self.subTest(user=user.login, vals=list(vals)), self.assertRaises(AccessError):
                    as_user.write(vals)
            with self.subTest(user=user.login, path="token"), self.assertRaises(AccessError):
                as_user.generate_access_token()
            with self.subTest(user=user.login, path="message"), self.assertRaises(AccessError):
                message.with_user(user).unlink()
            with self.subTest(user=user.login, path="edit"), self.assertRaises(AccessError):
                case.with_user(user)._message_update_content(message, "")
        self.env.invalidate_all()
        self.assertFalse(attachment.public or attachment.access_token or attachment.res_field)
        self.assertEqual(attachment.raw, b"%PDF-1.4 dokument")
        self.assertTrue(message.exists())
        self.assertIn("SHA-256", str(message.body))
        # no file of a case is published or shared by a link, issued or not
        visit_file = (
            self.env["ir.attachment"]
            .with_user(self.assistant)
            .create(
                {
                    "name": "zdjęcie.txt",
                    "raw": b"x",
                    "res_model": "assist.assignment",
                    "res_id": case.id,
                }
            )
        )
        with self.assertRaises(AccessError):
            visit_file.write({"public": True})
        with self.assertRaises(AccessError):
            visit_file.generate_access_token()
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(self.assistant).create(
                {
                    "name": "p.txt",
                    "raw": b"x",
                    "res_model": "assist.assignment",
                    "res_id": case.id,
                    "public": True,
                }
            )

    # ---------------------------------------------------------- 6. anonymisation
    def _plant(self, records):
        """The marker in every free-text field a user may set on `records`."""
        for record in records:
            texts = {
                name: f"{MARKER} {name}"
                for name, field in record._fields.items()
                if field.type in ("char", "text")
                and name in record._anonymise_fields
                and name in record._settable_fields("write")
                and name != "pesel"
            }
            if texts:
                record.write(texts)

    def test_every_free_text_of_a_family_is_anonymised(self):
        """The declaration is complete: each text a user may type on a record of a
        family is emptied by the anonymisation."""
        for name in self.env.registry.descendants(["assist.guard.mixin"], "_inherit"):
            model = self.env[name]
            if model._abstract or name == "assist.deadline.rule":
                continue
            typed = {
                field_name
                for field_name, field in model._fields.items()
                if field.type in ("char", "text", "html")
                and not field.readonly
                and field_name not in model._server_fields()
            }
            with self.subTest(model=name):
                self.assertLessEqual(typed, set(model._anonymise_fields))

    def test_anonymisation_leaves_no_trace_in_the_database_or_the_filestore(self):
        case = self._cooperation_case(**self._court_vals(fields.Date.today()))
        family = case.family_id
        member = family.member_ids[:1]
        member.write({"pesel": PESEL_A})
        as_assistant = self.env(user=self.assistant)
        area = self.env.ref("family_assistant.support_area_household")
        meeting = as_assistant["assist.meeting"].create(
            {"assignment_id": case.id, "participant_ids": [Command.create({"name": "Jan"})]}
        )
        records = [
            family,
            family.member_ids,
            case,
            case.handover_ids,
            case.handover_ids.line_ids,
            case.consent_ids,
            case.plan_ids,
            case.plan_ids.goal_ids,
            case.plan_ids.goal_ids.action_ids,
            case.assessment_ids,
            as_assistant["assist.assessment.line"]
            .sudo()
            .create({"assessment_id": case.assessment_ids[:1].id, "area_id": area.id}),
            as_assistant["assist.visit"].create({"assignment_id": case.id, "duration": 1.0}),
            as_assistant["assist.family.task"].create({"assignment_id": case.id, "name": "Z"}),
            as_assistant["assist.note"].create(
                {"assignment_id": case.id, "name": "N", "body": "B"}
            ),
            as_assistant["assist.situation.change"].create(
                {"assignment_id": case.id, "description": "Zmiana"}
            ),
            as_assistant["assist.monthly.report"].create({"assignment_id": case.id}),
            meeting,
            meeting.participant_ids,
            as_assistant["assist.court.letter"].create({"assignment_id": case.id, "subject": "S"}),
        ]
        for record in records:
            self._plant(record)
        # messages, attachments (one behind a field), the chatter and the log of reads
        threads = [family, case, case.plan_ids[:1], case.court_letter_ids[:1]]
        for record in threads:
            record.message_post(body=f"{MARKER} wiadomość")
        for record in [family, member, case, *records[5:12]]:
            self.env["ir.attachment"].create(
                {
                    "name": f"{MARKER}.txt",
                    "raw": f"{MARKER} treść pliku {record._name} {record.ids}".encode(),
                    "res_model": record._name,
                    "res_id": record.ids[0],
                }
            )
        self.env["ir.attachment"].create(
            {
                "name": f"{MARKER}-pole.txt",
                "raw": f"{MARKER} plik ukryty za polem".encode(),
                "res_model": "assist.family",
                "res_id": family.id,
                "res_field": "message_main_attachment_id",
            }
        )
        self._issued(case)
        family.with_user(self.head).read(["name", "street", "municipality"])
        member.with_user(self.head).read(["name", "pesel"])
        member.with_user(self.head)._export_personal_data()
        self._flush_tracking()
        # the case ends, the family is anonymised by the head
        self._decide(self._head_request(case, kind="end_support", end_reason="moved_out"))
        wizard = (
            self.env["assist.family.anonymise"]
            .with_user(self.head)
            .create({"family_id": family.id, "confirm": True})
        )
        wizard.action_confirm()
        # later reads of the family leave no marker either
        family.with_user(self.head).read(["name", "street", "municipality"])
        member.with_user(self.head).read(["name", "pesel"])
        self._flush_tracking()

        self.assertEqual(self._columns_with(MARKER), [])
        self.assertEqual(
            self._columns_with(
                PESEL_A,
                only=(
                    "assist_family_member",
                    "auditlog_log_line",
                    "mail_message",
                    "mail_tracking_value",
                ),
            ),
            [],
        )
        # the files go with their attachments (Odoo's clean-up of the filestore)
        self.env["ir.attachment"]._gc_file_store_unsafe()
        self.assertEqual(self._files_with(MARKER.encode()), [])
        self.assertTrue(family.anonymised)
        self.assertEqual(case.basis, "court", "a court-ordered family is anonymised too")

    def _columns_with(self, text, only=None):
        """Every text column of every table of the database that holds `text`."""
        cr = self.env.cr
        cr.execute(
            """SELECT c.table_name, c.column_name FROM information_schema.columns c
                 JOIN information_schema.tables t
                   ON t.table_name = c.table_name AND t.table_schema = c.table_schema
                WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                  AND c.data_type IN ('character varying', 'text', 'jsonb')"""
        )
        found = []
        for table, column in cr.fetchall():
            if only and table not in only:
                continue
            cr.execute(
                f'SELECT 1 FROM "{table}" WHERE "{column}"::text LIKE %s LIMIT 1',
                [f"%{text}%"],
            )
            if cr.fetchone():
                found.append(f"{table}.{column}")
        return found

    def _files_with(self, data):
        root = self.env["ir.attachment"]._filestore()
        found = []
        for folder, _dirs, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                with open(path, "rb") as handle:
                    if data in handle.read():
                        found.append(path)
        return found

    # ---------------------------------------------------------- 7. reads leave a trace
    def test_reads_leave_a_trace(self):
        case = self._cooperation_case()
        member = self.env["assist.family.member"].create(
            {"family_id": case.family_id.id, "name": "Genowefa Kowalska", "pesel": PESEL_A}
        )
        Log = self.env["auditlog.log"]

        def reads_of(user):
            return Log.search_count(
                [
                    ("method", "=", "read"),
                    ("user_id", "=", user.id),
                    ("model_model", "=", "assist.family.member"),
                ]
            )

        before = reads_of(self.assistant)
        members = self.env["assist.family.member"].with_user(self.assistant)
        members.browse(member.id).with_context(auditlog_disabled=True).read(["pesel"])
        self.assertEqual(reads_of(self.assistant), before + 1, "auditlog_disabled from a user")
        members.search_read([("id", "=", member.id)], ["pesel"])
        self.assertEqual(reads_of(self.assistant), before + 2, "search_read")
        members.name_search("Genowefa")
        self.assertEqual(reads_of(self.assistant), before + 3, "name_search")
        with self.assertRefused(AccessError, "identyfikuje ono osobę"):
            members.with_user(self.head).read_group([], ["pesel"], ["pesel"])
        with self.assertRefused(AccessError, "identyfikuje ono osobę"):
            members.with_user(self.head)._read_group([], ["name"], ["__count"])
        # the system's own reads are still its own business
        self.env["assist.family.member"].browse(member.id).with_context(
            auditlog_disabled=True
        ).read(["pesel"])

    # ---------------------------------------------------------- 8. smaller
    def test_typed_html_is_text_in_generated_notes(self):
        family = self._make_family(
            'Kowalscy <a href="https://zly.example">klik</a> <img src="https://zly.example/x.png">',
            self.worker,
        )
        case = self._approved_case(family)
        self._handover(case)
        self._first_meeting(case, decision="refused")
        court = self.env.ref("family_assistant.mail_activity_type_court")
        todo = case.activity_ids.filtered(
            lambda a: a.activity_type_id == court and a.user_id == self.head
        )
        self.assertTrue(todo, "the head is asked whether to inform the court")
        note = str(todo.note)
        self.assertNotIn("<a ", note)
        self.assertNotIn("<img", note)
        self.assertIn("&lt;a href", note)

    def test_followers_listed_only_with_the_case(self):
        case = self._cooperation_case()
        Followers = self.env["mail.followers"]
        follower = Followers.search(
            [("res_model", "=", "assist.assignment"), ("res_id", "=", case.id)], limit=1
        )
        self.assertTrue(follower)
        for user in (self.assistant2, self.worker2, self.assistant_b):
            with self.subTest(user=user.login):
                found = Followers.with_user(user).search_read(
                    [("res_model", "=", "assist.assignment")], ["res_id", "partner_id"]
                )
                self.assertNotIn(case.id, [f["res_id"] for f in found])
                with self.assertRaises(AccessError):
                    follower.with_user(user).read(["partner_id"])
        own = Followers.with_user(self.assistant).search(
            [("res_model", "=", "assist.assignment"), ("res_id", "=", case.id)]
        )
        self.assertIn(follower, own)
