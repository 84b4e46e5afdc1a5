import hashlib
import io
from datetime import datetime, timedelta

from pypdf import PdfReader

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import config

from .common import FamilyAssistantCase

DIACRITICS = "Zażółć gęślą jaźń"

# The title of each annex, as the procedure names it (DESIGN.md, section 4).
TITLES = {
    1: "Wniosek o przydzielenie asystenta rodziny",
    2: "Protokół przekazania dokumentów",
    3: "Zgoda rodziny na współpracę z asystentem rodziny",
    4: "Karta informacyjna rodziny",
    5: "Ocena sytuacji rodziny",
    6: "Plan pracy z rodziną",
    7: "Okresowa ocena sytuacji rodziny",
    8: "Karta pracy asystenta rodziny",
    9: "Karta pracy rodziny",
    10: "Wniosek o zakończenie objęcia rodziny wsparciem asystenta rodziny i rozpoczęcie "
    "monitoringu",
    11: "Karta pracy – monitoring",
    12: "Wniosek o zakończenie monitoringu",
    13: "Zgłoszenie konieczności ponownego objęcia rodziny wsparciem",
    14: "Miesięczny raport z pracy z rodziną i na jej rzecz",
    15: "Sprawozdanie asystenta z pracy z rodziną",
    16: "Spotkanie interdyscyplinarne",
}
MONTHS = [
    "styczeń",
    "luty",
    "marzec",
    "kwiecień",
    "maj",
    "czerwiec",
    "lipiec",
    "sierpień",
    "wrzesień",
    "październik",
    "listopad",
    "grudzień",
]


def polish_date(value):
    return value.strftime("%d.%m.%Y")


def first_words(text, count=4):
    return " ".join(text.split()[:count])


# What each annex must show of its record: a list of texts taken from it.
KEY_FIELDS = {
    1: lambda doc: [doc.worker_id.name, polish_date(doc.request_date), doc.assistant_id.name],
    2: lambda doc: [*doc.line_ids.mapped("name"), doc.assistant_id.name, polish_date(doc.date)],
    3: lambda doc: [*doc.member_ids.mapped("name"), polish_date(doc.date)],
    4: lambda doc: [*doc.family_id.member_ids.mapped("name"), doc.assistant_id.name],
    5: lambda doc: [first_words(doc.problems), *doc.line_ids.area_id.mapped("name")],
    6: lambda doc: [*doc.goal_ids.mapped("name"), *doc.goal_ids.action_ids.mapped("name")],
    7: lambda doc: [polish_date(doc.period_start), polish_date(doc.period_end)],
    8: lambda doc: [
        first_words(visit.actions_taken) for visit in doc._work_log_visits() if visit.actions_taken
    ],
    9: lambda doc: (
        doc.env["assist.family.task"].search([("assignment_id", "=", doc.id)]).mapped("name")
    ),
    10: lambda doc: [first_words(doc.results)],
    11: lambda doc: [
        first_words(visit.actions_taken)
        for visit in doc._work_log_visits(monitoring=True)
        if visit.actions_taken
    ],
    12: lambda doc: [first_words(doc.results)],
    13: lambda doc: [first_words(doc.reasons)],
    14: lambda doc: [f"{MONTHS[doc.month.month - 1]} {doc.month.year}"],
    15: lambda doc: [first_words(doc.work_done), first_words(doc.effects)],
    16: lambda doc: doc.participant_ids.mapped("name"),
}


@tagged("post_install", "-at_install")
class TestDocuments(FamilyAssistantCase):
    """The 16 annexes as Polish PDF documents, and issued documents that do not change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reports = cls.env["ir.actions.report"].search(
            [("assist_annex", ">", 0)], order="assist_annex"
        )
        # wkhtmltopdf fetches the styles and fonts from the test HTTP server, which
        # listens on its own port (not the one of web.base.url)
        cls.env["ir.config_parameter"].set_param(
            "report.url", f"http://127.0.0.1:{config['http_port']}"
        )

    # ---------------------------------------------------------- helpers
    def _pages(self, pdf):
        """The text of each page, with the whitespace made single spaces."""
        self.assertTrue(pdf.startswith(b"%PDF"), "not a PDF")
        reader = PdfReader(io.BytesIO(pdf))
        return [" ".join(page.extract_text().split()) for page in reader.pages]

    def _render(self, annex, records, user=None, data=None):
        report = self.reports.filtered(lambda report: report.assist_annex == annex)
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(user or self.head)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids, data=data)
        )
        self.assertEqual(report_type, "pdf")
        return self._pages(pdf)

    def assertShows(self, pages, texts, annex):
        text = " ".join(pages)
        for expected in texts:
            with self.subTest(annex=annex, expected=expected):
                self.assertIn(" ".join(str(expected).split()), text)

    def _long_case(self):
        """A case in cooperation for a year: 110 visits and a plan of 25 goals."""
        case = self._cooperation_case()
        year_ago = fields.Date.today() - timedelta(days=365)
        # sudo: the case is dated back a year, which no action of the procedure does
        case.sudo().write(
            {"request_date": year_ago, "work_start_date": year_ago, "documents_date": year_ago}
        )
        areas = self.env["assist.support.area"].search([], limit=3)
        self.env["assist.visit"].with_user(self.assistant).create(
            [
                {
                    "assignment_id": case.id,
                    "start": datetime.combine(
                        year_ago + timedelta(days=3 * number + 1), datetime.min.time()
                    )
                    + timedelta(hours=10),
                    "duration": 1.5,
                    "kind": "home_visit",
                    "place": "home",
                    "area_ids": [Command.set(areas.ids)],
                    "actions_taken": f"Wizyta numer {number}: rozmowa z matką o budżecie "
                    "domowym, sprawdzenie zeszytów dzieci i ustalenie planu na tydzień.",
                    "next_steps": "Kontynuacja ustaleń.",
                }
                for number in range(1, 111)
            ]
        )
        plan = case.active_plan_id
        new_version = plan.with_user(self.assistant).action_new_version()
        draft = self.env["assist.plan"].browse(new_version["res_id"])
        draft.with_user(self.assistant).write(
            {
                "goal_ids": [
                    Command.create(
                        {
                            "name": f"Cel numer {goal}: poprawa funkcjonowania rodziny",
                            "area_id": areas[goal % len(areas)].id,
                            "action_ids": [
                                Command.create(
                                    {
                                        "name": f"Działanie {goal}.{action}",
                                        "expected_effect": "Rodzina samodzielnie planuje "
                                        "wydatki i pilnuje terminów.",
                                        "responsible": "family",
                                        "deadline": fields.Date.today() + timedelta(days=90),
                                    }
                                )
                                for action in range(1, 4)
                            ],
                        }
                    )
                    for goal in range(1, 26)
                ]
            }
        )
        return case, draft

    def _record_for(self, report):
        """A demo record the annex prints from."""
        records = self.env[report.model].search([], order="id")
        return next(record for record in records if report in record._document_reports())

    # ---------------------------------------------------------- the 16 documents
    def test_there_are_sixteen_annexes(self):
        self.assertEqual(self.reports.mapped("assist_annex"), list(range(1, 17)))
        self.assertTrue(all(report.report_type == "qweb-pdf" for report in self.reports))
        self.assertTrue(all(report.binding_model_id for report in self.reports))

    def test_every_annex_renders_from_demo_data_in_polish(self):
        # every family's name with every Polish letter: each annex shows the family
        self.env["assist.family"].search([]).write({"name": DIACRITICS})
        for report in self.reports:
            annex = report.assist_annex
            record = self._record_for(report)
            pages = self._render(annex, record)
            case = record._document_assignment()
            self.assertShows(
                pages,
                [
                    f"Załącznik nr {annex}",
                    TITLES[annex],
                    case.name,
                    DIACRITICS,
                    *KEY_FIELDS[annex](record),
                ],
                annex,
            )
            with self.subTest(annex=annex):
                # page numbers in the footer, the OPS letterhead in the header
                self.assertIn(f"Strona 1 / {len(pages)}", pages[0])
                self.assertIn(self.company.name, pages[0])

    def test_fonts_are_embedded(self):
        """The text is set in Open Sans (shipped with Odoo, with the Polish letters),
        embedded in the PDF: it prints the same on any computer."""
        report = self.reports.filtered(lambda report: report.assist_annex == 3)
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_user(self.head)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, self._record_for(report).ids)
        )
        fonts = {}
        for page in PdfReader(io.BytesIO(pdf)).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = (
                    font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                    if "/DescendantFonts" in font
                    else font["/FontDescriptor"]
                ).get_object()
                fonts[font["/BaseFont"]] = any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
        self.assertTrue(any("OpenSans" in name for name in fonts), fonts)
        self.assertTrue(all(fonts.values()), f"fonts not embedded: {fonts}")

    def test_long_content_flows_over_pages(self):
        case, plan = self._long_case()
        visits = case._work_log_visits()
        self.assertEqual(len(visits), 110)
        pages = self._render(8, case)
        self.assertGreater(len(pages), 3)
        for number, page in enumerate(pages, start=1):
            with self.subTest(page=number):
                # the header of the table repeats on every page
                self.assertIn("Czynności", page)
                self.assertIn(f"Strona {number} / {len(pages)}", page)
        self.assertShows(pages, ["Wizyta numer 1:", "Wizyta numer 110:", "165"], 8)

        pages = self._render(6, plan)
        self.assertGreater(len(pages), 2)
        self.assertShows(pages, ["Cel numer 1:", "Cel numer 25:", "Działanie 25.3"], 6)

    def test_empty_sections_say_so(self):
        case = self._cooperation_case()
        pages = self._render(9, case)  # no family task given yet
        self.assertShows(pages, ["Brak wpisów"], 9)
        pages = self._render(8, case)
        self.assertShows(pages, ["Brak wpisów"], 8)

    def test_work_log_for_a_period(self):
        case, _plan = self._long_case()
        visits = case._work_log_visits()
        inside, outside = visits[10], visits[50]
        data = {"date_from": inside.date, "date_to": inside.date + timedelta(days=20)}
        text = " ".join(self._render(8, case, data=data))
        self.assertIn(first_words(inside.actions_taken, 3), text)
        self.assertNotIn(first_words(outside.actions_taken, 3), text)
        self.assertIn(polish_date(inside.date), text)

    # ---------------------------------------------------------- issued documents
    def _meeting(self, case):
        return (
            self.env["assist.meeting"]
            .with_user(self.assistant)
            .create(
                {
                    "assignment_id": case.id,
                    "place": "OPS Zbąszynek",
                    "purpose": "Ustalenie wsparcia dla rodziny",
                    "findings": "Pierwsze ustalenia zespołu",
                    "participant_ids": [
                        Command.create({"name": "Jan Pedagog", "institution": "Szkoła Podstawowa"})
                    ],
                }
            )
        )

    def _issue(self, record, annex, user=None, **period):
        user = user or self.assistant
        report = self.reports.filtered(lambda report: report.assist_annex == annex)
        context = record.with_user(user).action_open_issue_wizard()["context"]
        wizard = (
            self.env["assist.document.issue"]
            .with_user(user)
            .with_context(**context)
            .create({"report_id": report.id, **period})
        )
        action = wizard.action_issue()
        return self.env["assist.issued.document"].with_user(user).browse(action["res_id"])

    def test_issued_document_is_frozen(self):
        case = self._cooperation_case()
        meeting = self._meeting(case)
        first = self._issue(meeting, 16)
        raw = first.attachment_id.raw
        self.assertEqual(first.version, 1)
        self.assertEqual(first.checksum, hashlib.sha256(raw).hexdigest())
        self.assertEqual(first.issued_by_id, self.assistant)
        attachment = first.attachment_id
        self.assertEqual((attachment.res_model, attachment.res_id), ("assist.meeting", meeting.id))
        self.assertIn("Pierwsze ustalenia zespołu", " ".join(self._pages(raw)))
        # announced in the chatter of the case (a meeting has none), with the file
        message = case.message_ids.filtered(lambda message: first.checksum in message.body)
        self.assertEqual(message.attachment_ids, first.attachment_id)
        self.assertIn("SHA-256", message.body)

        # later edits do not change the issued file
        meeting.with_user(self.assistant).write({"findings": "Nowe ustalenia zespołu"})
        self.assertEqual(first.attachment_id.raw, raw)
        self.assertEqual(hashlib.sha256(first.attachment_id.raw).hexdigest(), first.checksum)

        # issuing again makes a new version; the old one stays
        second = self._issue(meeting, 16)
        self.assertEqual(second.version, 2)
        self.assertNotEqual(second.attachment_id, first.attachment_id)
        self.assertIn("Nowe ustalenia zespołu", " ".join(self._pages(second.attachment_id.raw)))
        self.assertIn("Pierwsze ustalenia zespołu", " ".join(self._pages(first.attachment_id.raw)))
        self.assertEqual(meeting.issued_document_count, 2)
        self.assertEqual(case.issued_document_count, 2)

    def test_issued_document_cannot_be_changed_or_deleted(self):
        case = self._cooperation_case()
        issued = self._issue(case, 1)
        attachment = issued.attachment_id.with_user(self.assistant)
        raw = attachment.raw
        for user in (self.assistant, self.head):
            with self.assertRefused(AccessError, "(?i)wydan"):
                issued.with_user(user).write({"checksum": "0" * 64})
            with self.assertRaises(AccessError):
                issued.with_user(user).unlink()
        with self.assertRefused(AccessError, "(?i)wydan"):
            attachment.write({"raw": b"%PDF-1.4 forged"})
        with self.assertRefused(AccessError, "(?i)wydan"):
            attachment.unlink()
        with self.assertRefused(AccessError, "(?i)wydan"):
            attachment.sudo().unlink()
        with self.assertRefused(AccessError, "(?i)wydan"):
            issued.sudo().unlink()
        with self.assertRaises(AccessError):
            self.env["assist.issued.document"].with_user(self.assistant).create(
                {
                    "report_id": issued.report_id.id,
                    "res_model": "assist.assignment",
                    "res_id": case.id,
                    "assignment_id": case.id,
                    "attachment_id": attachment.id,
                    "checksum": "0" * 64,
                    "issued_by_id": self.assistant.id,
                }
            )
        self.assertEqual(issued.attachment_id.raw, raw)
        self.assertEqual(issued.version, 1)

    def test_who_may_issue(self):
        case = self._cooperation_case()
        # the family's worker and the head may issue too
        self.assertEqual(self._issue(case, 4, user=case.family_id.worker_id).version, 1)
        self.assertEqual(self._issue(case, 4, user=self.head).version, 2)
        # another assistant does not even see the case
        with self.assertRaises(AccessError):
            case.with_user(self.assistant2).action_open_issue_wizard()
        with self.assertRaises(AccessError):
            case.with_user(self.assistant2)._issue_document(self.reports[0])
        # an annex that does not print from this record
        diagnosis = case.assessment_ids.filtered(lambda assessment: assessment.kind == "initial")
        periodic_report = self.reports.filtered(lambda report: report.assist_annex == 7)
        with self.assertRefused(UserError, "nie jest drukowany z tego rekordu"):
            diagnosis.with_user(self.assistant)._issue_document(periodic_report)
        # the wizard's fields come from the client: only records of the procedure
        wizard = (
            self.env["assist.document.issue"]
            .with_user(self.assistant)
            .create(
                {
                    "res_model": "res.partner",
                    "res_id": self.assistant.partner_id.id,
                    "report_id": self.reports[0].id,
                }
            )
        )
        with self.assertRefused(UserError, "nie drukuje się"):
            wizard.action_issue()
        with self.assertRefused(UserError, "(?i)okres"):
            case.with_user(self.assistant)._issue_document(
                self.reports.filtered(lambda report: report.assist_annex == 8),
                date_from=fields.Date.today(),
                date_to=fields.Date.today() - timedelta(days=1),
            )
        self.assertEqual(case.issued_document_count, 2)

    def test_issue_a_work_log_for_a_period(self):
        case = self._cooperation_case()
        today = fields.Date.today()
        issued = self._issue(case, 8, date_from=today.replace(day=1), date_to=today)
        self.assertEqual((issued.date_from, issued.date_to), (today.replace(day=1), today))
        text = " ".join(self._pages(issued.attachment_id.raw))
        self.assertIn(polish_date(today.replace(day=1)), text)

    def test_anonymisation_removes_issued_documents(self):
        case = self._cooperation_case()
        issued = self._issue(case, 1)
        attachment = issued.attachment_id
        self._decide(self._head_request(case, kind="end_support", end_reason="moved_out"))
        self.assertEqual(case.state, "closed")
        case.family_id.with_user(self.head)._anonymise_family()
        self.assertFalse(issued.exists())
        self.assertFalse(attachment.exists())
