import hashlib
import io
import json
from datetime import date

from freezegun import freeze_time
from openpyxl import load_workbook
from pypdf import PdfReader

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import config

PERIOD = {"date_from": date(2026, 1, 1), "date_to": date(2026, 6, 30)}


@tagged("post_install", "-at_install")
class TestStatistics(TransactionCase):
    """The half-year report to the voivode from a small OPS whose every figure is
    worked out by hand below (period 1.01–30.06.2026)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wkhtmltopdf fetches the styles from the test HTTP server (its own port)
        cls.env["ir.config_parameter"].set_param(
            "report.url", f"http://127.0.0.1:{config['http_port']}"
        )
        cls.ops = cls.env["res.company"].create(
            {"name": "OPS Statystyczny", "assist_max_families": 12}
        )
        company = {"company_id": cls.ops.id, "company_ids": [Command.set(cls.ops.ids)]}

        def user(login, group):
            return new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,family_assistant.{group}",
                lang="pl_PL",
                **company,
            )

        cls.head = user("st_head", "group_head")
        cls.worker = user("st_worker", "group_worker")
        cls.asst1 = user("st_asst1", "group_assistant")
        cls.asst2 = user("st_asst2", "group_assistant")
        cls.asst3 = user("st_asst3", "group_assistant")
        Employment = cls.env["assist.employment"].sudo()
        Employment.create(
            [
                {
                    "user_id": cls.asst1.id,
                    "company_id": cls.ops.id,
                    "kind": "task_time",
                    "fte": 1.0,
                    "date_start": "2025-01-01",
                },
                {
                    "user_id": cls.asst2.id,
                    "company_id": cls.ops.id,
                    "kind": "employment",
                    "fte": 0.5,
                    "date_start": "2026-04-01",
                    "date_end": "2026-12-31",
                },
                # ended before the period: not counted, and asst3 is a check
                {
                    "user_id": cls.asst3.id,
                    "company_id": cls.ops.id,
                    "kind": "service",
                    "fte": 0.0,
                    "date_start": "2024-01-01",
                    "date_end": "2025-12-31",
                },
            ]
        )
        cls.f = {}
        cls.c = {}

        def family(key, members=(), **vals):
            cls.f[key] = (
                cls.env["assist.family"]
                .sudo()
                .create(
                    {
                        "name": key,
                        "company_id": cls.ops.id,
                        "worker_id": cls.worker.id,
                        "member_ids": [Command.create(member) for member in members],
                        **vals,
                    }
                )
            )
            return cls.f[key]

        def case(key, fam, **vals):
            cls.c[key] = (
                cls.env["assist.assignment"]
                .sudo()
                .create(
                    {
                        "family_id": fam.id,
                        "worker_id": cls.worker.id,
                        "basis": "interview",
                        "grounds": "care_difficulties",
                        "interview_date": "2024-01-01",
                        "request_date": "2024-01-02",
                        "justification": "Test.",
                        **vals,
                    }
                )
            )
            return cls.c[key]

        def child(name, born, **kw):
            return {"name": name, "role": "child", "birth_date": born, **kw}

        mother = {"name": "Matka", "role": "mother", "birth_date": "1985-01-01"}
        # Alfa: in cooperation since 2025, past its 2 years on 30.06 (a check); one
        # child under 18, one who turned 18 on 15.06.2026
        alfa = family("Alfa", [mother, child("Ala", "2015-03-10"), child("Olek", "2008-06-15")])
        case(
            "c1",
            alfa,
            state="cooperation",
            assistant_id=cls.asst1.id,
            work_start_date="2023-12-01",
            cooperation_start_date="2024-01-01",
        )
        # Beta: court-ordered, new in the period, a child in foster care, difficult
        beta = family(
            "Beta",
            [child("Bartek", "2020-01-01"), child("Basia", "2012-05-01", in_foster_care=True)],
            difficulty="high",
        )
        case(
            "c2",
            beta,
            basis="court",
            grounds=False,
            interview_date=False,
            court_name="SR",
            court_case_number="III Nsm 1/26",
            court_info_received_date="2026-01-20",
            request_date="2026-01-21",
            state="cooperation",
            assistant_id=cls.asst1.id,
            work_start_date="2026-02-01",
            cooperation_start_date="2026-03-01",
        )
        # Gamma: "Za życiem", new, cooperation ended in May (goals), in monitoring; no child yet
        gamma = family("Gamma", [mother])
        case(
            "c3",
            gamma,
            basis="za_zyciem",
            grounds=False,
            interview_date=False,
            za_zyciem_category=cls._za_zyciem_category(),
            request_date="2026-02-20",
            state="monitoring",
            assistant_id=cls.asst1.id,
            work_start_date="2026-03-01",
            cooperation_start_date="2026-03-15",
            monitoring_start_date="2026-05-01",
            monitoring_by="assistant",
            monitoring_months=3,
            end_reason="goals_achieved",
        )
        # Delta: monitoring from 2025 ended in February; a child without a date of birth
        delta = family("Delta", [child("Dawid", "2010-01-01"), {"name": "Dorota", "role": "child"}])
        case(
            "c4",
            delta,
            state="closed",
            assistant_id=cls.asst1.id,
            work_start_date="2024-01-10",
            cooperation_start_date="2024-02-01",
            monitoring_start_date="2025-12-01",
            monitoring_by="assistant",
            monitoring_months=2,
            closed_date="2026-02-15",
            end_reason="goals_achieved",
        )
        # Epsilon: moved out in April after 15 months, no monitoring
        eps = family("Epsilon", [child("Ewa", "2019-01-01")])
        case(
            "c5",
            eps,
            state="closed",
            assistant_id=cls.asst1.id,
            work_start_date="2025-01-01",
            cooperation_start_date="2025-02-01",
            closed_date="2026-04-01",
            end_reason="moved_out",
        )
        # Zeta: closed before the period, included again in May (a new request)
        zeta = family("Zeta", [child("Zosia", "2014-01-01")])
        old = case(
            "c6",
            zeta,
            state="closed",
            assistant_id=cls.asst1.id,
            work_start_date="2023-06-01",
            closed_date="2025-10-01",
            end_reason="goals_achieved",
        )
        case(
            "c7",
            zeta,
            basis="reinclusion",
            previous_assignment_id=old.id,
            request_date="2026-05-10",
            interview_date="2026-05-09",
            state="submitted",
        )
        # Eta: closed in January after 2 months without an end reason (a check); no child
        eta = family("Eta", [mother])
        case(
            "c8",
            eta,
            state="closed",
            assistant_id=cls.asst3.id,
            work_start_date="2025-11-01",
            closed_date="2026-01-20",
        )
        # Theta: work started before the request (a check), new
        theta = family("Theta", [child("Tymek", "2016-02-02")])
        case(
            "c9",
            theta,
            state="diagnosis",
            assistant_id=cls.asst3.id,
            request_date="2026-03-10",
            interview_date="2026-03-09",
            work_start_date="2026-03-01",
        )

        Visit = cls.env["assist.visit"].sudo()
        pkt1 = cls.env.ref("family_assistant.statutory_duty_plan")
        c1 = cls.c["c1"]
        cls.visits = Visit.create(
            [
                {
                    "assignment_id": c1.id,
                    "user_id": cls.asst1.id,
                    "start": "2026-02-03 10:00:00",
                    "duration": 1.0,
                    "duty_ids": [Command.set(pkt1.ids)],
                },
                {
                    "assignment_id": c1.id,
                    "user_id": cls.asst1.id,
                    "start": "2026-03-03 10:00:00",
                    "duration": 1.5,
                },
                {
                    "assignment_id": c1.id,
                    "user_id": cls.asst1.id,
                    "start": "2026-06-30 10:00:00",
                    "duration": 0.5,
                },
            ]
        )
        cls.call = Visit.create(
            {
                "assignment_id": c1.id,
                "user_id": cls.asst1.id,
                "start": "2026-04-03 10:00:00",
                "duration": 0.25,
                "kind": "phone",
                "place": "other",
                "duty_ids": [Command.set(pkt1.ids)],
            }
        )
        Visit.create(  # before the period
            {
                "assignment_id": c1.id,
                "user_id": cls.asst1.id,
                "start": "2025-12-30 10:00:00",
                "duration": 2.0,
            }
        )
        Letter = cls.env["assist.court.letter"].sudo()
        cls.letter = Letter.create(
            {
                "assignment_id": cls.c["c2"].id,
                "kind": "report",
                "subject": "Sprawozdanie",
                "date": "2026-03-01",
                "state": "sent",
            }
        )
        Letter.create(
            [
                {
                    "assignment_id": cls.c["c2"].id,
                    "kind": "notification",
                    "subject": "Odmowa",
                    "date": "2026-03-02",
                    "state": "sent",
                },
                {
                    "assignment_id": cls.c["c2"].id,
                    "kind": "opinion",
                    "subject": "Projekt",
                    "date": "2026-03-03",
                },
            ]
        )
        cls.meeting = (
            cls.env["assist.meeting"]
            .sudo()
            .create(
                {
                    "assignment_id": c1.id,
                    "date": "2026-04-10 09:00:00",
                    "purpose": "Szkoła",
                    "participant_ids": [Command.create({"name": "Pedagog"})],
                }
            )
        )

    @classmethod
    def _za_zyciem_category(cls):
        field = cls.env["assist.assignment"]._fields["za_zyciem_category"]
        return field._description_selection(cls.env)[0][0]

    def _report(self, companies=None):
        companies = companies or self.ops
        report = (
            self.env["assist.statistics"]
            .with_user(self.head)
            .with_context(allowed_company_ids=companies.ids, force_report_rendering=True)
            .create(
                {
                    "company_id": self.ops.id,
                    "company_ids": [Command.set(companies.ids)],
                    **PERIOD,
                }
            )
        )
        report.action_compute()
        return report

    def _values(self, report):
        return {line.code: line.value for line in report.line_ids}

    def _records(self, report, code):
        line = report.line_ids.filtered(lambda l: l.code == code)
        action = line.action_open_records()
        return (
            self.env[action["res_model"]].with_context(active_test=False).search(action["domain"])
        )

    # ---------------------------------------------------------- the figures
    def test_every_figure_as_worked_out_by_hand(self):
        values = self._values(self._report())
        expected = {
            # assistants: asst1 (task time, 1.0) and asst2 (employment, 0.5); asst3's ended in 2025
            "A1": 2,
            "A1.1": 1,
            "A1.2": 1,
            "A1.3": 0,
            "A2": 1.5,
            # supported: Alfa, Beta, Gamma, Delta, Epsilon, Eta, Theta (Zeta's cases are outside)
            "B1": 7,
            "B1.1": 3,
            "B1.2": 1,
            "B1.3": 1,
            "B1.4": 1,
            # children under 18 on 30.06: Ala, Bartek, Basia, Dawid, Dorota (no date), Ewa, Tymek
            "B2": 7,
            # ended: Gamma (goals, 2 months), Epsilon (moved out, 15 months),
            # Eta (no reason, 2 months)
            "C1": 3,
            "C1.1": 1,
            "C1.2": 0,
            "C1.3": 0,
            "C1.4": 1,
            "C1.5": 0,
            "C2.1": 2,
            "C2.2": 0,
            "C2.3": 1,
            "C2.4": 0,
            # monitoring: Gamma, Delta; Delta's ended; Zeta included again
            "D1": 2,
            "D2": 1,
            "D3": 1,
            # 3 meetings with the family (the call is not one), 3.25 hours, 2 entries serve pkt 1
            "E1": 3,
            "E2": 3.25,
            "E3.1": 2,
            "E3.2": 0,
            # one report sent to the court (the notification and the draft opinion are not)
            "E4": 1,
            "E5": 1,
            # on 30.06: asst1 has Alfa 1 + Beta 2 (difficult) + Gamma 1 = 4, asst3 Theta 1
            "F1": 2.5,
            "F2": 4,
            "F3": 12,
        }
        for code, value in expected.items():
            with self.subTest(code=code):
                self.assertEqual(values[code], value)

    def test_each_figure_opens_exactly_what_it_counted(self):
        report = self._report()
        f = self.f
        self.assertEqual(
            self._records(report, "B1"),
            f["Alfa"] | f["Beta"] | f["Gamma"] | f["Delta"] | f["Epsilon"] | f["Eta"] | f["Theta"],
        )
        self.assertEqual(self._records(report, "B1.1"), f["Beta"] | f["Gamma"] | f["Theta"])
        self.assertEqual(self._records(report, "C1"), f["Gamma"] | f["Epsilon"] | f["Eta"])
        self.assertEqual(self._records(report, "D3"), f["Zeta"])
        self.assertEqual(self._records(report, "A1"), self.asst1 | self.asst2)
        self.assertEqual(self._records(report, "E1"), self.visits)
        self.assertEqual(self._records(report, "E3.1"), self.visits[0] | self.call)
        self.assertEqual(self._records(report, "E4"), self.letter)
        self.assertEqual(
            sorted(self._records(report, "B2").mapped("name")),
            ["Ala", "Bartek", "Basia", "Dawid", "Dorota", "Ewa", "Tymek"],
        )
        for line in report.line_ids.filtered("res_model"):
            with self.subTest(code=line.code):
                self.assertGreaterEqual(
                    len(json.loads(line.res_ids)), line.value if line.code[0] in "BCD" else 0
                )

    def test_checks_list_what_would_make_a_figure_wrong(self):
        report = self._report()
        found = {(check.res_model, check.res_id) for check in report.check_ids}
        self.assertEqual(
            found,
            {
                ("assist.assignment", self.c["c8"].id),  # no end reason
                ("assist.family", self.f["Gamma"].id),  # no child recorded
                ("assist.family", self.f["Eta"].id),
                (
                    "assist.family.member",
                    self.f["Delta"].member_ids.filtered(lambda m: not m.birth_date).id,
                ),
                ("res.users", self.asst3.id),  # no employment in the period
                ("assist.assignment", self.c["c1"].id),  # past its 2 years
                ("assist.assignment", self.c["c9"].id),  # work before the request
            },
        )
        for check in report.check_ids:
            action = check.action_open_record()
            self.assertEqual(
                (action["res_model"], action["res_id"]), (check.res_model, check.res_id)
            )
        self.assertRegex(" ".join(report.check_ids.mapped("name")), "Eta")
        # the form of employment is a field on the user, as the head sees it today
        as_head = (self.asst1 | self.asst3).with_user(self.head)
        self.assertEqual(as_head.mapped("assist_employment_kind"), ["task_time", False])

    def test_anonymised_families_still_count(self):
        before = self._values(self._report())
        families = self.f["Delta"] | self.f["Epsilon"] | self.f["Eta"]
        families.with_user(self.head).with_context(
            allowed_company_ids=self.ops.ids
        )._anonymise_family()
        self.assertTrue(all(families.mapped("anonymised")))
        self.assertFalse(self.f["Delta"].member_ids.mapped("birth_date")[0])
        self.assertEqual(self._values(self._report()), before)

    def test_query_count_does_not_grow_with_the_cases(self):
        def queries():
            report = self._report()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            report.action_compute()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        small = queries()
        for index in range(6):
            fam = (
                self.env["assist.family"]
                .sudo()
                .create(
                    {
                        "name": f"Nowa {index}",
                        "company_id": self.ops.id,
                        "worker_id": self.worker.id,
                        "member_ids": [
                            Command.create(
                                {"name": "Dziecko", "role": "child", "birth_date": "2018-01-01"}
                            )
                        ],
                    }
                )
            )
            self.env["assist.assignment"].sudo().create(
                {
                    "family_id": fam.id,
                    "worker_id": self.worker.id,
                    "basis": "interview",
                    "grounds": "care_difficulties",
                    "interview_date": "2026-01-02",
                    "request_date": "2026-01-03",
                    "justification": "T.",
                    "state": "cooperation",
                    "assistant_id": self.asst1.id,
                    "work_start_date": "2026-01-10",
                }
            )
        self.assertLessEqual(queries(), small, "grouped reads, no query per case")

    # ---------------------------------------------------------- the head's, issued and frozen
    def test_the_report_is_the_heads(self):
        for login in ("st_worker", "st_asst1"):
            user = self.env["res.users"].search([("login", "=", login)])
            with self.subTest(user=login), self.assertRaises(AccessError):
                self.env["assist.statistics"].with_user(user).create({**PERIOD})
        other = self.env["res.company"].create({"name": "OPS Inny"})
        with self.assertRaises(ValidationError):
            self.env["assist.statistics"].with_user(self.head).create(
                {
                    "company_id": self.ops.id,
                    "company_ids": [Command.set((self.ops | other).ids)],
                    **PERIOD,
                }
            )
        report = self._report()
        with self.assertRaises(AccessError):
            report.write({"date_from": date(2025, 7, 1)})
        with self.assertRaises(AccessError):
            report.line_ids[:1].write({"value": 99})

    def test_issued_as_pdf_and_xlsx_frozen_then_a_new_version(self):
        report = self._report()
        with self.assertRaises(UserError):
            report.action_issue()  # open checks, not reviewed
        report.checks_reviewed = True
        report.action_issue()
        self.assertEqual(report.state, "issued")
        pdf = report.pdf_attachment_id.raw
        self.assertEqual(hashlib.sha256(pdf).hexdigest(), report.pdf_sha256)
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        text = " ".join(text.split())
        for expected in (
            "OPS Statystyczny",
            "01.01.2026",
            "30.06.2026",
            "Rodziny wspierane przez asystenta rodziny w okresie",
            "2,5",
        ):
            with self.subTest(pdf=expected):
                self.assertIn(expected, text)
        xlsx = report.xlsx_attachment_id.raw
        self.assertEqual(hashlib.sha256(xlsx).hexdigest(), report.xlsx_sha256)
        sheet = load_workbook(io.BytesIO(xlsx)).active
        cells = {row[0]: row[2] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
        self.assertEqual(cells["B1"], 7)
        self.assertEqual(cells["F1"], 2.5)
        # frozen: nothing of it changes, its files neither
        with self.assertRaises(UserError):
            report.action_compute()
        with self.assertRaises(UserError):
            report.checks_reviewed = False
        with self.assertRaises(AccessError):
            report.pdf_attachment_id.with_user(self.head).write({"raw": b"x"})
        action = report.action_new_version()
        new = self.env["assist.statistics"].browse(action["res_id"])
        self.assertEqual((new.version, new.previous_id, new.state), (2, report, "draft"))
        self.assertEqual(self._values(new), self._values(report))

    def test_a_head_of_several_ops_gets_one_report_each_and_the_sum(self):
        other = self.env["res.company"].create({"name": "OPS Drugi Statystyczny"})
        self.head.company_ids |= other
        self.worker.company_ids |= other
        fam = (
            self.env["assist.family"]
            .sudo()
            .create({"name": "Inna", "company_id": other.id, "worker_id": self.worker.id})
        )
        self.env["assist.assignment"].sudo().create(
            {
                "family_id": fam.id,
                "worker_id": self.worker.id,
                "basis": "interview",
                "grounds": "care_difficulties",
                "interview_date": "2026-01-02",
                "request_date": "2026-01-03",
                "justification": "T.",
                "state": "cooperation",
                "work_start_date": "2026-01-10",
            }
        )
        both = self._report(self.ops | other)
        both.action_split_by_ops()
        self.assertEqual(len(both.child_ids), 2)
        by_ops = {child.company_ids: self._values(child)["B1"] for child in both.child_ids}
        self.assertEqual(by_ops[self.ops], 7)
        self.assertEqual(by_ops[other], 1)
        self.assertEqual(self._values(both)["B1"], 8)

    # ---------------------------------------------------------- the deadline
    def test_a_draft_and_the_heads_todo_after_each_half_year(self):
        Report = self.env["assist.statistics"]
        with freeze_time("2026-07-01 06:00:00"):
            Report._cron_statistics()
            Report._cron_statistics()  # twice: once
        report = Report.search(
            [("company_id", "=", self.ops.id), *[(k, "=", v) for k, v in PERIOD.items()]]
        )
        self.assertEqual(len(report), 1)
        self.assertEqual(report.deadline, date(2026, 7, 31))
        todo = report.activity_ids
        self.assertEqual((todo.user_id, todo.date_deadline), (self.head, date(2026, 7, 31)))
        self.assertTrue(report.line_ids)
        with freeze_time("2027-01-01 06:00:00"):
            Report._cron_statistics()
        second = Report.search(
            [("company_id", "=", self.ops.id), ("date_from", "=", date(2026, 7, 1))]
        )
        self.assertEqual(second.deadline, date(2027, 1, 31))
