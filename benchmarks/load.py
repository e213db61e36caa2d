"""The production server under a mixed load of reads and writes, and whether every write it
acknowledged was kept.

The database is the benchmark's own (a SQLite file in a temporary directory, or NAME_load on
the PostgreSQL server of DATABASE_URL, dropped and made again on every run), migrated and
filled with the demo data; gunicorn serves it with the production settings on 127.0.0.1, as in
benchmarks.pages. CLIENTS threads, each with its own HTTP session, sign in through the login
form (several share a demo account: trainer, facilitator, officer, dlo, ot, trainee; WORKERS
at a time, as each sign-in hashes the password for about a second of CPU on purpose, and fifty
at once on two cores would queue past the request timeout before the run begins), then for
LOAD_SECONDS (BENCH_LOAD_SECONDS to shorten; MAX_REQUESTS bounds the run too) each one in turn
reads a page or writes, with no pause between requests:

* reads: the cohort list, a cohort page, a register, a session reading page, the readiness
  page (staff); a session reading page, the journal list and their own progress (the trainee);
* register writers (staff) save a register the way its page does (every field of the form, as
  read from the page once, with Accept: application/json; answer {"saved": true}) with a new
  token as the remark of every trainee on it. Each writer has a delivery of its own while
  there are enough; writers sharing a delivery take turns, one save at a time, so the order
  their saves were sent in is the order they were committed in;
* journal writers (the trainee and staff) autosave drafts as the editor does: POST
  /journal/new/ creates an entry (answer {"id", "edit_url", ...}), later POSTs to its edit_url
  update it, each with a new token as the text. Each writer writes only its own entries, one
  save at a time, and starts a new entry every ENTRY_UPDATES saves.

An error is any answer but the one expected (200, and for a write the JSON above), or no answer.

Then the rows are read back (Django in this process, on the same database) and compared with
the writes acknowledged. A *record* is one register row (delivery, trainee), whose remark is
checked, or one journal entry, whose text is checked. For each record the tokens sent to it
form a sequence w1..wn in the order they were committed; its stored value is some wk (k = 0
when it is none of them). Acknowledged writes after k are *lost*: a later write that was
committed (acknowledged or not, e.g. one whose answer never came) legitimately supersedes an
earlier one, but nothing may leave a record older than a write the server said it had saved.
Besides, every acknowledged create of an entry must be a row of its own: an acknowledged id
with no row, or given twice, counts as a lost write too.

Printed, for the engine of DATABASE_URL: sign-in time, requests served, errors, lost writes,
throughput, and median and 95th percentile latency for reads and for writes separately, with
the machine's load average. Any error or lost write makes the run exit non-zero.

Two limits the run keeps well inside: django-axes locks a username after failed sign-ins only
(successful ones, however many, lock nothing), and a session ends after SESSION_IDLE_MINUTES
(30) without a request and SESSION_MAX_HOURS (10) in all; a client here is never idle for more
than a few seconds.

    .venv/bin/python -m benchmarks.load      # or: make bench-load (run last by make bench)
    BENCH_LOAD_SECONDS=10 .venv/bin/python -m benchmarks.load   # shorter run
"""

import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import requests

from benchmarks.cohorts import setup_django
from benchmarks.pages import (
    DEMO_PASSWORD,
    REQUEST_TIMEOUT,
    WORKERS,
    base_env,
    check_static_manifest,
    prepare_database,
    production_server,
)
from tests import throwaway

CLIENTS = 50
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
MAX_REQUESTS = 200_000  # a hard bound besides the time limit, over all clients
ESTABLISHMENT = "hmp-example"  # where the demo's staff accounts work
SESSION_PAGE = "/curriculum/communication-in-care/"
REGISTER_TAKERS = ["trainer", "facilitator", "officer", "dlo", "ot"]
# (kind, accounts, clients, share of requests that are writes)
CLIENT_PLAN = [
    ("register", REGISTER_TAKERS, 15, 0.3),
    ("journal", ["trainee"], 10, 0.5),
    ("journal", ["trainer", "facilitator", "officer", "dlo", "ot"], 5, 0.5),
    ("reader", ["trainer", "facilitator", "officer", "dlo", "ot"], 15, 0.0),
    ("reader", ["trainee"], 5, 0.0),
]
ENTRY_UPDATES = 20  # a journal writer starts a new entry after this many saves of one
FORM_TEXT_PREFIX = "load-"


# --- Pages and forms --------------------------------------------------------------------------


class FormFields(HTMLParser):
    """The fields a browser would send from the form with the given id (any form when None):
    checked radios and boxes, the selected option, text and hidden inputs, textareas; no
    buttons."""

    def __init__(self, form_id: str | None):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, str] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.form_id is None or attrs.get("id") == self.form_id
        if not self.inside or tag == "form":
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value") or "on"
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select:
            if self.select not in self.fields or "selected" in attrs:
                self.fields[self.select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


def form_fields(html: str, form_id: str | None) -> dict[str, str]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


# --- The records written ----------------------------------------------------------------------


@dataclass
class Record:
    """Something the clients write to, one save at a time (the lock is held across the
    request), so the order of ``sent`` is the order the server committed them in."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: list[str] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)

    def lost(self, stored: str | None) -> int:
        """Acknowledged writes later than the stored one (all of them if it is none sent)."""
        committed = self.sent.index(stored) if stored in self.sent else -1
        return sum(token in self.acknowledged for token in self.sent[committed + 1 :])


@dataclass
class Run:
    url: str
    deadline: float = 0.0
    requests_left: int = MAX_REQUESTS
    counter_lock: threading.Lock = field(default_factory=threading.Lock)
    reads: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    deliveries: dict[int, Record] = field(default_factory=dict)
    entries: dict[int, Record] = field(default_factory=dict)
    created: list[int] = field(default_factory=list)  # acknowledged entry ids, as answered
    token_prefix: str = field(default_factory=lambda: FORM_TEXT_PREFIX + secrets.token_hex(3))
    sign_in_seconds: list[float] = field(default_factory=list)
    register_rows: dict[int, list[int]] = field(default_factory=dict)  # delivery: trainee ids

    def take_request(self) -> bool:
        with self.counter_lock:
            if self.requests_left <= 0 or time.perf_counter() >= self.deadline:
                return False
            self.requests_left -= 1
            return True


class Client:
    def __init__(self, run: Run, number: int, kind: str, username: str, write_share: float):
        self.run = run
        self.number = number
        self.kind = kind
        self.username = username
        self.write_share = write_share
        self.session = requests.Session()
        self.random = random.Random(number)  # noqa: S311 (a mix of pages, not a secret)
        self.sequence = 0
        self.reads: list[str] = []
        self.delivery: int | None = None
        self.register_form: dict[str, str] = {}
        self.trainee_ids: list[int] = []
        self.entry: tuple[int, str] | None = None  # (id, edit URL)
        self.entry_saves = 0

    def token(self) -> str:
        self.sequence += 1
        return f"{self.run.token_prefix}-{self.number}-{self.sequence}"

    def fail(self, label: str, what) -> None:
        self.run.errors[f"{label}: {what}"] += 1

    def request(self, method: str, path: str, label: str, *, write: bool, **kwargs):
        """One timed request; the response, or None (counted as an error) when none came."""
        start = time.perf_counter()
        try:
            response = self.session.request(
                method,
                self.run.url + path,
                timeout=REQUEST_TIMEOUT,
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as error:
            response = None
            self.fail(label, type(error).__name__)
        (self.run.writes if write else self.run.reads).append(time.perf_counter() - start)
        return response

    def csrf_headers(self) -> dict:
        return {
            "X-CSRFToken": self.session.cookies.get("csrftoken", ""),
            "Accept": "application/json",
        }

    # Sign-in and the pages this client reads

    def sign_in(self) -> None:
        start = time.perf_counter()
        form = self.session.get(self.run.url + "/accounts/login/", timeout=REQUEST_TIMEOUT)
        fields = form_fields(form.text, None)
        fields.update(username=self.username, password=DEMO_PASSWORD)
        response = self.session.post(
            self.run.url + "/accounts/login/",
            data=fields,
            timeout=REQUEST_TIMEOUT,
            allow_redirects=False,
        )
        if response.status_code != 302 or "sessionid" not in self.session.cookies:
            raise RuntimeError(f"{self.username} could not sign in ({response.status_code})")
        self.run.sign_in_seconds.append(time.perf_counter() - start)

    def prepare(self, plan: dict) -> None:
        if self.username == "trainee":
            self.reads = [SESSION_PAGE, "/journal/", "/cohorts/my-progress/"]
        else:
            delivery = plan["deliveries"][self.number % len(plan["deliveries"])]
            self.reads = [
                "/cohorts/",
                f"/cohorts/{plan['cohort']}/",
                f"/cohorts/deliveries/{delivery}/register/",
                SESSION_PAGE,
                "/journal/",
                plan["readiness"],
            ]
        if self.kind == "register":
            self.delivery = plan["writers"][self.number]
            path = f"/cohorts/deliveries/{self.delivery}/register/"
            page = self.session.get(self.run.url + path, timeout=REQUEST_TIMEOUT)
            if page.status_code != 200:
                raise RuntimeError(f"{self.username} cannot open {path} ({page.status_code})")
            self.register_form = form_fields(page.text, "register-form")
            self.trainee_ids = [
                int(name.removeprefix("remark-"))
                for name in self.register_form
                if name.startswith("remark-")
            ]

    # The loop

    def work(self) -> None:
        while self.run.take_request():
            if self.kind != "reader" and self.random.random() < self.write_share:
                if self.kind == "register":
                    self.save_register()
                else:
                    self.save_journal_draft()
            else:
                path = self.random.choice(self.reads)
                response = self.request("GET", path, "read " + path, write=False)
                if response is not None and response.status_code != 200:
                    self.fail("read " + path, response.status_code)

    def save_register(self) -> None:
        record = self.run.deliveries[self.delivery]
        path = f"/cohorts/deliveries/{self.delivery}/register/"
        with record.lock:
            token = self.token()
            data = {**self.register_form}
            data.update({f"remark-{pk}": token for pk in self.trainee_ids})
            record.sent.append(token)
            response = self.request(
                "POST", path, "register save", write=True, data=data, headers=self.csrf_headers()
            )
            if self.acknowledged(response, "register save", "saved"):
                record.acknowledged.add(token)

    def save_journal_draft(self) -> None:
        if self.entry is None or self.entry_saves >= ENTRY_UPDATES:
            self.entry, self.entry_saves = None, 0
            token = self.token()
            response = self.request(
                "POST",
                "/journal/new/",
                "journal create",
                write=True,
                data=self.journal_data(token),
                headers=self.csrf_headers(),
            )
            if self.acknowledged(response, "journal create", "id"):
                answer = response.json()
                record = Record(sent=[token], acknowledged={token})
                with self.run.counter_lock:
                    self.run.created.append(answer["id"])
                    self.run.entries.setdefault(answer["id"], record)
                self.entry, self.entry_saves = (answer["id"], answer["edit_url"]), 1
            return
        entry_id, edit_url = self.entry
        record = self.run.entries[entry_id]
        with record.lock:
            token = self.token()
            record.sent.append(token)
            response = self.request(
                "POST",
                edit_url,
                "journal update",
                write=True,
                data=self.journal_data(token),
                headers=self.csrf_headers(),
            )
            if self.acknowledged(response, "journal update", "id"):
                record.acknowledged.add(token)
        self.entry_saves += 1

    def journal_data(self, token: str) -> dict:
        """What the editor's autosave sends for a free reflection (no title yet)."""
        return {
            "title": "",
            "written_on": date.today().isoformat(),
            "framework": "free",
            "sections_framework": "free",
            "session": "",
            "prompt": "",
            "section-text": token,
            "autosave": "1",
        }

    def acknowledged(self, response, label: str, key: str) -> bool:
        if response is None:
            return False
        if response.status_code != 200:
            self.fail(label, response.status_code)
            return False
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not answer.get(key):
            self.fail(label, f"answer without {key!r}")
            return False
        return True


# --- Before and after -------------------------------------------------------------------------


def plan_writes() -> dict:
    """The pages to read and the deliveries to write to, from the demo data; each register
    writer gets a delivery of its own while there are enough, then they share in turn."""
    from django.db import connection

    from cohorts.models import Cohort, Delivery
    from cohorts.services import register_trainees

    deliveries = [
        d.pk
        for d in Delivery.objects.filter(cohort__establishment__code=ESTABLISHMENT).order_by("pk")
        if register_trainees(d).exists()
    ]
    cohort = Cohort.objects.filter(establishment__code=ESTABLISHMENT).order_by("-start_date")[0]
    plan = {
        "deliveries": deliveries,
        "cohort": cohort.pk,
        "readiness": f"/cohorts/establishments/{ESTABLISHMENT}/readiness/"
        f"?programme={cohort.programme.slug}",
    }
    connection.close()
    return plan


def make_clients(run: Run, plan: dict) -> list[Client]:
    clients, writers = [], {}
    for kind, accounts, count, write_share in CLIENT_PLAN:
        for i in range(count):
            number = len(clients)
            if kind == "register":
                writers[number] = plan["deliveries"][len(writers) % len(plan["deliveries"])]
            clients.append(Client(run, number, kind, accounts[i % len(accounts)], write_share))
    plan["writers"] = writers
    for delivery in writers.values():
        run.deliveries.setdefault(delivery, Record())
    return clients


def count_lost_writes(run: Run) -> dict:
    """Read back what was stored and compare it with what was acknowledged (see the top)."""
    from django.db import connection

    from cohorts.models import Attendance
    from journals.models import JournalEntry

    lost = Counter()
    for delivery, record in run.deliveries.items():
        remarks = dict(
            Attendance.objects.filter(delivery_id=delivery).values_list("trainee_id", "remark")
        )
        for trainee in run.register_rows[delivery]:
            lost["register rows"] += record.lost(remarks.get(trainee))
    stored = {
        pk: sections.get("text")
        for pk, sections in JournalEntry.objects.filter(pk__in=run.entries).values_list(
            "pk", "sections"
        )
    }
    for entry, record in run.entries.items():
        if entry not in stored:
            lost["journal creates (no row)"] += 1
        lost["journal updates"] += record.lost(stored.get(entry)) if entry in stored else 0
    duplicates = len(run.created) - len(set(run.created))
    lost["journal creates (id answered twice)"] += duplicates
    rows_written = JournalEntry.objects.filter(sections__text__startswith=run.token_prefix).count()
    connection.close()
    return {"lost": lost, "journal rows": rows_written}


# --- Report -----------------------------------------------------------------------------------


def figures(latencies: list[float]) -> str:
    if len(latencies) < 2:
        return f"{len(latencies):>9} {'-':>10} {'-':>8}"
    median = statistics.median(latencies) * 1000
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    return f"{len(latencies):>9} {median:>10.1f} {p95:>8.1f}"


def main() -> int:
    check_static_manifest()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        tmp_dir = Path(tmp)
        database_url = throwaway.throwaway_database_url(tmp_dir, "load")
        engine = urlsplit(database_url).scheme
        print(f"Preparing the {engine} load database (migrate, load_demo)...", flush=True)
        env = base_env(tmp_dir, database_url)
        prepare_database(env)
        setup_django(database_url)
        plan = plan_writes()
        log_path = tmp_dir / "gunicorn.log"
        with production_server(env, log_path) as url:
            run = Run(url)
            clients = make_clients(run, plan)
            print(
                f"Signing in {CLIENTS} clients through the login form at {url}, {WORKERS} at "
                f"a time (gunicorn, {WORKERS} workers, {engine})...",
                flush=True,
            )
            start = time.perf_counter()
            problems = []

            arriving = threading.Semaphore(WORKERS)

            def sign_in(client):
                with arriving:
                    try:
                        client.sign_in()
                        client.prepare(plan)
                    except (RuntimeError, requests.RequestException) as error:
                        problems.append(str(error))

            threads = [threading.Thread(target=sign_in, args=(c,)) for c in clients]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            sign_in_seconds = time.perf_counter() - start
            if problems:
                sys.exit("Could not get the clients ready:\n  " + "\n  ".join(problems))
            for client in clients:
                if client.kind == "register":
                    run.register_rows[client.delivery] = client.trainee_ids
            load_before = os.getloadavg()
            print(
                f"Loading for {LOAD_SECONDS:g} s: {CLIENTS} clients "
                f"({len(plan['deliveries'])} deliveries for "
                f"{len(plan['writers'])} register writers), {os.cpu_count()} CPUs shared with "
                f"the clients, load average {load_before[0]:.1f} before...",
                flush=True,
            )
            start = time.perf_counter()
            run.deadline = start + LOAD_SECONDS
            threads = [threading.Thread(target=c.work) for c in clients]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - start
            load_after = os.getloadavg()
        server_log = log_path.read_text()
        result = count_lost_writes(run)

    served = len(run.reads) + len(run.writes)
    errors = sum(run.errors.values())
    lost = sum(result["lost"].values())
    acknowledged = sum(len(r.acknowledged) for r in run.deliveries.values()) + sum(
        len(r.acknowledged) for r in run.entries.values()
    )
    print()
    print(f"Load on {engine} ({CLIENTS} clients, {elapsed:.1f} s, gunicorn {WORKERS} workers)")
    print(
        f"  sign-in of {CLIENTS} clients, {WORKERS} at a time: {sign_in_seconds:.1f} s "
        f"(median {statistics.median(run.sign_in_seconds):.2f} s each)"
    )
    print(f"  requests served: {served} ({served / elapsed:.1f} req/s)")
    print(f"  errors: {errors}")
    for what, number in run.errors.most_common():
        print(f"    {number:>6}  {what}")
    print(
        f"  writes acknowledged: {acknowledged} (register saves "
        f"{sum(len(r.acknowledged) for r in run.deliveries.values())}, journal entries created "
        f"{len(run.created)}, journal rows with a token {result['journal rows']})"
    )
    print(f"  lost writes: {lost}")
    for what, number in result["lost"].items():
        if number:
            print(f"    {number:>6}  {what}")
    header = f"  {'':<8} {'requests':>9} {'median ms':>10} {'p95 ms':>8}"
    print(header)
    print("  " + "-" * (len(header) - 2))
    print(f"  {'reads':<8} {figures(run.reads)}")
    print(f"  {'writes':<8} {figures(run.writes)}")
    print(
        f"  load average (1, 5, 15 min): before {load_before[0]:.1f} {load_before[1]:.1f} "
        f"{load_before[2]:.1f}, after {load_after[0]:.1f} {load_after[1]:.1f} "
        f"{load_after[2]:.1f} on {os.cpu_count()} CPUs"
    )
    failed = errors or lost
    if failed:
        tracebacks = [line for line in server_log.splitlines() if "Error" in line][-10:]
        if tracebacks:
            print("\nLast errors in the server's log:\n  " + "\n  ".join(tracebacks))
        print("\nFAILED: errors or lost writes.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
