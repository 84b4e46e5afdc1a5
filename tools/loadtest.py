"""Load test of family_assistant (`make loadtest`, tools/dev.sh cmd_loadtest).

Measures how the addon holds under simultaneous users with its crons running
beside them, on Odoo run as in production (`--workers=2 --max-cron-threads=1`:
two HTTP worker processes and a cron worker) on a fresh copy of the demo database,
on the loopback:

- assistants read their cases (`search_read`), log visits (`assist.visit`
  `create`), sync visits from the phone (`POST /asystent/api/sync`, a batch sent
  again now and then: its uuids must exist once) and fill in last month's report
  (the first thing each assistant does: the run is "the 1st of the month", see
  `prepare_database`). The first 10 assistant clients are sessions on the same 3
  cases (a case has one assistant: several devices of that assistant), the others
  log in as assistants with cases of their own;
- social workers register families (`assist.family` `create`) and requests for
  them (`assist.assignment` `create`, `action_submit`) and list their requests;
  (every `create` is made as the web client's form makes it, with `web_save`:
  a plain `create` over RPC fails on the audited models, see `SimulatedUser.create`)
- heads list the cases (`web_search_read`), group them by stage
  (`web_read_group`) and open their dashboard;
- the admin triggers the deadlines and the monthly-report crons every few
  seconds, by turns through the cron worker (`nextcall` set to now) and with
  "Run manually" (`method_direct_trigger`, in an HTTP worker).

It prints the calls/s, p50/p95/max per operation and the errors by kind, then
checks in the database that every write a client was told succeeded exists
exactly once (each visit, family and request carries a unique marker in a text
field, each phone visit its uuid), that no deadline of a case has two open
activities, no case two monthly reports of a month and no activity two
escalations, and that the crons did their work (every case in work has last
month's report and its deadline). From Odoo's log it counts the crons' runs and
failures and the serialization failures Odoo retried.

One file, two parts:

- `odoo shell < tools/loadtest.py` with LOADTEST_SETUP=1 adds the users and
  their cases to the load-test database (`prepare_database`), before Odoo starts;
- `python tools/loadtest.py` runs the clients against the running Odoo (`main`).

The clients call the models through Odoo's external API, JSON-RPC `execute_kw`
on `/jsonrpc` (the password checked once per HTTP worker, then cached), and the
phone's API with the session cookie of `/web/session/authenticate`, as the phone
app does. LOADTEST_RPC=session makes the model calls as the web client does
instead (`/web/dataset/call_kw`, on the session).

Environment: LOADTEST_USERS (20), LOADTEST_SECONDS (60), LOADTEST_PAUSE (0.5: the
longest a user waits between two calls, in seconds), LOADTEST_CRON_EVERY (5 s),
LOADTEST_RPC (jsonrpc or session); set by tools/dev.sh: LOADTEST_URL, LOADTEST_DB,
LOADTEST_LOG (Odoo's log file), PGHOST/PGPORT/PGUSER (the checks read the database).
"""

import os
import random
import re
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone

import psycopg2
import requests

USERS = int(os.environ.get("LOADTEST_USERS", "20"))
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
PAUSE = float(os.environ.get("LOADTEST_PAUSE", "0.5"))
CRON_EVERY = float(os.environ.get("LOADTEST_CRON_EVERY", "5"))
RPC = os.environ.get("LOADTEST_RPC", "jsonrpc")
URL = os.environ.get("LOADTEST_URL", "http://127.0.0.1:8069")
DB = os.environ.get("LOADTEST_DB", "family_assistant_loadtest")
LOG = os.environ.get("LOADTEST_LOG", "")

# The assistant clients that log visits into the same few cases (item 2 of the
# issue: contention between users, and with the crons).
CONTENTION_SESSIONS = 10
SHARED_CASES = 3
# Cases in cooperation of each assistant who has cases of their own.
OWN_CASES = 3
# Every login of the load test starts with this (password = login, as the demo's).
PREFIX = "lt_"
CRONS = {
    "deadlines": "family_assistant.ir_cron_deadlines",
    "monthly reports": "family_assistant.ir_cron_monthly_reports",
}
# As Odoo's log names them (the server action's name, in English).
CRON_LOG_NAMES = {
    "deadlines": "Family assistant: deadlines of the procedure",
    "monthly reports": "Family assistant: draft monthly reports",
}
WORK_STATES = ("handover", "diagnosis", "cooperation", "monitoring")
TIMEOUT = 300  # s: a call slower than this is an error ("timeout")
# The kind of a refusal the user is told about and expects (not an error).
EXPECTED = "expected refusal"


def population(users):
    """How many heads, social workers and assistants the simulated users are."""
    heads = max(1, round(users * 0.15))
    workers = max(1, round(users * 0.25))
    return heads, workers, max(1, users - heads - workers)


def assistant_logins(assistants):
    """[(login, shares a case)] of the assistant clients: the first
    CONTENTION_SESSIONS are sessions of the assistants of the SHARED_CASES shared
    cases (one case each), the others each an assistant with OWN_CASES cases."""
    shared = min(CONTENTION_SESSIONS, assistants)
    return [(f"{PREFIX}asystent_w{k % SHARED_CASES + 1}", True) for k in range(shared)] + [
        (f"{PREFIX}asystent_{k + 1:02d}", False) for k in range(assistants - shared)
    ]


def last_month(today):
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


# =============================================================== setup (odoo shell)
def prepare_database(env):
    """The users of the load test and their cases, made as tools/bench.py makes
    its families (a case in cooperation for 13 weeks: a plan in force, weekly
    visits, the report of the month before last submitted), with their deadlines
    synchronised; the first case of each assistant has had no visit for 3 weeks,
    so that the first run of the deadlines cron escalates it.

    The run then starts as on the 1st of a month, before the crons ran: last
    month's report is due (its deadline is taken away again here) and has no
    draft yet. The crons and the assistants' first steps race for both."""
    from odoo import Command, fields

    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            lang="pl_PL",
        )
    )
    today = fields.Date.today()
    started = today - timedelta(weeks=13)
    worker = env.ref("family_assistant.user_pracownik")
    head = env.ref("family_assistant.user_kierownik")

    def user(login, group, name):
        existing = env["res.users"].search([("login", "=", login)])
        return existing or env["res.users"].create(
            {
                "name": name,
                "login": login,
                "password": login,
                "email": f"{login}@ops.example",
                "lang": "pl_PL",
                "tz": "Europe/Warsaw",
                "groups_id": [
                    Command.set(
                        [env.ref("base.group_user").id, env.ref(f"family_assistant.{group}").id]
                    )
                ],
            }
        )

    def cases_of(assistant, count):
        families = env["assist.family"].create(
            [
                {
                    "name": f"Testowi {assistant.login} {number}",
                    "worker_id": worker.id,
                    "street": f"ul. Obciążeniowa {number}",
                    "zip": "66-210",
                    "city": "Zbąszynek",
                    "member_ids": [
                        Command.create(
                            {
                                "name": f"Dziecko {number}",
                                "role": "child",
                                "birth_date": "2015-04-01",
                            }
                        )
                    ],
                }
                for number in range(1, count + 1)
            ]
        )
        cases = env["assist.assignment"].create(
            [
                {
                    "family_id": family.id,
                    "worker_id": worker.id,
                    "basis": "interview",
                    "grounds": "care_difficulties",
                    "interview_date": started - timedelta(days=20),
                    "request_date": started - timedelta(days=15),
                    "justification": "Trudności opiekuńczo-wychowawcze.",
                    "state": "cooperation",
                    "assistant_id": assistant.id,
                    "decision_user_id": head.id,
                    "decision_date": datetime.combine(
                        started - timedelta(days=12), datetime.min.time()
                    ),
                    "documents_date": started - timedelta(days=10),
                    "work_start_date": started - timedelta(days=5),
                    "consent_state": "given",
                    "info_card_date": started,
                    "cooperation_start_date": started,
                }
                for family in families
            ]
        )
        env["assist.plan"].create(
            [
                {
                    "assignment_id": case.id,
                    "state": "active",
                    "worker_consulted_date": started,
                    "family_agreed_date": started,
                    "goal_ids": [
                        Command.create(
                            {
                                "name": "Regularna obecność dzieci w szkole",
                                "action_ids": [
                                    Command.create(
                                        {"name": "Odprowadzanie", "expected_effect": "Frekwencja"}
                                    )
                                ],
                            }
                        )
                    ],
                }
                for case in cases
            ]
        )
        env["assist.visit"].create(
            [
                {
                    "assignment_id": case.id,
                    "user_id": assistant.id,
                    "start": datetime.combine(today - timedelta(weeks=week), datetime.min.time())
                    + timedelta(hours=9),
                    "duration": 1.5,
                    "actions_taken": "Wizyta w domu rodziny.",
                }
                for index, case in enumerate(cases)
                for week in range(4 if index == 0 else 1, 13)
            ]
        )
        env["assist.monthly.report"].create(
            [
                {
                    "assignment_id": case.id,
                    "month": last_month(last_month(today)),
                    "state": "submitted",
                }
                for case in cases
            ]
        )
        return cases

    heads, workers, assistants = population(USERS)
    for number in range(1, heads + 1):
        user(f"{PREFIX}kierownik_{number}", "group_head", f"Kierownik Testowy {number}")
    for number in range(1, workers + 1):
        user(f"{PREFIX}pracownik_{number}", "group_worker", f"Pracownik Testowy {number}")
    cases = env["assist.assignment"]
    for login, shared in dict.fromkeys(assistant_logins(assistants)):
        assistant = user(login, "group_assistant", f"Asystent Testowy {login[len(PREFIX) :]}")
        cases |= cases_of(assistant, 1 if shared else OWN_CASES)
    cases._sync_deadlines()
    # the 1st of the month: last month's report is due from today, the crons
    # have not run yet (no deadline, no draft)
    env["mail.activity"].search(
        [
            ("res_model", "=", "assist.assignment"),
            ("assist_rule_id", "=", env.ref("family_assistant.deadline_rule_monthly_report").id),
        ]
    ).unlink()
    env["ir.config_parameter"].set_param("family_assistant.deadline_cursor", 0)
    # odoo shell rolls back what a script leaves uncommitted: the users and cases
    # must be in the database the load test's Odoo serves (a tool, not the addon)
    env.cr.commit()
    print(
        f"  {heads} heads, {workers} social workers, {assistants} assistants; "
        f"{len(cases)} cases in cooperation"
    )


# =============================================================== the clients
class RpcError(Exception):
    def __init__(self, kind, message=""):
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


class Connection:
    """One user's connection to Odoo: logged in with /web/session/authenticate
    (the session cookie of the phone's API, and of `call_kw` with
    LOADTEST_RPC=session), the models called with `execute_kw` on /jsonrpc."""

    def __init__(self, login, password=None, lang="pl_PL"):
        self.http = requests.Session()
        # one request a connection, as through a reverse proxy: an Odoo worker
        # otherwise waits on an idle kept-alive connection (2 s) instead of serving
        self.http.headers["Connection"] = "close"
        self.login = login
        self.password = password or login
        self.context = {"lang": lang, "tz": "Europe/Warsaw"}
        self.uid = None
        self.ids = 0

    def authenticate(self):
        result = self._jsonrpc(
            "/web/session/authenticate",
            {"db": DB, "login": self.login, "password": self.password},
        )
        self.uid = result and result.get("uid")
        if not self.uid:
            raise RpcError("AccessDenied", f"cannot log in as {self.login}")

    def call(self, model, method, *args, **kwargs):
        """`model.method(*args, **kwargs)` as this user, in their language."""
        kwargs.setdefault("context", self.context)
        if RPC == "jsonrpc":
            return self._jsonrpc(
                "/jsonrpc",
                {
                    "service": "object",
                    "method": "execute_kw",
                    "args": [DB, self.uid, self.password, model, method, list(args), kwargs],
                },
            )
        return self._jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def post(self, path, payload):
        """A plain JSON POST (the phone's API): its decoded answer."""
        response = self._post(path, payload)
        if response.status_code != 200:
            raise RpcError(f"HTTP {response.status_code}", response.text[:200])
        return response.json()

    def _post(self, path, payload):
        try:
            return self.http.post(URL + path, json=payload, timeout=TIMEOUT)
        except requests.Timeout as error:
            raise RpcError("timeout", str(error)) from error
        except requests.ConnectionError as error:
            raise RpcError("connection error", str(error)[:200]) from error

    def _jsonrpc(self, path, params):
        self.ids += 1
        body = self.post(
            path, {"jsonrpc": "2.0", "method": "call", "params": params, "id": self.ids}
        )
        if "error" in body:
            error = body["error"]
            data = error.get("data") or {}
            kind = (data.get("name") or error.get("message") or "error").rsplit(".", 1)[-1]
            raise RpcError(kind, (data.get("message") or error.get("message") or "").strip())
        return body.get("result")


class Run:
    """What the clients share: the start, the end, the calls made, the markers of
    the writes they were told succeeded (and of every write they tried)."""

    def __init__(self):
        self.tag = f"LT-{uuid.uuid4().hex[:8]}"
        self.start = threading.Event()
        self.started = self.end = None
        self.lock = threading.Lock()
        self.calls = []  # (operation, seconds, error kind or None, message)
        self.tried = defaultdict(set)  # kind of record: markers sent
        self.acknowledged = defaultdict(set)  # kind of record: markers the server confirmed
        self.resent = Counter()  # status of the visits of the batches sent again

    def record(self, operation, seconds, kind=None, message=""):
        with self.lock:
            self.calls.append((operation, seconds, kind, message))

    def go(self):
        self.started = time.monotonic()
        self.end = self.started + SECONDS
        self.start.set()

    def running(self):
        return time.monotonic() < self.end


class SimulatedUser(threading.Thread):
    """A user of one role: calls the server as long as the run lasts, a random
    step at a time (`steps`: method name, weight), pausing up to PAUSE s."""

    role = ""
    steps = ()

    def __init__(self, run, login, name):
        super().__init__(name=name, daemon=True)
        self.run_state = run
        self.connection = Connection(login)
        self.serial = 0
        self.random = random.Random(name)

    def prepare(self):
        """Log in (before the clock starts)."""
        self.connection.authenticate()

    def run(self):
        self.run_state.start.wait()
        self.step("first_step")
        names, weights = zip(*self.steps, strict=True)
        while self.run_state.running():
            self.step(self.random.choices(names, weights)[0])
            time.sleep(self.random.uniform(0, PAUSE))

    def step(self, name):
        try:
            getattr(self, name)()
        except Exception as error:  # noqa: BLE001 - an answer the client did not expect
            self.run_state.record(f"{self.role}: {name}", 0.0, type(error).__name__, str(error))

    def first_step(self):
        pass

    def marker(self):
        self.serial += 1
        return f"{self.run_state.tag}-{self.name}-{self.serial}"

    def timed(self, operation, function, *args, expected=None, **kwargs):
        """(succeeded, result) of one call, its time and error recorded. An error
        `expected(error)` accepts is a refusal the user is told about and expects
        in that situation (recorded as such: not counted as an error)."""
        started = time.perf_counter()
        try:
            result = function(*args, **kwargs)
        except RpcError as error:
            seconds = time.perf_counter() - started
            kind = EXPECTED if expected and self.is_expected(expected, error) else error.kind
            self.run_state.record(f"{self.role}: {operation}", seconds, kind, error.message)
            return False, None
        self.run_state.record(f"{self.role}: {operation}", time.perf_counter() - started)
        return True, result

    @staticmethod
    def is_expected(expected, error):
        try:
            return expected(error)
        except RpcError:
            return False

    def call(self, operation, model, method, *args, expected=None, **kwargs):
        return self.timed(
            operation, self.connection.call, model, method, *args, expected=expected, **kwargs
        )

    def create(self, operation, model, vals, expected=None):
        """(succeeded, id) of a new record, saved as the web client's form saves
        it (`web_save`: `create`, then the record read back). Not `create` itself:
        over RPC (`call_kw`, `execute_kw`) it fails with "TypeError: create_fast()
        missing 1 required positional argument: 'vals_list'" on every model the
        audit log follows (models/auditlog_rule.py wraps auditlog's `create`
        without its `@api.model_create_multi` marker)."""
        ok, result = self.call(
            operation, model, "web_save", [], vals, specification={}, expected=expected
        )
        return ok, result and result[0]["id"]


class Assistant(SimulatedUser):
    """An assistant's session. Only the first session of an assistant writes the
    monthly reports (the office computer; the other sessions are phones)."""

    role = "assistant"
    steps = (
        ("read_cases", 30),
        ("log_visit", 35),
        ("phone_sync", 30),
        ("monthly_report", 5),
    )

    def __init__(self, run, login, name, writes_reports):
        super().__init__(run, login, name)
        if not writes_reports:
            self.steps = self.steps[:-1]
        self.writes_reports = writes_reports

    def prepare(self):
        super().prepare()
        self.cases = [
            case["id"]
            for case in self.connection.call(
                "assist.assignment",
                "search_read",
                [("assistant_id", "=", self.connection.uid), ("state", "=", "cooperation")],
                ["id"],
            )
        ]
        self.last_batch = None

    def first_step(self):
        # the 1st of the month: last month's report first, while the crons run
        if self.writes_reports:
            self.monthly_report()

    def visit_start(self):
        """When the visit was: in the last 3 days (the phone sends them late too)."""
        moment = datetime.now(timezone.utc) - timedelta(minutes=self.random.uniform(5, 3 * 24 * 60))
        return moment.strftime("%Y-%m-%d %H:%M:%S")

    def read_cases(self):
        self.call(
            "read my cases (search_read)",
            "assist.assignment",
            "search_read",
            [("assistant_id", "=", self.connection.uid)],
            ["name", "family_id", "state", "next_visit_date"],
        )

    def log_visit(self):
        marker = self.marker()
        self.run_state.tried["visit"].add(marker)
        ok, _visit_id = self.create(
            "log a visit (create)",
            "assist.visit",
            {
                "assignment_id": self.random.choice(self.cases),
                "start": self.visit_start(),
                "duration": 1.0,
                "kind": "home_visit",
                "place": "home",
                "actions_taken": marker,
            },
        )
        if ok:
            self.run_state.acknowledged["visit"].add(marker)

    def phone_sync(self):
        """A batch of 1 to 3 new visits from the phone or, one time in three,
        the last batch again (as a phone does that got no answer): it must
        create nothing."""
        resend = self.last_batch is not None and self.random.random() < 1 / 3
        if resend:
            batch, operation = self.last_batch, "assistant: phone: sync the same batch again"
        else:
            batch, operation = [], "assistant: phone: sync new visits"
            for _number in range(self.random.randint(1, 3)):
                marker = self.marker()
                batch.append(
                    {
                        "uuid": str(uuid.uuid4()),
                        "assignment_id": self.random.choice(self.cases),
                        "start": self.visit_start(),
                        "duration": 1.0,
                        "kind": "home_visit",
                        "place": "home",
                        "actions_taken": marker,
                        "next_steps": "",
                    }
                )
                self.run_state.tried["phone visit"].add(marker)
            self.last_batch = batch
        started = time.perf_counter()
        try:
            answer = self.connection.post("/asystent/api/sync", {"visits": batch})
        except RpcError as error:
            self.run_state.record(
                operation, time.perf_counter() - started, error.kind, error.message
            )
            return
        seconds = time.perf_counter() - started
        markers = {item["uuid"]: item["actions_taken"] for item in batch}
        refused = []
        for result in answer.get("results", []):
            if resend:
                with self.run_state.lock:
                    self.run_state.resent[result["status"]] += 1
            if result["status"] in ("created", "unchanged", "updated") and result.get("id"):
                self.run_state.acknowledged["phone visit"].add(markers[result["uuid"]])
            else:
                refused.append(f"{result['status']}: {result.get('message')}")
        if refused:
            self.run_state.record(operation, seconds, "refused by the phone API", refused[0])
        else:
            self.run_state.record(operation, seconds)

    def monthly_report(self):
        """Last month's report of one of the cases: made when the cron has not
        made it yet, then its summary written."""
        case = self.random.choice(self.cases)
        month = last_month(date.today()).isoformat()
        ok, reports = self.call(
            "open last month's report (search_read)",
            "assist.monthly.report",
            "search_read",
            [("assignment_id", "=", case), ("month", "=", month)],
            ["state"],
        )
        if not ok:
            return
        if reports:
            report_id = reports[0]["id"]
        else:
            ok, report_id = self.create(
                "make last month's report (create)",
                "assist.monthly.report",
                {"assignment_id": case, "month": month},
                # refused because the cron made it meanwhile: it is there now
                expected=lambda error: (
                    error.kind == "ValidationError"
                    and self.connection.call(
                        "assist.monthly.report",
                        "search_count",
                        [("assignment_id", "=", case), ("month", "=", month)],
                    )
                ),
            )
            if not ok:
                return
        if not reports or reports[0]["state"] == "draft":
            self.call(
                "write last month's report (write)",
                "assist.monthly.report",
                "write",
                [report_id],
                {"actions_summary": f"Podsumowanie ({self.name})."},
            )


class Worker(SimulatedUser):
    role = "worker"
    steps = (("register_request", 60), ("list_requests", 40))

    def register_request(self):
        """A new family, its request, submitted to the head."""
        marker = self.marker()
        self.run_state.tried["family"].add(marker)
        ok, family_id = self.create(
            "register a family (create)",
            "assist.family",
            {"name": f"Rodzina {marker[-12:]}", "city": "Zbąszynek", "housing": marker},
        )
        if not ok:
            return
        self.run_state.acknowledged["family"].add(marker)
        self.run_state.tried["request"].add(marker)
        today = date.today().isoformat()
        ok, request_id = self.create(
            "register a request (create)",
            "assist.assignment",
            {
                "family_id": family_id,
                "basis": "interview",
                "grounds": "care_difficulties",
                "interview_date": today,
                "request_date": today,
                "justification": marker,
            },
        )
        if not ok:
            return
        self.run_state.acknowledged["request"].add(marker)
        self.run_state.tried["submitted request"].add(marker)
        ok, _result = self.call(
            "submit a request (action_submit)", "assist.assignment", "action_submit", [request_id]
        )
        if ok:
            self.run_state.acknowledged["submitted request"].add(marker)

    def list_requests(self):
        self.call(
            "list my requests (search_read)",
            "assist.assignment",
            "search_read",
            [("worker_id", "=", self.connection.uid)],
            ["name", "family_id", "state", "request_date"],
            limit=80,
        )


class Head(SimulatedUser):
    role = "head"
    steps = (("list_cases", 40), ("group_by_stage", 40), ("dashboard", 20))

    def list_cases(self):
        self.call(
            "list the cases (web_search_read)",
            "assist.assignment",
            "web_search_read",
            [],
            {
                "name": {},
                "family_id": {"fields": {"display_name": {}}},
                "state": {},
                "assistant_id": {"fields": {"display_name": {}}},
                "next_visit_date": {},
            },
            limit=80,
        )

    def group_by_stage(self):
        self.call(
            "cases by stage (web_read_group)",
            "assist.assignment",
            "web_read_group",
            [],
            ["state"],
            ["state"],
        )

    def dashboard(self):
        self.call("dashboard (get_dashboard_data)", "assist.dashboard", "get_dashboard_data")


class CronTrigger(SimulatedUser):
    """The admin: every CRON_EVERY s each cron once more, by turns through the
    cron worker (`nextcall` now: the worker is woken by NOTIFY,
    ODOO_NOTIFY_CRON_CHANGES) and run manually (`method_direct_trigger`, at once,
    in an HTTP worker): the deadlines first through the cron worker, the monthly
    reports first manually, both beside the users' first steps. A cron still
    running refuses both ("busy"): that is the cron's own lock, not an error."""

    role = "admin"

    def __init__(self, run, crons):
        super().__init__(run, "admin", "admin")
        self.connection.context = {"lang": "en_US", "tz": "UTC"}
        self.crons = crons

    def run(self):
        self.run_state.start.wait()
        turn = 0
        while self.run_state.running():
            for index, (name, cron_id) in enumerate(self.crons.items()):
                if (turn + index) % 2 == 0:
                    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
                    self.call(
                        f"{name} cron for the cron worker (nextcall now)",
                        "ir.cron",
                        "write",
                        [cron_id],
                        {"nextcall": now},
                    )
                else:
                    self.call(
                        f"{name} cron run manually (method_direct_trigger)",
                        "ir.cron",
                        "method_direct_trigger",
                        [cron_id],
                    )
            turn += 1
            time.sleep(
                max(0.0, CRON_EVERY - (time.monotonic() - self.run_state.started) % CRON_EVERY)
            )

    def final_runs(self, patience=180):
        """Each cron once more after the users, waiting while the cron worker
        still runs it: the checks then see what the crons leave."""
        failures = []
        for name, cron_id in self.crons.items():
            deadline = time.monotonic() + patience
            while True:
                try:
                    self.connection.call("ir.cron", "method_direct_trigger", [cron_id])
                    break
                except RpcError as error:
                    if is_busy(error.message) and time.monotonic() < deadline:
                        time.sleep(1)
                        continue
                    failures.append(f"{name}: {error}")
                    break
        return failures


def is_busy(message):
    return "currently being executed" in message


# =============================================================== the report
def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def is_user_call(operation):
    return not operation.startswith("admin:")


def print_calls(run, elapsed):
    """The table of the calls, the errors by kind; (errors of the users, of the
    admin's cron triggers)."""
    by_operation = defaultdict(list)
    errors, refusals = Counter(), Counter()
    for operation, seconds, kind, message in run.calls:
        expected = kind == EXPECTED or (operation.startswith("admin:") and is_busy(message))
        by_operation[operation].append((seconds, kind and not expected))
        if expected:
            refusals[f"{operation}: {message[:160]}"] += 1
        elif kind:
            errors[f"{operation}: {kind}: {message[:160]}"] += 1
    user_calls = [call for call in run.calls if is_user_call(call[0])]
    print(
        f"\n{len(user_calls)} calls of the users in {elapsed:.1f} s: "
        f"{len(user_calls) / elapsed:.1f} calls/s\n"
    )
    print("| operation | calls | calls/s | p50 | p95 | max | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for operation in sorted(by_operation, key=lambda op: (not is_user_call(op), op)):
        times = [seconds * 1000 for seconds, _kind in by_operation[operation]]
        failed = sum(1 for _seconds, kind in by_operation[operation] if kind)
        print(
            f"| {operation} | {len(times)} | {len(times) / elapsed:.2f} "
            f"| {percentile(times, 0.5):.0f} ms | {percentile(times, 0.95):.0f} ms "
            f"| {max(times):.0f} ms | {failed} |"
        )
    print(
        "\nExpected refusals (not errors: last month's report made by the cron meanwhile, "
        "a cron busy when the admin triggers it):" + ("" if refusals else " none")
    )
    for text, count in refusals.most_common():
        print(f"  {count:5d}  {text}")
    print("\nErrors by kind:" + ("" if errors else " none"))
    for text, count in errors.most_common():
        print(f"  {count:5d}  {text}")
    return sum(count for text, count in errors.items() if not text.startswith("admin:")), sum(
        count for text, count in errors.items() if text.startswith("admin:")
    )


def check_writes(run, cursor):
    """Every acknowledged marker once in the database; none twice."""
    queries = {
        "visit": "SELECT actions_taken, count(*) FROM assist_visit "
        "WHERE actions_taken = ANY(%s) GROUP BY 1",
        "phone visit": "SELECT actions_taken, count(*) FROM assist_visit "
        "WHERE actions_taken = ANY(%s) GROUP BY 1",
        "family": "SELECT housing, count(*) FROM assist_family WHERE housing = ANY(%s) GROUP BY 1",
        "request": "SELECT justification, count(*) FROM assist_assignment "
        "WHERE justification = ANY(%s) GROUP BY 1",
        "submitted request": "SELECT justification, count(*) FROM assist_assignment "
        "WHERE justification = ANY(%s) AND state = 'submitted' GROUP BY 1",
    }
    ok = True
    print("\nWrites the clients were told succeeded, in the database:")
    for kind, query in queries.items():
        tried = sorted(run.tried[kind])
        cursor.execute(query, [tried])
        found = dict(cursor.fetchall())
        acknowledged = run.acknowledged[kind]
        missing = [marker for marker in acknowledged if not found.get(marker)]
        doubled = [marker for marker, count in found.items() if count > 1]
        unacknowledged = [marker for marker in found if marker not in acknowledged]
        ok = ok and not missing and not doubled
        print(
            f"  {kind}: {len(acknowledged)} acknowledged, {len(found)} found, "
            f"{len(missing)} missing, {len(doubled)} more than once, "
            f"{len(unacknowledged)} written though the client got an error"
            + (f" (e.g. {(missing + doubled)[0]})" if missing or doubled else "")
        )
    # each phone visit by its uuid too (the database refuses a uuid twice)
    print(
        "  phone batches sent again: "
        + (", ".join(f"{count} visits {status}" for status, count in run.resent.items()) or "none")
    )
    return ok


def check_crons_left_no_duplicates(cursor):
    """No deadline with two open activities, no case with two reports of a month,
    no activity escalated twice; every case in work has last month's report and
    (unless it was submitted) its deadline."""
    month = last_month(date.today())
    checks = [
        (
            "no deadline of a case with two open activities",
            """SELECT res_model, res_id, assist_rule_id, count(*) FROM mail_activity
                WHERE assist_rule_id IS NOT NULL AND active
                GROUP BY 1, 2, 3 HAVING count(*) > 1""",
            [],
        ),
        (
            "no case with two monthly reports of a month",
            """SELECT r.assignment_id, r.month, count(*),
                      string_agg(u.login || ' at ' || to_char(r.create_date, 'HH24:MI:SS.MS'),
                                 ', ' ORDER BY r.id)
                 FROM assist_monthly_report r JOIN res_users u ON u.id = r.create_uid
                GROUP BY 1, 2 HAVING count(*) > 1""",
            [],
        ),
        (
            "no activity escalated twice",
            """SELECT assist_escalation_of_id, count(*) FROM mail_activity
                WHERE assist_escalation_of_id IS NOT NULL
                GROUP BY 1 HAVING count(*) > 1""",
            [],
        ),
        (
            "every case in work has last month's report (the monthly-report cron)",
            """SELECT a.id, a.name FROM assist_assignment a
                WHERE a.state IN %s AND a.work_start_date < %s
                  AND NOT EXISTS (SELECT 1 FROM assist_monthly_report r
                                   WHERE r.assignment_id = a.id AND r.month = %s)""",
            [WORK_STATES, date.today().replace(day=1), month],
        ),
        (
            "every case in work has the deadline of last month's report (the deadlines cron)",
            """SELECT a.id, a.name FROM assist_assignment a
                WHERE a.state IN %s AND a.work_start_date < %s AND a.assistant_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM assist_monthly_report r
                                   WHERE r.assignment_id = a.id AND r.month = %s
                                     AND r.state = 'submitted')
                  AND NOT EXISTS (
                      SELECT 1 FROM mail_activity m
                        JOIN ir_model_data d ON d.model = 'assist.deadline.rule'
                                            AND d.res_id = m.assist_rule_id
                       WHERE m.res_model = 'assist.assignment' AND m.res_id = a.id AND m.active
                         AND d.module = 'family_assistant'
                         AND d.name = 'deadline_rule_monthly_report')""",
            [WORK_STATES, date.today().replace(day=1), month],
        ),
    ]
    ok = True
    for title, query, params in checks:
        cursor.execute(query, params)
        rows = cursor.fetchall()
        ok = ok and not rows
        print(f"  [{'ok' if not rows else 'FAILED'}] {title}" + (f": {rows[:5]}" if rows else ""))
    return ok


class OdooLog:
    """What Odoo's log (log level info) says of the run: the crons' runs and
    failures, their runs rolled back and run again, the serialization failures
    Odoo retried, the deadlines two transactions created at once, the phone
    visits refused on a database error, the errors (each its message and the
    last line of its traceback: the exception) and the warnings."""

    RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ ([A-Z]+) ")
    JOB = re.compile(r"Job '([^']+)' \(\d+\) (done in [\d.]+s|done$|server action #\d+ failed)")
    RETRY = re.compile(r"([A-Z_]+), \d+ tries left")
    CRON_RETRY = re.compile(r"assist\.[a-z.]+: (\w+), run again")

    def __init__(self, path):
        self.runs, self.failed, self.retried, self.cron_retries = (Counter() for _ in range(4))
        self.given_up = self.conflicts = 0
        self.errors, self.warnings, self.refused = [], [], []
        self.cron_names = {log_name: name for name, log_name in CRON_LOG_NAMES.items()}
        error = None
        with open(path, encoding="utf-8", errors="replace") as log:
            for line in log:
                line = line.rstrip()
                header = self.RECORD.match(line)
                if not header:
                    if error is not None and line.strip():
                        error[1] = line.strip()  # the traceback's last line so far
                    continue
                if error is not None:
                    self.errors.append(" → ".join(filter(None, error)))
                    error = None
                message = line.split(": ", 1)[-1][:200]
                if header.group(1) in ("ERROR", "CRITICAL"):
                    error = [message, None]
                elif header.group(1) == "WARNING":
                    self.warnings.append(message)
                self.read(line)
        if error is not None:
            self.errors.append(" → ".join(filter(None, error)))

    def read(self, line):
        job = self.JOB.search(line)
        if job and job.group(1) in self.cron_names:
            name, outcome = self.cron_names[job.group(1)], job.group(2)
            if outcome.endswith("failed"):
                self.failed[name] += 1
            else:
                self.runs[name, "manually" if outcome == "done" else "cron worker"] += 1
        for pattern, counter in ((self.RETRY, self.retried), (self.CRON_RETRY, self.cron_retries)):
            found = pattern.search(line)
            if found:
                counter[found.group(1)] += 1
        self.given_up += "maximum number of tries reached" in line
        self.conflicts += "created meanwhile by another transaction" in line
        if "Phone sync: visit" in line:
            self.refused.append(line.split(" refused: ", 1)[-1])

    def print(self):
        """Print it; whether the crons and the server had no failure."""
        print("\nFrom Odoo's log:")
        for name in CRONS:
            print(
                f"  {name} cron: {self.runs[name, 'cron worker']} runs by the cron worker, "
                f"{self.runs[name, 'manually']} run manually, {self.failed[name]} failed"
            )
        print(
            "  cron runs rolled back and run again: "
            + (", ".join(f"{n} after a {kind}" for kind, n in self.cron_retries.items()) or "none")
        )
        print(
            "  serialization failures retried by Odoo: "
            + (", ".join(f"{n} {code}" for code, n in self.retried.items()) or "none")
            + f"; given up after 5 tries: {self.given_up}"
        )
        print(
            "  deadlines created by two transactions at once, the later one left out: "
            f"{self.conflicts}"
        )
        print(f"  phone visits refused on a database error: {len(self.refused)}")
        for text, count in Counter(self.refused).most_common(3):
            print(f"    {count} × {text[:160]}")
        print(
            f"  ERROR lines: {len(self.errors)}, {len(self.ours(self.errors))} counted as failures "
            "(not counted: Odoo's own, and the queries that met a concurrent transaction, "
            "counted above where they ended)"
        )
        for text, count in Counter(self.errors).most_common(5):
            print(f"    {count} × {text}")
        print(f"  WARNING lines: {len(self.warnings)}")
        for text, count in Counter(self.warnings).most_common(3):
            print(f"    {count} × {text}")
        return not self.failed and not self.ours(self.errors) and not self.given_up

    @staticmethod
    def ours(errors):
        """The errors in this addon's code or tables (the others are Odoo's own,
        e.g. its e-mail queue cron meeting the sending of a notification). The
        query that met a concurrent transaction is not one: it is counted where
        it ends (retried by Odoo, a cron run failed, a phone visit refused)."""
        concurrency = ("could not serialize access", "deadlock detected", "could not obtain lock")
        return [
            text
            for text in errors
            if re.search(r"assist[._]|family_assistant|Family assistant", text)
            and not (text.startswith("bad query") and any(c in text for c in concurrency))
        ]


def wait_for_odoo(patience=300):
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{URL}/web/health", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise SystemExit(f"Odoo did not answer on {URL} within {patience} s")


def main():
    heads, workers, assistants = population(USERS)
    wait_for_odoo()
    run = Run()
    admin_connection = Connection("admin", lang="en_US")
    admin_connection.authenticate()
    crons = {}
    for name, xmlid in CRONS.items():
        module, xml_name = xmlid.split(".")
        [record] = admin_connection.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", xml_name)],
            ["res_id"],
        )
        crons[name] = record["res_id"]
    users = [Head(run, f"{PREFIX}kierownik_{n}", f"head{n}") for n in range(1, heads + 1)]
    users += [Worker(run, f"{PREFIX}pracownik_{n}", f"worker{n}") for n in range(1, workers + 1)]
    logins = assistant_logins(assistants)
    users += [
        Assistant(
            run,
            login,
            f"{'shared' if shared else 'own'}-assistant{n}",
            writes_reports=(login, shared) not in logins[: n - 1],
        )
        for n, (login, shared) in enumerate(logins, 1)
    ]
    shared_sessions = sum(1 for _login, shared in assistant_logins(assistants) if shared)
    print(
        f"Load test: {USERS} users ({assistants} assistants, {shared_sessions} of them "
        f"sessions on {min(SHARED_CASES, shared_sessions)} shared cases; {workers} social "
        f"workers; {heads} heads) for {SECONDS:.0f} s, pausing 0-{PAUSE} s between calls, "
        f"RPC: {RPC}; the crons triggered every {CRON_EVERY:.0f} s; {URL}, database {DB}"
    )
    print("Logging the users in...", flush=True)
    for user in users:
        user.prepare()
    trigger = CronTrigger(run, crons)
    trigger.prepare()
    for thread in [*users, trigger]:
        thread.start()
    print(f"Running for {SECONDS:.0f} s...", flush=True)
    run.go()
    for thread in [*users, trigger]:
        thread.join()
    elapsed = time.monotonic() - run.started
    print("Each cron once more after the users (waiting for the cron worker)...", flush=True)
    final_failures = trigger.final_runs()

    user_errors, admin_errors = print_calls(run, elapsed)
    if LOG and os.path.exists(LOG):
        log_ok = OdooLog(LOG).print()
    else:
        log_ok = True
        print("\nOdoo's log: not read (LOADTEST_LOG not set)")
    with psycopg2.connect(dbname=DB) as database, database.cursor() as cursor:
        writes_ok = check_writes(run, cursor)
        print("\nThe crons beside the users:")
        crons_ok = check_crons_left_no_duplicates(cursor)
    for failure in final_failures:
        print(f"  [FAILED] the last run of the {failure}")
    checks = {
        "no error seen by a user": not user_errors,
        "every acknowledged write exists exactly once": writes_ok,
        "no duplicate and nothing missing after the crons": crons_ok,
        "no cron failed (admin's calls and Odoo's log)": log_ok
        and not admin_errors
        and not final_failures,
    }
    print("\nChecks:")
    for title, passed in checks.items():
        print(f"  [{'ok' if passed else 'FAILED'}] {title}")
    print("PASSED" if all(checks.values()) else "FAILED")
    return 0 if all(checks.values()) else 1


if os.environ.get("LOADTEST_SETUP"):
    prepare_database(env)  # noqa: F821 (odoo shell < tools/loadtest.py)
elif __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nInterrupted: no figures.")
        sys.exit(130)
