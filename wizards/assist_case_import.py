import base64
import csv
import io
import logging
import time
import zipfile
from collections import defaultdict
from datetime import date, datetime
from datetime import time as day_time

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ..models.access_policy import INPUT
from ..models.assist_assignment import BASES_WITHOUT_INTERVIEW
from ..models.assist_guard_mixin import text_html
from ..models.assist_head_request import MONITORING_MONTHS
from ..models.stages import ACTIVE_STATES, COURT_END_REASONS, OPEN_STATES

_logger = logging.getLogger(__name__)

TEMPLATE_URL = "/family_assistant/static/xls/import_spraw_w_toku.xlsx"

# The columns of the file of cases: (key, header of the template, kind). A header
# is recognised whatever its case, spaces, quotes or a "*"; the key is recognised
# too. A key that is a field of assist.assignment gives that field its value.
COLUMNS = (
    ("family", "Rodzina", "text"),
    ("assistant", "Asystent rodziny (login)", "text"),
    ("worker", "Pracownik socjalny (login)", "text"),
    ("state", "Etap", "selection"),
    ("basis", "Podstawa", "selection"),
    ("grounds", "Przesłanki", "selection"),
    ("request_date", "Data wniosku", "date"),
    ("interview_date", "Data wywiadu środowiskowego", "date"),
    ("referring_institution", "Instytucja zgłaszająca", "text"),
    ("court_name", "Sąd", "text"),
    ("court_case_number", "Sygnatura akt", "text"),
    ("court_order_date", "Data postanowienia sądu", "date"),
    ("court_info_received_date", "Data wpływu informacji z sądu", "date"),
    ("za_zyciem_category", "Kategoria „Za życiem”", "selection"),
    ("expected_birth_date", "Przewidywana data porodu", "date"),
    ("children_in_foster_care", "Dzieci w pieczy zastępczej", "bool"),
    ("justification", "Uzasadnienie", "text"),
    ("decision_date", "Data decyzji kierownika", "date"),
    ("documents_date", "Data przekazania dokumentów", "date"),
    ("work_start_date", "Data pierwszego spotkania", "date"),
    ("consent_date", "Data zgody rodziny", "date"),
    ("info_card_date", "Data karty informacyjnej", "date"),
    ("cooperation_start_date", "Data rozpoczęcia współpracy", "date"),
    ("extended", "Współpraca przedłużona do 3 lat", "bool"),
    ("monitoring_start_date", "Data rozpoczęcia monitoringu", "date"),
    ("end_reason", "Powód zakończenia wsparcia", "selection"),
    ("monitoring_months", "Miesiące monitoringu", "int"),
    ("old_number", "Dotychczasowy numer sprawy", "text"),
)
HEADERS = {key: header for key, header, _kind in COLUMNS}
KINDS = {key: kind for key, _header, kind in COLUMNS}
REQUIRED_COLUMNS = ("family", "assistant", "state", "request_date")
# dates that may lie ahead (access_policy.FUTURE_DATES of the assignment)
FUTURE_DATE_COLUMNS = ("expected_birth_date",)

# What a case at each stage of work has: the values it must have, and those it may
# have; the values of later steps are refused (a stage is a promise of its dates).
STEP_VALUES = (
    "decision_date",
    "documents_date",
    "work_start_date",
    "consent_date",
    "info_card_date",
    "cooperation_start_date",
    "extended",
    "monitoring_start_date",
    "end_reason",
    "monitoring_months",
)
STAGE_REQUIRED = {
    "approved": ("decision_date",),
    "handover": ("decision_date", "documents_date"),
    "diagnosis": ("decision_date", "documents_date", "work_start_date"),
    "cooperation": (
        "decision_date",
        "documents_date",
        "work_start_date",
        "cooperation_start_date",
    ),
    # support may end from the handover on (annex 10): before the first meeting too
    "monitoring": ("decision_date", "documents_date", "monitoring_start_date", "end_reason"),
}
STAGE_OPTIONAL = {
    "approved": (),
    "handover": (),
    "diagnosis": ("consent_date", "info_card_date"),
    "cooperation": ("consent_date", "info_card_date", "extended"),
    "monitoring": (
        "work_start_date",
        "consent_date",
        "info_card_date",
        "cooperation_start_date",
        "monitoring_months",
    ),
}
# The dates of the steps, in the order the steps are taken.
DATE_ORDER = (
    "request_date",
    "decision_date",
    "documents_date",
    "work_start_date",
    "consent_date",
    "info_card_date",
    "cooperation_start_date",
    "monitoring_start_date",
)
# End reasons after which the assistant's monitoring has no number of months: the
# area social worker monitors (point 14), or the family moved out.
NO_MONTHS_END_REASONS = (*COURT_END_REASONS, "moved_out")

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y.%m.%d", "%Y/%m/%d")
YES = {"tak", "t", "yes", "y", "true", "1", "x", "prawda"}
NO = {"nie", "n", "no", "false", "0", "fałsz"}


def _norm(text):
    """A header or a choice as it is compared: case, spaces, quotes and "*" aside."""
    for char in "*\"'„”“«»":
        text = text.replace(char, "")
    return " ".join(text.split()).casefold()


class AssistCaseImport(models.TransientModel):
    """The head of an OPS that starts with the addon brings its open cases (issue 16):
    one row of an XLSX or CSV file per case, in work at one of the stages from the
    assignment of an assistant to monitoring, with the dates of its steps.

    Every row is checked first (its family, assistant and social worker, its stage
    and the dates that stage has, their order, the basis of the request, one open
    case per family, the assistants' limit of families); every bad row is listed
    with its number and the reasons, and then nothing is written. When all rows are
    right, the cases are made in one `create`, as the procedure would have left them
    (states and dates of the steps, the head's decision), with a message on each
    saying where they came from, and their deadlines. Head only: access rights on
    this model and `_check_head`.
    """

    _name = "assist.case.import"
    _inherit = ["assist.onchange.mixin"]
    _description = "Import of cases in progress"

    file = fields.Binary(string="File", attachment=False, help="XLSX or CSV, one row per case.")
    file_name = fields.Char()
    state = fields.Selection(
        [("upload", "To check"), ("valid", "Ready to import"), ("errors", "Errors found")],
        default="upload",
        required=True,
    )
    row_count = fields.Integer(string="Rows", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    result_html = fields.Html(string="Result of the check", readonly=True, sanitize=True)

    @api.onchange("file")
    def _onchange_file(self):
        self.state = "upload"
        self.result_html = False

    # ------------------------------------------------------------ the buttons
    def action_download_template(self):
        return {"type": "ir.actions.act_url", "url": TEMPLATE_URL, "target": "download"}

    def action_check(self):
        """Check every row and list what is wrong; nothing is imported."""
        self.ensure_one()
        self._check_head()
        wizard = self._in_user_language()
        rows, errors = wizard._validate()
        wizard._show_result(rows, errors)
        return self._reopen()

    def action_import(self):
        """Check every row; when all are right, make the cases, else list the errors
        and make nothing."""
        self.ensure_one()
        self._check_head()
        started = time.monotonic()
        wizard = self._in_user_language()
        rows, errors = wizard._validate()
        if errors:
            wizard._show_result(rows, errors)
            return self._reopen()
        cases = wizard._create_cases(rows)
        _logger.info(
            "Imported %s cases from %s in %.1f s",
            len(cases),
            self.file_name,
            time.monotonic() - started,
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Imported cases"),
            "res_model": "assist.assignment",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", cases.ids)],
            "target": "main",
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Import cases in progress"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _in_user_language(self):
        """Messages, labels and dates in the head's language, also over RPC without
        a language in the context (they are written into the cases' history)."""
        return self.with_context(lang=self.env.lang or self.env.user.lang or "en_US")

    def _check_head(self):
        """The head of the OPS imports cases: over RPC too, whatever the access rights."""
        if not self.env.user.has_group("family_assistant.group_head"):
            raise AccessError(_("Only the head of the OPS imports cases."))

    def _show_result(self, rows, errors):
        if errors:
            bad_rows = len({number for number, _message in errors})
            summary = _(
                "%(bad)s of %(count)s rows have errors: nothing was imported. Correct the "
                "file and check it again.",
                bad=bad_rows,
                count=len(rows) + bad_rows,
            )
            lines = Markup("").join(Markup("<li>%s</li>") % message for _number, message in errors)
            html = Markup('<p class="text-danger">%s</p><ul>%s</ul>') % (summary, lines)
        else:
            html = Markup('<p class="text-success">%s</p>') % _(
                "All %(count)s rows are correct: click Import to make the cases.",
                count=len(rows),
            )
        self.write(
            {
                "state": "errors" if errors else "valid",
                "row_count": len(rows) + len({number for number, _message in errors}),
                "error_count": len(errors),
                "result_html": html,
            }
        )

    # ------------------------------------------------------------ reading the file
    def _read_table(self):
        """[(row number, [cell values])] of the file's first sheet, empty rows left
        out (their numbers kept: an error names the row of the file)."""
        if not self.file:
            raise UserError(_("Choose the file to import."))
        raw = base64.b64decode(self.file)
        try:
            if zipfile.is_zipfile(io.BytesIO(raw)):
                table = self._read_xlsx(raw)
            else:
                table = self._read_csv(raw)
        except Exception as error:  # whatever the reader says, in Polish
            _logger.info("Unreadable file %s: %s", self.file_name, error)
            raise UserError(
                _(
                    "The file could not be read (%(error)s). Save it as XLSX or CSV from the "
                    "template and try again.",
                    error=error,
                )
            ) from error
        return [
            (number, cells)
            for number, cells in table
            if any(cell not in (None, "") and str(cell).strip() for cell in cells)
        ]

    @staticmethod
    def _read_xlsx(raw):
        from openpyxl import load_workbook  # Odoo's own requirement (base_import)

        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        table = list(enumerate(sheet.iter_rows(values_only=True), 1))
        book.close()
        return table

    @staticmethod
    def _read_csv(raw):
        for encoding in ("utf-8-sig", "cp1250"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        first = text.split("\n", 1)[0]
        delimiter = max(";,\t", key=first.count)
        return list(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1))

    def _read_rows(self):
        """[(row number, {column key: cell})] of the file, or raises the errors of
        its header: a column that is missing or unknown."""
        table = self._read_table()
        if not table:
            raise UserError(_("The file is empty."))
        _header_number, header = table[0]
        known = {}
        for key, title, _kind in COLUMNS:
            known[_norm(title)] = key
            known[_norm(key)] = key
        columns, unknown = {}, []
        for index, cell in enumerate(header):
            title = str(cell or "").strip()
            if not title:
                continue
            key = known.get(_norm(title))
            if key:
                columns[index] = key
            else:
                unknown.append(title)
        problems = []
        for key in REQUIRED_COLUMNS:
            if key not in columns.values():
                problems.append(_("The file has no column %(column)s.", column=HEADERS[key]))
        for title in unknown:
            problems.append(
                _("Unknown column %(column)s: use the columns of the template.", column=title)
            )
        if problems:
            raise UserError("\n".join(problems))
        rows = [
            (number, {key: cells[index] for index, key in columns.items() if index < len(cells)})
            for number, cells in table[1:]
        ]
        if not rows:
            raise UserError(_("The file has no case under its header row."))
        return rows

    # ------------------------------------------------------------ values of a row
    def _choices(self):
        """{field: {key or label in any installed language, compared: key}} of the
        choices of the file."""
        Assignment = self.env["assist.assignment"]
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        choices = {}
        for key in ("state", "basis", "grounds", "za_zyciem_category", "end_reason"):
            field = Assignment._fields[key]
            options = {}
            for lang in ("en_US", *langs):
                for value, label in field._description_selection(
                    Assignment.with_context(lang=lang).env
                ):
                    options[_norm(label)] = value
                    options[_norm(value)] = value
            choices[key] = options
        return choices

    def _parse_row(self, cells, choices):
        """({column key: value}, [errors]) of one row: dates, numbers, choices."""
        # the keys of the cells given but wrong: said once, not again as missing
        values, errors = {"_invalid": set()}, []
        today = fields.Date.context_today(self)
        for key, cell in cells.items():
            value, error = self._parse_cell(key, cell, choices)
            if not error and isinstance(value, date):
                error = self._check_date_window(key, value, today)
            if error:
                errors.append(error)
                values["_invalid"].add(key)
                continue
            values[key] = value
        return values, errors

    @staticmethod
    def _given(values, key):
        """Whether the row gives `key` (a wrong value counts: it is said already)."""
        return values.get(key) not in (None, False) or key in values["_invalid"]

    def _parse_cell(self, key, cell, choices):
        """(value, error) of a cell; an empty cell is None."""
        if isinstance(cell, datetime):
            cell = cell.date()
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return None, None
        kind, column = KINDS[key], HEADERS[key]
        if kind == "date":
            return self._parse_date(cell, column)
        text = cell if isinstance(cell, str) else str(cell)
        if isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        text = text.strip()
        if kind == "bool":
            if _norm(text) in YES:
                return True, None
            if _norm(text) in NO:
                return False, None
            return None, _(
                '%(column)s: write "tak" or "nie", not %(value)s.', column=column, value=text
            )
        if kind == "int":
            try:
                return int(float(text.replace(",", "."))), None
            except ValueError:
                return None, _("%(column)s: %(value)s is not a number.", column=column, value=text)
        if kind == "selection":
            value = choices[key].get(_norm(text))
            if not value:
                return None, _(
                    "%(value)s is not a valid value of %(field)s.", value=text, field=column
                )
            return value, None
        if len(text) > INPUT["text_max" if key == "justification" else "char_max"]:
            return None, _(
                "%(field)s is too long: at most %(max)s characters.",
                field=column,
                max=INPUT["text_max" if key == "justification" else "char_max"],
            )
        return text, None

    def _parse_date(self, cell, column):
        if isinstance(cell, date):
            return cell, None
        text = str(cell).strip()
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(text, pattern).date(), None
            except ValueError:
                continue
        return None, _(
            "%(column)s: %(value)s is not a date; write it as 31.12.2025.",
            column=column,
            value=text,
        )

    def _check_date_window(self, key, day, today):
        labels = {"field": HEADERS[key], "date": format_date(self.env, day)}
        if day < INPUT["earliest_date"]:
            return _(
                "%(field)s: %(date)s is too early; the earliest possible date is %(earliest)s.",
                earliest=format_date(self.env, INPUT["earliest_date"]),
                **labels,
            )
        if key not in FUTURE_DATE_COLUMNS and day > today:
            return _("%(field)s: %(date)s is a date in the future.", **labels)
        return None

    # ------------------------------------------------------------ the rules of a row
    def _check_values(self, values):
        """Errors of one row's values among themselves: what its stage has, the
        order of the dates, what its basis needs."""
        errors = []
        for key in REQUIRED_COLUMNS:
            if not self._given(values, key):
                errors.append(_("%(column)s is empty: fill it in.", column=HEADERS[key]))
        state = values.get("state")
        if state:
            errors += self._check_stage(state, values)
        errors += self._check_order(values)
        errors += self._check_basis(values)
        return errors

    def _check_stage(self, state, values):
        labels = dict(
            self.env["assist.assignment"]._fields["state"]._description_selection(self.env)
        )
        if state not in ACTIVE_STATES:
            return [
                _(
                    "Only cases in work are imported: the stage is one of %(stages)s.",
                    stages=", ".join(labels[key] for key in ACTIVE_STATES),
                )
            ]
        errors = []
        required, optional = STAGE_REQUIRED[state], STAGE_OPTIONAL[state]
        for key in STEP_VALUES:
            present = self._given(values, key)
            if key in required and not present:
                errors.append(
                    _(
                        'At the stage "%(stage)s" the case has %(column)s: fill it in.',
                        stage=labels[state],
                        column=HEADERS[key],
                    )
                )
            elif present and key not in required and key not in optional:
                errors.append(
                    _(
                        'At the stage "%(stage)s" the case has no %(column)s yet: leave it '
                        "empty or correct the stage.",
                        stage=labels[state],
                        column=HEADERS[key],
                    )
                )
        if state == "monitoring":
            errors += self._check_monitoring(values)
        if values.get("consent_date") and not self._given(values, "work_start_date"):
            errors.append(
                _(
                    "%(consent)s without %(meeting)s: the family consents at the first "
                    "meeting or after it.",
                    consent=HEADERS["consent_date"],
                    meeting=HEADERS["work_start_date"],
                )
            )
        return errors

    def _check_monitoring(self, values):
        reason, months = values.get("end_reason"), values.get("monitoring_months")
        low, high = MONITORING_MONTHS
        if reason in COURT_END_REASONS and months:
            return [
                _(
                    "After this end of support the area social worker monitors the family, "
                    "without a number of months (point 14): leave %(column)s empty.",
                    column=HEADERS["monitoring_months"],
                )
            ]
        if (
            reason
            and reason not in NO_MONTHS_END_REASONS
            and not self._given(values, "monitoring_months")
        ):
            return [_("%(column)s is empty: fill it in.", column=HEADERS["monitoring_months"])]
        if months and not low <= months <= high:
            return [
                _(
                    "Monitoring lasts from %(low)s to %(high)s months (point 10.3).",
                    low=low,
                    high=high,
                )
            ]
        return []

    def _check_order(self, values):
        """The dates of the steps are in the order the steps are taken."""
        errors, earlier = [], None
        for key in DATE_ORDER:
            day = values.get(key)
            if not day:
                continue
            if earlier and day < values[earlier]:
                errors.append(
                    _(
                        "%(later)s (%(later_date)s) is before %(earlier)s (%(earlier_date)s): "
                        "the dates of the steps are out of order.",
                        later=HEADERS[key],
                        later_date=format_date(self.env, day),
                        earlier=HEADERS[earlier],
                        earlier_date=format_date(self.env, values[earlier]),
                    )
                )
            earlier = key
        return errors

    def _check_basis(self, values):
        """What the request needs on its basis (the constraints of the assignment)."""
        if "basis" in values["_invalid"]:
            return []  # an unknown basis is said already
        basis = values.get("basis") or "interview"
        errors = []
        if basis not in BASES_WITHOUT_INTERVIEW and not self._given(values, "interview_date"):
            errors.append(
                _(
                    "Enter the date of the community interview: a request on this basis is "
                    "made after the interview."
                )
            )
        if basis in ("interview", "reinclusion") and not self._given(values, "grounds"):
            errors.append(_("Choose the grounds of the request (point 1 of the procedure)."))
        if basis == "court" and not all(
            self._given(values, key)
            for key in ("court_name", "court_case_number", "court_info_received_date")
        ):
            errors.append(
                _(
                    "A court-ordered assignment needs the court, the case number and the date "
                    "the court's information was received."
                )
            )
        if basis == "za_zyciem" and not self._given(values, "za_zyciem_category"):
            errors.append(_('Choose why the family is entitled under the "Za życiem" act.'))
        return errors

    # ------------------------------------------------------------ the records named
    def _find_families(self, references):
        """{reference: families} for the references of the file: the external ID
        the import of families gave them ("rodzina_12" or "__import__.rodzina_12")
        or the name; only families the head reads (their OPS)."""
        Family = self.env["assist.family"].with_context(active_test=False)
        found = defaultdict(lambda: Family.browse())
        names = {reference.rpartition(".")[2] for reference in references}
        # sudo: external IDs are looked up by name; the families found are then
        # filtered by what the head may read
        xmlids = (
            self.env["ir.model.data"]
            .sudo()
            .search_fetch(
                [("model", "=", "assist.family"), ("name", "in", list(names))],
                ["module", "name", "res_id"],
            )
        )
        by_xmlid = {}
        for data in xmlids:
            by_xmlid.setdefault(data.name, set()).add(data.res_id)
            by_xmlid.setdefault(f"{data.module}.{data.name}", set()).add(data.res_id)
        ids = {res_id for res_ids in by_xmlid.values() for res_id in res_ids}
        readable = Family.browse(ids)._filtered_access("read")
        for reference in references:
            found[reference] |= readable.filtered(
                lambda f, r=reference: f.id in by_xmlid.get(r, ())
            )
        named = Family.search_fetch(
            [("name", "in", [r for r in references if not found[r]])],
            ["name", "company_id", "worker_id", "active", "anonymised", "difficulty"],
        )
        for family in named:
            found[family.name] |= family
        return found

    def _find_users(self, logins):
        """{login: user} of the logins of the file (archived users too, to say so)."""
        # sudo: a login names a colleague; only the users named in the file are read
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([("login", "in", list(logins))], ["login", "name", "active"])
        )
        return {user.login: user for user in users}

    def _check_family(self, reference, families):
        if not families:
            return None, _(
                "No family %(family)s in your OPS: import the families first, or give "
                "the external ID of the family import.",
                family=reference,
            )
        if len(families) > 1:
            return None, _(
                "%(count)s families are named %(family)s: give the external ID of the "
                "family import instead of the name.",
                count=len(families),
                family=reference,
            )
        family = families
        if family.anonymised:
            return None, _("The family %(family)s is anonymised.", family=family.name)
        if not family.active:
            return None, _("The family %(family)s is archived.", family=family.name)
        return family, None

    def _check_user(self, login, users, group, company):
        """(user, error): the login of an active user of `group` in the OPS."""
        user = users.get(login)
        if not user or not user.active:
            return None, _("No active user with the login %(login)s.", login=login)
        if not user.has_group(group):
            message = {
                "family_assistant.group_assistant": _(
                    "%(user)s is not a family assistant.", user=user.name
                ),
                "family_assistant.group_worker": _(
                    "%(user)s is not a social worker.", user=user.name
                ),
            }[group]
            return None, message
        if company not in user.company_ids:
            return None, _("%(user)s does not work for %(ops)s.", user=user.name, ops=company.name)
        return user, None

    # ------------------------------------------------------------ the whole file
    def _validate(self):
        """([rows ready to make], [(row number, error)]) of the file. A row ready to
        make: {"number", "values", "family", "assistant", "worker"}."""
        rows = self._read_rows()
        choices = self._choices()
        parsed, errors = [], []
        for number, cells in rows:
            values, row_errors = self._parse_row(cells, choices)
            row_errors += self._check_values(values)
            parsed.append({"number": number, "values": values, "errors": row_errors})
        self._resolve_records(parsed)
        self._check_caseloads(parsed)
        ready = []
        for row in parsed:
            if row["errors"]:
                # (a loop, not a comprehension: _() finds the language in its caller)
                for error in row["errors"]:
                    errors.append(
                        (row["number"], _("Row %(row)s: %(error)s", row=row["number"], error=error))
                    )
            else:
                ready.append(row)
        return ready, errors

    def _resolve_records(self, rows):
        """The family, assistant and social worker of each row, in a few queries."""
        references = {row["values"]["family"] for row in rows if row["values"].get("family")}
        logins = {
            row["values"][key]
            for row in rows
            for key in ("assistant", "worker")
            if row["values"].get(key)
        }
        families = self._find_families(references) if references else {}
        users = self._find_users(logins) if logins else {}
        # sudo: one open case per family, whoever may read which case
        open_cases = {
            case.family_id.id: case.name
            for case in self.env["assist.assignment"]
            .sudo()
            .search_fetch(
                [
                    ("family_id", "in", [f.id for fams in families.values() for f in fams]),
                    ("state", "in", OPEN_STATES),
                ],
                ["family_id", "name"],
            )
        }
        seen = {}
        for row in rows:
            values = row["values"]
            reference = values.get("family")
            if not reference:
                continue
            family, error = self._check_family(reference, families[reference])
            if error:
                row["errors"].append(error)
                continue
            row["family"] = family
            if family.id in seen:
                row["errors"].append(
                    _(
                        "The family %(family)s is already in row %(row)s of this file.",
                        family=family.name,
                        row=seen[family.id],
                    )
                )
            seen.setdefault(family.id, row["number"])
            if family.id in open_cases:
                row["errors"].append(
                    _(
                        "The family %(family)s already has an open case %(case)s.",
                        family=family.name,
                        case=open_cases[family.id],
                    )
                )
            for key, group in (
                ("assistant", "family_assistant.group_assistant"),
                ("worker", "family_assistant.group_worker"),
            ):
                if values.get(key):
                    user, error = self._check_user(values[key], users, group, family.company_id)
                    row[key] = user
                    if error:
                        row["errors"].append(error)
            if not values.get("worker"):
                row["worker"] = family.worker_id

    def _check_caseloads(self, rows):
        """No assistant over the limit of families of the OPS (a difficult family
        counts twice), counting their cases in work and the rows before."""
        weighed = [
            row for row in rows if row.get("assistant") and row.get("family") and not row["errors"]
        ]
        assistants = self.env["res.users"].browse({row["assistant"].id for row in weighed})
        caseloads = self.env["assist.assignment"]._caseloads(assistants)
        for row in weighed:
            values = row["values"]
            if values.get("state") not in ACTIVE_STATES or self._monitored_by_worker(values):
                continue
            assistant, family = row["assistant"], row["family"]
            weight = 2 if family.difficulty == "high" else 1
            caseload = caseloads.get(assistant.id, 0)
            limit = family.company_id.assist_max_families
            if caseload + weight > limit:
                row["errors"].append(
                    _(
                        "%(user)s already works with %(caseload)s families (a difficult family "
                        "counts twice); the limit is %(limit)s. Choose another assistant.",
                        user=assistant.name,
                        caseload=caseload,
                        limit=limit,
                    )
                )
            else:
                caseloads[assistant.id] = caseload + weight

    @staticmethod
    def _monitored_by_worker(values):
        return values.get("state") == "monitoring" and values.get("end_reason") in COURT_END_REASONS

    # ------------------------------------------------------------ making the cases
    def _create_cases(self, rows):
        """The cases of the rows, as the procedure would have left them, in one
        `create`; then their messages, followers and deadlines."""
        self._check_head()
        families = self.env["assist.family"].browse([row["family"].id for row in rows])
        if families._filtered_access("read") != families:
            raise AccessError(_("Only the head of the OPS imports cases."))
        vals_list = [self._case_vals(row) for row in rows]
        # sudo: the stages, the decision and the dates of the steps are the server's;
        # written here only after the head's checks above and every row's.
        Assignment = (
            self.env["assist.assignment"]
            .sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True)
        )
        try:
            with self.env.cr.savepoint():
                cases = Assignment.create(vals_list)
        except ValidationError as error:
            raise UserError(_("Nothing was imported: %(error)s", error=error.args[0])) from error
        cases._message_log_batch(
            bodies={
                case.id: self._case_message(case, row)
                for case, row in zip(cases, rows, strict=True)
            }
        )
        followers = defaultdict(list)
        for case in cases:
            for user in case.assistant_id | case.worker_id:
                followers[user.partner_id.id].append(case.id)
        for partner_id, case_ids in followers.items():
            cases.browse(case_ids).message_subscribe(partner_ids=[partner_id])
        # the deadlines the steps would have started (sudo, as after each step)
        self.env["assist.assignment"].sudo().browse(cases.ids)._sync_deadlines()
        return cases.with_env(self.env)

    def _case_vals(self, row):
        values = row["values"]
        state = values["state"]
        by_worker = self._monitored_by_worker(values)
        vals = {
            key: values.get(key) or False
            for key in (
                "basis",
                "grounds",
                "request_date",
                "interview_date",
                "referring_institution",
                "court_name",
                "court_case_number",
                "court_order_date",
                "court_info_received_date",
                "za_zyciem_category",
                "expected_birth_date",
                "justification",
                "documents_date",
                "work_start_date",
                "info_card_date",
                "cooperation_start_date",
                "monitoring_start_date",
                "end_reason",
            )
        }
        vals.update(
            {
                "basis": values.get("basis") or "interview",
                "children_in_foster_care": bool(values.get("children_in_foster_care")),
                "family_id": row["family"].id,
                "worker_id": row["worker"].id,
                "assistant_id": row["assistant"].id,
                "state": state,
                "submit_date": self._moment(values["request_date"]),
                "decision_user_id": self.env.uid,
                "decision_date": self._moment(values["decision_date"]),
                "help_plan_date": values["decision_date"],
                "consent_state": "given" if values.get("work_start_date") else "none",
                "cooperation_years": 3 if values.get("extended") else 2,
                "extension_reason": _("Extended to 3 years before the case was imported.")
                if values.get("extended")
                else False,
            }
        )
        if state == "monitoring":
            vals["monitoring_by"] = "worker" if by_worker else "assistant"
            vals["monitoring_months"] = 0 if by_worker else values.get("monitoring_months") or 0
        return vals

    @staticmethod
    def _moment(day):
        """A moment of the day for a date-and-time field: noon, never later than now."""
        return min(datetime.combine(day, day_time(12)), fields.Datetime.now())

    def _case_message(self, case, row):
        values = row["values"]
        stage = case._fields["state"].convert_to_export(case.state, case)
        parts = [
            _(
                "Imported from %(file)s (row %(row)s) by %(user)s: the case was at the stage "
                '"%(stage)s" when the OPS started to keep it in the system.',
                file=self.file_name or _("a file"),
                row=row["number"],
                user=self.env.user.name,
                stage=stage,
            )
        ]
        if values.get("old_number"):
            parts.append(_("Former case number: %(number)s.", number=values["old_number"]))
        if values.get("consent_date"):
            parts.append(
                _(
                    "The family consented to the cooperation on %(date)s.",
                    date=format_date(self.env, values["consent_date"]),
                )
            )
        return text_html(" ".join(parts))
