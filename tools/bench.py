"""Benchmark of the scheduled actions, the head's dashboard and the assignments
list, for growing numbers of families, and of the rendering of each of the 16
documents (`make bench`, run through `odoo shell`).

Generates families with a realistic history (a case in cooperation, weekly
visits for 8 weeks, a plan, last month's report) in the bench database, then
measures time and SQL queries. Environment: BENCH_SIZES ("1000 10000"),
BENCH_OUT (a Markdown file for the results).
"""

import os
import time
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000 10000").split()]
BATCH = 1000
WEEKS_OF_VISITS = 8
FAMILIES_PER_ASSISTANT = 12

bench_env = env(  # noqa: F821 (odoo shell)
    context=dict(
        env.context,  # noqa: F821
        tracking_disable=True,
        mail_create_nolog=True,
        mail_notrack=True,
        lang="pl_PL",
    )
)
today = fields.Date.context_today(bench_env["res.users"])
company = bench_env.company
company.assist_max_families = 15
# the audit log is for people, not for generated data
bench_env["auditlog.rule"].search([]).unsubscribe()


def user(login, group):
    existing = bench_env["res.users"].search([("login", "=", login)])
    return existing or bench_env["res.users"].create(
        {
            "name": login,
            "login": login,
            "groups_id": [Command.set([bench_env.ref(f"family_assistant.{group}").id])],
        }
    )


head = user("bench_head", "group_head")
worker = user("bench_worker", "group_worker")


def generate(start, stop):
    for first in range(start, stop, BATCH):
        last = min(first + BATCH, stop)
        assistants = [
            user(f"bench_assistant_{i // FAMILIES_PER_ASSISTANT}", "group_assistant")
            for i in range(first, last)
        ]
        families = bench_env["assist.family"].create(
            [
                {
                    "name": f"Rodzina {i}",
                    "worker_id": worker.id,
                    "member_ids": [
                        Command.create(
                            {
                                "name": f"Dziecko {i}",
                                "role": "child",
                                "birth_date": today - timedelta(days=2000 + i % 3000),
                            }
                        )
                    ],
                }
                for i in range(first, last)
            ]
        )
        started = today - timedelta(weeks=WEEKS_OF_VISITS + 1)
        cases = bench_env["assist.assignment"].create(
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
                for family, assistant in zip(families, assistants, strict=True)
            ]
        )
        bench_env["assist.plan"].create(
            [
                {
                    "assignment_id": case.id,
                    "state": "active",
                    "worker_consulted_date": started,
                    "family_agreed_date": started,
                    "goal_ids": [
                        Command.create(
                            {
                                "name": "Cel",
                                "action_ids": [
                                    Command.create(
                                        {"name": "Działanie", "expected_effect": "Efekt"}
                                    )
                                ],
                            }
                        )
                    ],
                }
                for case in cases
            ]
        )
        bench_env["assist.visit"].create(
            [
                {
                    "assignment_id": case.id,
                    "user_id": case.assistant_id.id,
                    "start": datetime.combine(today - timedelta(weeks=week), datetime.min.time())
                    + timedelta(hours=10),
                    "duration": 1.5,
                }
                for case in cases
                for week in range(1, WEEKS_OF_VISITS + 1)
            ]
        )
        bench_env["assist.monthly.report"].create(
            [
                {
                    "assignment_id": case.id,
                    "month": today.replace(day=1) - relativedelta(months=2),
                    "state": "submitted",
                }
                for case in cases
            ]
        )
        print(f"  generated {last} families", flush=True)


def measure(function):
    bench_env.flush_all()
    bench_env.invalidate_all()
    queries = bench_env.cr.sql_log_count
    started = time.perf_counter()
    result = function()
    bench_env.flush_all()
    return time.perf_counter() - started, bench_env.cr.sql_log_count - queries, result


def cron_sweep(method, model="assist.assignment"):
    """Run a cron until it reports nothing remaining: (total s, runs, max queries a
    run, all queries)."""
    total, runs, max_queries, all_queries = 0.0, 0, 0, 0
    progress = {}

    def notify(done=0, remaining=0, **_kw):
        progress["remaining"] = remaining

    cron_model = bench_env["ir.cron"]
    original = type(cron_model)._notify_progress
    type(cron_model)._notify_progress = lambda self, **kw: notify(**kw)
    try:
        while True:
            seconds, queries, _result = measure(lambda: getattr(bench_env[model], method)())
            total += seconds
            runs += 1
            max_queries = max(max_queries, queries)
            all_queries += queries
            if not progress.get("remaining"):
                break
    finally:
        type(cron_model)._notify_progress = original
    return total, runs, max_queries, all_queries


def measure_statistics():
    """The half-year report over two years of history: the generated cases are
    spread over the last two years (their dates in order), one in three ended (with
    a reason), then the report of the last six months is computed."""
    bench_env.flush_all()
    bench_env.cr.execute(
        """UPDATE assist_assignment
              SET work_start_date = %(today)s - (id %% 730) * INTERVAL '1 day',
                  request_date = %(today)s - (id %% 730 + 20) * INTERVAL '1 day',
                  interview_date = %(today)s - (id %% 730 + 25) * INTERVAL '1 day',
                  cooperation_start_date = %(today)s - (id %% 730) * INTERVAL '1 day',
                  closed_date = CASE WHEN id %% 3 = 0
                                     THEN %(today)s - (id %% 730 / 2) * INTERVAL '1 day' END,
                  end_reason = CASE WHEN id %% 3 = 0 THEN 'goals_achieved' END
            WHERE state = 'cooperation'""",
        {"today": today},
    )
    # every assistant is employed (else each one is a check of the report)
    assistants = bench_env.ref("family_assistant.group_assistant").users
    employed = bench_env["assist.employment"].search([]).user_id
    bench_env["assist.employment"].create(
        [
            {"user_id": assistant.id, "kind": "task_time", "fte": 1.0, "date_start": "2020-01-01"}
            for assistant in assistants - employed
        ]
    )
    bench_env.flush_all()
    bench_env.invalidate_all()
    report = (
        bench_env["assist.statistics"]
        .with_user(head)
        .create({"date_from": today - timedelta(days=182), "date_to": today})
    )
    return measure(report.action_compute)


rows = []
generated = 0
for size in SIZES:
    print(f"Generating up to {size} families...", flush=True)
    generate(generated, size)
    generated = size
    # the deadlines cron from scratch (every activity to create), then again (nothing to do)
    bench_env["mail.activity"].search([("assist_rule_id", "!=", False)]).unlink()
    bench_env["ir.config_parameter"].set_param("family_assistant.deadline_cursor", 0)
    first = cron_sweep("_cron_deadlines")
    todos = bench_env["mail.activity"].search_count(
        ["|", ("assist_rule_id", "!=", False), ("assist_escalation_of_id", "!=", False)]
    )
    first = (*first, todos)
    again = cron_sweep("_cron_deadlines")
    reports = cron_sweep("_cron_monthly_reports", "assist.monthly.report")
    dashboard = measure(lambda: bench_env["assist.dashboard"].with_user(head).get_dashboard_data())
    listing = measure(
        lambda: (
            bench_env["assist.assignment"]
            .with_user(head)
            .web_search_read(
                [],
                {
                    "name": {},
                    "family_id": {"fields": {"display_name": {}}},
                    "state": {},
                    "assistant_id": {"fields": {"display_name": {}}},
                },
                limit=80,
            )
        )
    )
    statistics = measure_statistics()
    rows.append((size, first, again, reports, dashboard[:2], listing[:2], statistics[:2]))


# ---------------------------------------------------------------- the 16 documents
def start_http_server():
    """wkhtmltopdf fetches the report's styles and fonts from Odoo over HTTP:
    serve them from this process on a free port (odoo shell serves nothing)."""
    import socket

    import odoo
    from odoo.service import server
    from odoo.tools import config

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config["http_interface"], config["http_port"] = "127.0.0.1", port
    server.ThreadedServer(odoo.http.root).http_spawn()
    bench_env["ir.config_parameter"].set_param("report.url", f"http://127.0.0.1:{port}")


def largest_case():
    """A generated case two years long: a visit or two a week, a plan of 25 goals."""
    case = bench_env["assist.assignment"].search([("state", "=", "cooperation")], limit=1)
    started = today - timedelta(days=730)
    case.write({"work_start_date": started, "documents_date": started})
    bench_env["assist.visit"].create(
        [
            {
                "assignment_id": case.id,
                "user_id": case.assistant_id.id,
                "start": datetime.combine(started + timedelta(days=5 * number), datetime.min.time())
                + timedelta(hours=10),
                "duration": 1.5,
                "kind": "home_visit",
                "actions_taken": "Rozmowa z rodzicami o budżecie domowym, sprawdzenie "
                "zeszytów dzieci, ustalenie planu na kolejny tydzień.",
                "next_steps": "Kontynuacja ustaleń.",
            }
            for number in range(1, 140)
        ]
    )
    plan = bench_env["assist.plan"].create(
        {
            "assignment_id": case.id,
            "version": 2,
            "goal_ids": [
                Command.create(
                    {
                        "name": f"Cel {goal}: poprawa funkcjonowania rodziny",
                        "action_ids": [
                            Command.create(
                                {
                                    "name": f"Działanie {goal}.{action}",
                                    "expected_effect": "Rodzina samodzielnie planuje wydatki.",
                                    "responsible": "family",
                                }
                            )
                            for action in range(1, 4)
                        ],
                    }
                )
                for goal in range(1, 26)
            ],
        }
    )
    return {8: case, 6: plan}


def measure_documents(repeat=3):
    """Per annex: the record it prints from (demo data; the largest case for 6 and 8),
    pages, and the median time of `repeat` renderings as the demo head (wkhtmltopdf's
    requests reach the HTTP server with a session of that user, whom the server's own
    cursor must see: the generated data is not committed)."""
    from io import BytesIO

    from pypdf import PdfReader

    reports = bench_env["ir.actions.report"].search(
        [("assist_annex", ">", 0)], order="assist_annex"
    )
    largest = largest_case()
    renderer = (
        bench_env["ir.actions.report"]
        .with_user(bench_env.ref("family_assistant.user_kierownik"))
        .with_context(force_report_rendering=True)
    )
    results = []
    for report in reports:
        record = largest.get(report.assist_annex)
        if not record:
            candidates = bench_env[report.model].search([], order="id", limit=200)
            record = next(rec for rec in candidates if report in rec._document_reports())
        timings = []
        for _round in range(repeat):
            started = time.perf_counter()
            pdf, _type = renderer._render_qweb_pdf(report, record.ids)
            timings.append(time.perf_counter() - started)
        pages = len(PdfReader(BytesIO(pdf)).pages)
        results.append((report, record, pages, sorted(timings)[len(timings) // 2]))
        print(f"  annex {report.assist_annex}: {pages} pages", flush=True)
    return results


print("Rendering the 16 documents...", flush=True)
start_http_server()
documents = measure_documents()

HEADER = (
    "| families | deadlines cron, first sweep | deadlines cron, again | monthly-report drafts "
    "| head's dashboard | assignments list (80) | half-year report |"
)
lines = [HEADER, "|---:|---|---|---|---|---|---|"]


def sweep(result):
    seconds, runs, queries = result[:3]
    text = f"{seconds:.2f} s, {runs} runs, ≤{queries} queries/run"
    if len(result) > 4:  # the first sweep: the to-dos it created
        todos = result[4]
        text += f", {todos} to-dos, {result[3] / max(todos, 1):.2f} queries per to-do"
    return text


for size, first, again, reports, dashboard, listing, statistics in rows:
    lines.append(
        f"| {size} | {sweep(first)} | {sweep(again)} | {sweep(reports)} "
        f"| {dashboard[0]:.2f} s, {dashboard[1]} queries "
        f"| {listing[0]:.2f} s, {listing[1]} queries "
        f"| {statistics[0]:.2f} s, {statistics[1]} queries |"
    )
lines += [
    "",
    (
        "Rendering of each annex to PDF (QWeb + wkhtmltopdf, median of 3), from demo data; "
        "annex 6 from a plan of 25 goals × 3 actions and annex 8 from a case of two years "
        "with 139 visits:"
    ),
    "",
    "| annex | document | printed from | pages | time |",
    "|---:|---|---|---:|---:|",
]
for report, _record, pages, seconds in documents:
    lines.append(
        f"| {report.assist_annex} | {report.name} | {report.model} | {pages} | {seconds:.2f} s |"
    )
table = "\n".join(lines)
print(table)
# figures measured elsewhere (the browser tests) follow this heading: kept as they are
KEPT = "\n## Measured by the tests\n"
out = os.environ.get("BENCH_OUT")
if out:
    kept = ""
    if os.path.exists(out):
        with open(out, encoding="utf-8") as handle:
            previous = handle.read()
        if KEPT in previous:
            kept = previous[previous.index(KEPT) :]
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(
            "# Benchmarks\n\nProduced by `make bench` (tools/bench.py) on "
            f"{today}, on this project's 2-core machine, in a separate database "
            "`family_assistant_bench` (demo data, then the generated families). Each "
            "generated family has a case in cooperation, 8 weekly visits, a plan and a "
            "submitted report; the crons run in batches of 1000 cases a run "
            "(the cron framework runs them again while some remain).\n\n"
            f"{table}\n{kept}"
        )
