"""Generate the bundled sample dataset in ``data/sample/`` (canonical CSV format).

Run from the repository root::

    .venv/bin/python data/make_sample.py

It writes ``people.csv``, ``relationships.csv``, ``events.csv`` and ``participants.csv``
for three fictional customer accounts and our own fictional sales team (Acme Analytics).
The output depends only on the seed below (no wall clock, no set iteration order), so
running the script twice gives byte-identical files. Everything is fictional: names,
companies and the ``.example`` e-mail domains.

Per account the script plants a hidden influencer, a broker between Finance and IT, a
coalition of skeptics (Security + Legal), a champion who goes cold after June 2026 and
someone who asks everyone for advice; ``data/README.md`` lists who they are.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from pathlib import Path

import pandas as pd

SEED = 20261128
OUT = Path(__file__).resolve().parent / "sample"
START, END = dt.date(2025, 12, 1), dt.date(2026, 11, 20)
COLD_AFTER = dt.date(2026, 6, 12)  # the champion's last contact with us is before this day
OUR_COMPANY, OUR_DOMAIN = "Acme Analytics", "acme-analytics.example"

# Names by culture: (first names, last names). First and last come from the same culture.
NAMES = {
    "en": (
        "James Emily Michael Sarah David Laura Daniel Rachel Thomas Hannah Andrew Megan "
        "Christopher Olivia Ryan Katherine Brian Claire Kevin Natalie Gregory Denise",
        "Carter Bennett Hughes Morgan Foster Reynolds Sullivan Hayes Brooks Porter Whitfield "
        "Marsh Caldwell Ellison Harper Lawson Pryce Whitaker",
    ),
    "es": (
        "José María Alejandro Lucía Carlos Sofía Andrés Valentina Javier Camila Diego Inés",
        "Núñez García Rodríguez Martínez Hernández López Ramírez Castillo Ortega Peña Ibáñez",
    ),
    "zh": ("Wei Jun Mei Hao Xiu Yan Lei Ying Jing Tao", "Zhang Wang Liu Chen Zhao Huang Lin Xu"),
    "in": (
        "Priya Arjun Ananya Rahul Deepa Vikram Kavya Sanjay Neha Rohan Lakshmi Aditya",
        "Sharma Patel Iyer Reddy Nair Gupta Menon Desai Kulkarni Rao",
    ),
    "wa": (
        "Chinedu Ngozi Oluwaseun Adaeze Emeka Folake Kwame Ama Tunde Yetunde",
        "Okafor Adeyemi Eze Okonkwo Balogun Mensah Asante Nwosu",
    ),
    "de": (
        "Jürgen Katrin Matthias Anja Stefan Sabine Lukas Jörg Franziska",
        "Müller Schröder Becker Hoffmann Weiß Köhler Braun Vogel",
    ),
    "pl": (
        "Łukasz Agnieszka Paweł Małgorzata Tomasz Zofia Krzysztof",
        "Nowak Wróbel Mazur Krawczyk Zając Sikora",
    ),
    "no": (
        "Søren Astrid Bjørn Ingrid Magnus Sigrid Henrik Freja Åsa",
        "Sæther Lindqvist Ødegaard Åberg Halvorsen Bergström Dahl",
    ),
    "ja": ("Haruto Yuki Sakura Kenji Aiko Takeshi Emi", "Tanaka Sato Watanabe Kobayashi Ito"),
    "ar": (
        "Omar Layla Karim Yasmin Tariq Noor Rania Samir",
        "Haddad Khalil Mansour Nasser Farouk Saleh Aziz",
    ),
    "fr": (
        "François Élodie Hélène Rémi Amélie Benoît Céline",
        "Lefèvre Dubois Moreau Girard Rousseau Bérard",
    ),
    "vi": ("Minh Linh Thảo Quang Hương", "Nguyễn Trần Phạm Lê Võ"),
    "ko": ("Ji-woo Min-jun Seo-yeon Hyun-woo Soo-ah", "Kim Park Choi Jung Han"),
    "tr": ("Çağla Emre Elif Burak Ayşe Mert", "Öztürk Yılmaz Kaya Demir Aydın Şahin"),
    "ie": ("Siobhán Niamh Seán Ciarán Aoife Declan", "O'Brien Gallagher Byrne Kavanagh McCarthy"),
    "pt": (
        "João Beatriz Rafael Larissa Thiago Mariana",
        "Gonçalves Araújo Ribeiro Carvalho Magalhães",
    ),
    "it": ("Giulia Matteo Francesca Lorenzo Chiara", "Rossi Bianchi Esposito Ricci Greco"),
}
CULTURE_WEIGHTS = {
    "en": 24, "es": 9, "zh": 6, "in": 9, "wa": 6, "de": 5, "pl": 4, "no": 4, "ja": 3,
    "ar": 5, "fr": 4, "vi": 3, "ko": 3, "tr": 3, "ie": 4, "pt": 3, "it": 3,
}  # fmt: skip
# Fixed names, given to planted or senior people so that they are easy to find.
FIXED = {
    "nw": {"ceo": "Margaret Whitfield", "hidden": "Zoë Ærø", "broker": "Łukasz Wróbel",
           "cold": "Rahul Menon", "seeker": "Kevin Doyle", "cfo": "José Núñez"},
    "hh": {"ceo": "Adaeze Okonkwo", "hidden": "Thảo Nguyễn", "broker": "Ingrid Sæther",
           "cold": "Daniel Pryce", "seeker": "Camila Ortega", "cfo": "Stefan Köhler"},
    "cb": {"ceo": "Richard Ashworth", "hidden": "Karim Haddad", "broker": "Çağla Öztürk",
           "cold": "Élodie Girard", "seeker": "Brian Lawson", "cfo": "Lakshmi Iyer"},
}  # fmt: skip

TITLES = {
    "IT": {
        2: ["Chief Information Officer"],
        3: ["Director of Infrastructure", "Director of Applications", "Director of IT Service"],
        4: [
            "Infrastructure Manager",
            "Application Development Manager",
            "Data Platform Manager",
            "Service Desk Manager",
            "Cloud Operations Manager",
        ],
        5: [
            "Systems Engineer",
            "Data Engineer",
            "Network Administrator",
            "Business Analyst",
            "Software Engineer",
            "Database Administrator",
            "Cloud Engineer",
            "DevOps Engineer",
            "QA Analyst",
            "Integration Developer",
        ],
    },
    "Finance": {
        2: ["Chief Financial Officer"],
        3: ["Financial Controller", "Director of FP&A"],
        4: ["Accounting Manager", "FP&A Manager", "Accounts Payable Manager"],
        5: [
            "Financial Analyst",
            "Senior Accountant",
            "Accounts Payable Specialist",
            "Payroll Specialist",
            "Budget Analyst",
            "Staff Accountant",
        ],
    },
    "Operations": {
        2: ["Chief Operating Officer"],
        3: ["Director of Operations", "Director of Process Excellence"],
        4: ["Operations Manager", "Shift Operations Manager", "Quality Manager"],
        5: [
            "Operations Analyst",
            "Process Engineer",
            "Operations Coordinator",
            "Quality Specialist",
            "Planner",
        ],
    },
    "Procurement": {
        2: ["VP Procurement"],
        3: ["Director of Strategic Sourcing"],
        4: ["Category Manager", "Vendor Manager"],
        5: ["Buyer", "Procurement Analyst", "Contracts Specialist"],
    },
    "Security": {
        2: ["Chief Information Security Officer"],
        3: ["Director of Security Operations", "Director of Identity & Access"],
        4: ["Security Engineering Manager", "GRC Manager"],
        5: ["Security Analyst", "Security Architect", "Penetration Tester"],
    },
    "Legal": {
        2: ["General Counsel"],
        3: ["Deputy General Counsel", "Director of Compliance"],
        4: ["Privacy Counsel", "Contracts Counsel"],
        5: ["Paralegal", "Compliance Analyst"],
    },
    "HR": {
        2: ["Chief People Officer"],
        3: ["Director of Talent"],
        4: ["HR Business Partner", "People Operations Manager"],
        5: ["HR Generalist", "Recruiter", "HRIS Analyst"],
    },
    "Clinical Operations": {
        2: ["Chief Nursing Officer"],
        3: ["Director of Nursing", "Director of Patient Access"],
        4: ["Nurse Manager", "Patient Access Manager", "Clinical Operations Manager"],
        5: [
            "Charge Nurse",
            "Clinical Analyst",
            "Patient Access Coordinator",
            "Nurse Informaticist",
            "Scheduling Coordinator",
        ],
    },
    "Risk": {
        2: ["Chief Risk Officer"],
        3: ["Director of Credit Risk", "Director of Operational Risk"],
        4: ["Model Risk Manager", "Fraud Manager", "Market Risk Manager"],
        5: ["Risk Analyst", "Quantitative Analyst", "Fraud Analyst"],
    },
    "Marketing": {
        2: ["Chief Marketing Officer"],
        3: ["Director of Digital Marketing"],
        4: ["Campaign Manager", "Marketing Analytics Manager"],
        5: ["Marketing Specialist", "Content Strategist", "Marketing Analyst"],
    },
}

# Each account: departments and sizes (Executive = the CEO plus listed extras), the
# planted people as (department, level, title), offices and subjects.
ACCOUNTS = [
    {
        "code": "nw", "name": "Northwind Logistics", "domain": "northwind-logistics.example",
        "ceo": "Chief Executive Officer", "executive": [],
        "departments": {"IT": 9, "Finance": 8, "Operations": 8, "Procurement": 3,
                        "Security": 3, "Legal": 3},
        "hidden": ("Executive", 5, "Executive Assistant to the CEO"),
        "broker": ("Finance", 4, "Finance Systems Manager"),
        "cold": ("IT", 3, "Director of IT Applications"),
        "seeker": ("Operations", 5, "Junior Operations Planner"),
        "locations": ["Rotterdam", "Rotterdam", "Chicago"],
        "events": 360, "conferences": 1, "advises": 12, "topic": "fleet telemetry",
    },
    {
        "code": "hh", "name": "Helios Health Systems", "domain": "helios-health.example",
        "ceo": "President & CEO", "executive": [],
        "departments": {"IT": 12, "Finance": 11, "Clinical Operations": 9, "Operations": 6,
                        "Procurement": 5, "HR": 4, "Security": 4, "Legal": 3},
        "hidden": ("IT", 5, "Principal Enterprise Architect"),
        "broker": ("Finance", 5, "Revenue Cycle Systems Analyst"),
        "cold": ("IT", 3, "Director of Clinical Informatics"),
        "seeker": ("Clinical Operations", 5, "Clinical Operations Analyst"),
        "locations": ["Denver", "Denver", "Boulder"],
        "events": 560, "conferences": 1, "advises": 7, "topic": "patient-flow analytics",
    },
    {
        "code": "cb", "name": "Crestline Bank", "domain": "crestline-bank.example",
        "ceo": "Chief Executive Officer", "executive": [("Chief of Staff", 3)],
        "departments": {"IT": 16, "Finance": 11, "Operations": 12, "Risk": 9, "Procurement": 6,
                        "Marketing": 7, "HR": 3, "Security": 5, "Legal": 3},
        "hidden": ("Operations", 4, "Senior Payments Architect"),
        "broker": ("Finance", 4, "Finance Technology Lead"),
        "cold": ("IT", 3, "Director of Data & Analytics"),
        "seeker": ("Operations", 5, "Branch Operations Analyst"),
        "locations": ["Charlotte", "Charlotte", "Charlotte", "Raleigh"],
        "events": 820, "conferences": 2, "advises": 12, "topic": "fraud analytics",
    },
]  # fmt: skip
COALITION_DEPTS = ("Security", "Legal")

# Our team: id, name, title, reports_to, level, {account code: how much they cover it}.
TEAM = [
    ("int-01", "Victoria Hale", "VP Sales", "", 2, {"cb": 1, "hh": 0.3}),
    ("int-02", "Marcus Bell", "Account Executive", "int-01", 3, {"nw": 3, "hh": 2, "cb": 3}),
    ("int-03", "Anika Rao", "Solutions Engineer", "int-01", 3, {"nw": 2, "cb": 2}),
    ("int-04", "Tomás Ferreira", "Customer Success Manager", "int-01", 3, {"hh": 3, "cb": 1}),
]

ASCII = str.maketrans({"ø": "o", "æ": "ae", "ł": "l", "ß": "ss", "đ": "d", "ı": "i", "œ": "oe"})


def email_part(text: str) -> str:
    """``"Zoë Ærø"`` -> ``"zoe"`` / ``"aero"``: lower-case ASCII for an e-mail address."""
    t = unicodedata.normalize("NFKD", text.lower().translate(ASCII))
    return "".join(c for c in t if c.isascii() and c.isalnum())


class Generator:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people: list[dict] = []
        self.rels: list[dict] = []
        self.rel_keys: set[tuple] = set()
        self.events: list[dict] = []  # each with "parts": [(person_id, role)]
        self.names: set[str] = set()
        self.planted: dict[str, dict[str, str]] = {}

    # -- people -----------------------------------------------------------------------------
    def new_name(self) -> str:
        cultures = list(CULTURE_WEIGHTS)
        while True:
            c = self.rng.choices(cultures, weights=[CULTURE_WEIGHTS[k] for k in cultures])[0]
            first, last = (self.rng.choice(s.split()) for s in NAMES[c])
            name = f"{first} {last}"
            if name not in self.names:
                self.names.add(name)
                return name

    def person(
        self, pid, name, title, dept, account, boss, level, domain, location, internal=False
    ):
        first, last = name.split(" ", 1)
        p = {
            "id": pid, "name": name, "title": title, "department": dept, "account": account,
            "reports_to": boss, "email": f"{email_part(first)}.{email_part(last)}@{domain}",
            "level": level, "buying_role": "", "stance": "", "internal": internal,
            "location": location,
        }  # fmt: skip
        self.people.append(p)
        return p

    def build_org(self, spec: dict) -> list[dict]:
        rng, code = self.rng, spec["code"]
        fixed = dict(FIXED[code])
        for n in fixed.values():
            self.names.add(n)
        people: list[dict] = []
        counter = iter(range(1, 1000))

        def add(title, dept, boss, level, name=None):
            loc = spec["locations"][0] if level <= 2 else rng.choice(spec["locations"])
            p = self.person(f"{code}-{next(counter):03d}", name or self.new_name(), title, dept,
                            spec["name"], boss, level, spec["domain"], loc)  # fmt: skip
            people.append(p)
            return p

        ceo = add(spec["ceo"], "Executive", "", 1, fixed.pop("ceo"))
        for title, level in spec["executive"]:
            add(title, "Executive", ceo["id"], level)
        for dept, n in spec["departments"].items():
            titles = TITLES[dept]
            head = add(
                titles[2][0], dept, ceo["id"], 2, fixed.pop("cfo") if dept == "Finance" else None
            )
            d = 1 if n <= 6 else 2 if n <= 13 else 3
            m = max(0, (n - 1 - d) // 3)
            s = n - 1 - d - m
            dirs = [add(titles[3][i % len(titles[3])], dept, head["id"], 3) for i in range(d)]
            mgrs = [
                add(titles[4][i % len(titles[4])], dept, dirs[i % d]["id"], 4) for i in range(m)
            ]
            bosses = mgrs or dirs
            for i in range(s):
                title = rng.choice(titles[5])
                if rng.random() < 0.3:
                    title = "Senior " + title.removeprefix("Senior ")
                add(title, dept, bosses[i % len(bosses)]["id"], 5)
        # Planted people: re-title (and rename) a person of the right department and level.
        taken: list[str] = []
        for role in ("hidden", "broker", "cold", "seeker"):
            dept, level, title = spec[role]
            if dept == "Executive":
                p = add(title, "Executive", ceo["id"], level, fixed.pop(role))
            else:
                p = next(
                    x
                    for x in people
                    if x["department"] == dept and x["level"] == level and x["id"] not in taken
                )
                self.names.discard(p["name"])
                p["name"], p["title"] = fixed.pop(role), title
                first, last = p["name"].split(" ", 1)
                p["email"] = f"{email_part(first)}.{email_part(last)}@{spec['domain']}"
            taken.append(p["id"])
        self.planted[code] = dict(zip(("hidden", "broker", "cold", "seeker"), taken, strict=True))
        self.assign_roles(people, spec)
        return people

    def assign_roles(self, people: list[dict], spec: dict) -> None:
        rng, plant = self.rng, self.planted[spec["code"]]
        for p in people:
            dept, level = p["department"], p["level"]
            if p["id"] in plant.values():
                continue
            if dept in COALITION_DEPTS:
                p["stance"] = "blocker" if level == 2 or rng.random() < 0.25 else "skeptic"
                p["buying_role"] = "Evaluator" if level <= 3 else ""
                continue
            r = rng.random()
            p["stance"] = ("" if r < 0.34 else "supporter" if r < 0.6 else "neutral" if r < 0.9
                           else "skeptic" if r < 0.97 else "champion")  # fmt: skip
            if level == 1:
                p["buying_role"] = "Decision Maker" if spec["code"] != "nw" else "Executive Sponsor"
                p["stance"] = "supporter"
            elif level == 2 and dept == "Finance":
                p["buying_role"], p["stance"] = "Economic Buyer", "neutral"
            elif level == 2 and dept == "IT":
                p["buying_role"] = "Decision Maker" if spec["code"] == "nw" else "Technical Buyer"
            elif level == 2 and dept == "Procurement":
                p["buying_role"] = "Other"
            elif level == 2:
                p["buying_role"] = rng.choice(["Executive Sponsor", "", "Business User"])
            elif level == 3 and dept == "IT":
                p["buying_role"] = rng.choice(["Technical Buyer", "Evaluator"])
            elif level == 4:
                p["buying_role"] = rng.choice(["Evaluator", "", "", "Business User"])
            else:
                p["buying_role"] = rng.choice(["Business User", "", ""])
            if level >= 3 and rng.random() < 0.14:
                p["level"] = ""  # the level is not known for about 10% of people
        by_id = {p["id"]: p for p in people}
        by_id[plant["cold"]].update(buying_role="Champion", stance="champion")
        by_id[plant["broker"]].update(stance="neutral")
        by_id[plant["seeker"]].update(stance="supporter", buying_role="Business User")

    # -- relationships ----------------------------------------------------------------------
    def rel(self, a, b, kind, strength, start="", end=""):
        directed = kind in ("advises", "sponsors", "mentors")
        key = (a, b, kind) if directed else (min(a, b), max(a, b), kind)
        if a == b or key in self.rel_keys:
            return
        self.rel_keys.add(key)
        if not start and self.rng.random() < 0.4:
            start = (dt.date(2018, 1, 1) + dt.timedelta(self.rng.randrange(2860))).isoformat()
        self.rels.append({"source": a, "target": b, "type": kind, "strength": round(strength, 2),
                          "directed": directed, "start": start, "end": end})  # fmt: skip

    def relationships(self, people: list[dict], spec: dict) -> None:
        rng, plant = self.rng, self.planted[spec["code"]]
        by_dept: dict[str, list[dict]] = {}
        for p in people:
            by_dept.setdefault(p["department"], []).append(p)
        ceo = by_dept["Executive"][0]
        heads = {d: ps[0] for d, ps in by_dept.items() if d != "Executive"}
        rest = [p for p in people if p["department"] not in ("Finance", *COALITION_DEPTS)]
        first = len(self.rels)
        # Background: peers and friends within a department, mentoring, a little advice.
        for dept, ps in by_dept.items():
            if dept in COALITION_DEPTS or len(ps) < 2:
                continue
            for p in ps:
                for _ in range(rng.choice([0, 1, 1, 2])):
                    q = rng.choice(ps)
                    kind = "friend" if rng.random() < 0.3 else "peer"
                    self.rel(p["id"], q["id"], kind, rng.uniform(0.3, 0.8))
                if p["level"] == 3 and rng.random() < 0.5:
                    juniors = [q for q in ps if q["level"] in (5, "")] or ps
                    self.rel(p["id"], rng.choice(juniors)["id"], "mentors", rng.uniform(0.4, 0.7))
                if p["level"] == 5 and rng.random() < 0.15 and p["reports_to"]:
                    self.rel(p["id"], p["reports_to"], "advises", rng.uniform(0.3, 0.6))
        # A few ties across the departments that work together every day.
        for _ in range(len(people) // 5):
            a, b = rng.sample(rest, 2)
            if a["department"] != b["department"]:
                self.rel(a["id"], b["id"], rng.choice(["peer", "peer", "friend"]),
                         rng.uniform(0.3, 0.7))  # fmt: skip
        # The leadership team of the business (not Finance, not the skeptics) are peers.
        leaders = [h for d, h in heads.items() if d not in ("Finance", *COALITION_DEPTS)]
        for i, a in enumerate(leaders):
            for b in leaders[i + 1 :]:
                if rng.random() < 0.7:
                    self.rel(a["id"], b["id"], "peer", rng.uniform(0.5, 0.8))
        self.rel(ceo["id"], plant["cold"], "sponsors", 0.6)
        it_dirs = [p for p in by_dept["IT"] if p["level"] == 3 and p["id"] != plant["cold"]]
        if it_dirs:
            self.rel(heads["IT"]["id"], it_dirs[0]["id"], "sponsors", 0.5)
        other_heads = [h for d, h in heads.items() if d not in ("Finance", "IT", *COALITION_DEPTS)]
        self.rel(heads["IT"]["id"], other_heads[0]["id"], "rival", 0.4)
        # Ties that have ended (people moved on); some of the background ones.
        background = self.rels[first:]
        for r in rng.sample(background, min(5, len(background))):
            end = dt.date(2025, 1, 15) + dt.timedelta(rng.randrange(480))
            r["start"] = (end - dt.timedelta(rng.randrange(400, 1500))).isoformat()
            r["end"] = end.isoformat()

        # Planted: the hidden influencer advises senior people outside Finance and the coalition.
        hidden = plant["hidden"]
        seniors = [ceo] + [p for p in rest if p["level"] in (2, 3) and p["id"] != hidden]
        for p in seniors[: spec["advises"]]:
            self.rel(hidden, p["id"], "advises", rng.uniform(0.75, 0.95))
        # Planted: the broker is close to people on both sides of Finance and IT.
        broker = plant["broker"]
        fin = [p for p in by_dept["Finance"] if p["id"] != broker]
        it = [p for p in by_dept["IT"][1:] if p["id"] != hidden]  # not the CIO
        for p in fin + it[: max(6, len(it) * 3 // 4)]:
            self.rel(broker, p["id"], rng.choice(["peer", "friend", "ally"]), rng.uniform(0.7, 0.9))
        # Planted: the coalition of skeptics is a dense cluster of allies and peers ...
        coalition = [p["id"] for d in COALITION_DEPTS for p in by_dept[d]]
        for i, a in enumerate(coalition):
            for b in coalition[i + 1 :]:
                if rng.random() < 0.85:
                    kind = "ally" if rng.random() < 0.55 else "peer"
                    self.rel(a, b, kind, rng.uniform(0.6, 0.95))
        # ... with one weak tie to the rest.
        self.rel(coalition[1], it[-1]["id"], "peer", 0.25)
        # Planted: everyone advises the advice seeker.
        seeker = plant["seeker"]
        sdept = next(p["department"] for p in people if p["id"] == seeker)
        own = [p for p in by_dept[sdept] if p["id"] not in (seeker, hidden)]
        others = [p for p in rest if p["department"] != sdept and p["level"] in (3, 4, 5)]
        for p in own[:8] + rng.sample(others, 3):
            if p["id"] not in plant.values():
                self.rel(p["id"], seeker, "advises", rng.uniform(0.5, 0.8))
        # Our team: the account executive knows the champion well.
        self.rel("int-02", plant["cold"], "peer", 0.6, start="2025-03-01")

    # -- events -----------------------------------------------------------------------------
    def date(self, lo: dt.date = START, hi: dt.date = END) -> dt.date:
        while True:
            d = lo + dt.timedelta(self.rng.randrange((hi - lo).days + 1))
            if d.weekday() < 5:
                return d

    def event(self, kind, people, when, subject, account):
        ids = list(dict.fromkeys(people))
        limit = {"meeting": 8, "call": 3, "email": 5, "conference": 20}[kind]
        ids = ids[:limit]
        if len(ids) < 2:
            return
        if kind == "email":
            self.rng.shuffle(ids)
            n_to = self.rng.randint(1, len(ids) - 1)
            roles = ["sender"] + ["recipient"] * n_to + ["cc"] * (len(ids) - 1 - n_to)
        elif kind == "conference":
            roles = ["attendee"] * len(ids)
        else:
            roles = ["organizer"] + ["attendee"] * (len(ids) - 1)
        self.events.append({"date": when, "type": kind, "subject": subject, "account": account,
                            "parts": list(zip(ids, roles, strict=True))})  # fmt: skip

    def kind(self, meeting=0.3, call=0.22) -> str:
        r = self.rng.random()
        return "meeting" if r < meeting else "call" if r < meeting + call else "email"

    def activity(self, people: list[dict], spec: dict) -> None:
        rng, plant, name, topic = self.rng, self.planted[spec["code"]], spec["name"], spec["topic"]
        by_dept: dict[str, list[str]] = {}
        for p in people:
            by_dept.setdefault(p["department"], []).append(p["id"])
        level = {p["id"]: p["level"] for p in people}
        ceo = by_dept["Executive"][0]
        heads = {d: ps[0] for d, ps in by_dept.items() if d != "Executive"}
        hidden, broker, cold, seeker = (plant[k] for k in ("hidden", "broker", "cold", "seeker"))
        coalition = [i for d in COALITION_DEPTS for i in by_dept[d]]
        rest_depts = [d for d in by_dept if d not in ("Executive", "Finance", *COALITION_DEPTS)]
        rest = [i for d in rest_depts for i in by_dept[d]]
        seniors = [ceo] + [i for i in rest if level[i] in (2, 3) and i != hidden]
        team = [(t[0], t[5][spec["code"]]) for t in TEAM if spec["code"] in t[5]]
        reviewer = by_dept["Security"][-1]  # the only one of the coalition we ever reach
        n = spec["events"]

        def pick(pool, k, *always):
            pool = [i for i in pool if i not in always]
            return list(always) + rng.sample(pool, min(k, len(pool)))

        def subject(dept):
            return rng.choice([f"{dept} weekly sync", f"{dept} planning", f"{dept} budget review",
                               f"{dept} staffing", f"{dept} process review", f"Re: {dept} report",
                               f"{dept} 1:1", f"{dept} quarterly priorities"])  # fmt: skip

        weights = {d: len(by_dept[d]) for d in rest_depts + ["Finance"]}
        depts = list(weights)
        for _ in range(int(n * 0.30)):  # work inside one department
            dept = rng.choices(depts, weights=[weights[d] for d in depts])[0]
            ids = pick(by_dept[dept], rng.randint(1, 5))
            if dept == "Finance" and rng.random() < 0.6 or dept == "IT" and rng.random() < 0.4:
                ids.insert(rng.randrange(len(ids) + 1), broker)
            if hidden in ids and rng.random() < 0.5:
                ids.remove(hidden)
            self.event(self.kind(), ids, self.date(), subject(dept), name)
        for _ in range(int(n * 0.10)):  # the departments that work together every day
            a, b = rng.sample(rest_depts, 2)
            ids = pick(by_dept[a], rng.randint(1, 3)) + pick(by_dept[b], rng.randint(1, 3))
            self.event(self.kind(), ids, self.date(), f"{a} / {b} coordination", name)
        for _ in range(int(n * 0.07)):  # Finance and IT meet only through the broker
            ids = pick(by_dept["IT"], rng.randint(1, 3), broker)
            self.event(self.kind(0.5), ids, self.date(), "Finance systems: integration", name)
        home_dept = next(d for d, ps in by_dept.items() if hidden in ps)
        home = by_dept["Operations" if home_dept == "Executive" else home_dept]
        for _ in range(int(n * 0.08)):  # the hidden influencer is in the room
            ids = pick(seniors[: spec["advises"]], rng.randint(2, 4), hidden)
            ids += pick([i for i in home if i not in ids], rng.randint(0, 2))
            self.event(self.kind(0.55, 0.2), ids, self.date(), rng.choice([
                "Architecture review", "Roadmap alignment", "Pre-read: board deck",
                f"{topic.capitalize()} options", "Decision log review", "Vendor shortlist"]),
                name)  # fmt: skip
        leaders = [i for i in seniors if i != ceo]
        for _ in range(int(n * 0.05)):  # the leaders of the business talk without the EA
            ids = pick(leaders, rng.randint(2, 5), ceo) if rng.random() < 0.4 else pick(leaders, 3)
            self.event(
                self.kind(0.5),
                ids,
                self.date(),
                rng.choice(["Operating review", "Leadership sync", "Cross-team priorities"]),
                name,
            )
        business = [heads[d] for d in rest_depts]
        for month in range(12):  # the monthly executive staff meeting; the CFO comes quarterly
            when = self.date(START + dt.timedelta(30 * month), START + dt.timedelta(30 * month + 6))
            ids = [ceo, hidden] + rng.sample(business, min(5, len(business)))
            if month % 3 == 2:
                ids[2:2] = [heads["Finance"], rng.choice([heads[d] for d in COALITION_DEPTS])]
            self.event("meeting", ids, when, "Executive staff meeting", name)
        for _ in range(int(n * 0.10)):  # the skeptics talk among themselves
            ids = pick(coalition, rng.randint(1, 5))
            self.event(self.kind(0.4), ids, self.date(), rng.choice([
                "Vendor risk assessment", "Data processing agreement", "Third-party access policy",
                f"Concerns: {topic} vendor", "Audit findings follow-up", "Privacy impact review"]),
                name)  # fmt: skip
        for _ in range(3):
            ids = pick(by_dept["IT"], 2, rng.choice(coalition))
            self.event("meeting", ids, self.date(), "Security review of new vendors", name)
        for _ in range(int(n * 0.02)):  # the advice seeker asks around
            ids = pick(by_dept[next(d for d in by_dept if seeker in by_dept[d])], rng.randint(1, 2),
                       seeker)  # fmt: skip
            self.event(self.kind(0.3, 0.4), ids, self.date(), "Quick question", name)

        # Our team with the customer: most of it with IT and the business, some with Finance
        # and the executives; never with the hidden influencer, hardly with the skeptics.
        reachable = [i for i in rest if i not in (hidden, cold)]
        for _ in range(int(n * 0.34)):
            ours = [t for t, _ in team]
            us = rng.choices(ours, weights=[w for _, w in team], k=rng.choice([1, 1, 2]))
            when = self.date()
            r = rng.random()
            if r < 0.72:
                ids = pick(reachable, rng.randint(1, 3))
                if when < COLD_AFTER and rng.random() < 0.5:
                    ids.insert(0, cold)
                what = rng.choice([f"{topic.capitalize()} pilot", "Demo follow-up",
                                   "Technical deep dive", "Data integration questions",
                                   "Pilot status", "Success plan check-in"])  # fmt: skip
            elif r < 0.86:
                ids = pick(by_dept["Finance"], rng.randint(1, 2), broker)
                what = rng.choice(["Pricing and ROI", "Budget cycle", "Commercial proposal"])
            else:
                ids = pick([heads[d] for d in rest_depts], rng.randint(1, 2), ceo)
                what = rng.choice(["Executive briefing", "Quarterly business review"])
            self.event(self.kind(0.3, 0.25), us + ids, when, what, name)
        for _ in range(4):
            self.event("email", ["int-03" if "int-03" in dict(team) else "int-02", reviewer],
                       self.date(), "Security questionnaire", name)  # fmt: skip
        for k in range(spec["conferences"]):  # an industry conference we both attend
            us = [t for t, _ in team][:2]
            ids = us + rng.sample([i for i in reachable if level[i] != 2], rng.randint(8, 12))
            when = self.date(dt.date(2026, 3 + 5 * k, 10), dt.date(2026, 3 + 5 * k, 20))
            self.event("conference", ids, when, f"{topic.title()} Summit 2026", name)

    # -- output -----------------------------------------------------------------------------
    def build(self) -> None:
        for pid, name, title, boss, level, _ in TEAM:
            self.names.add(name)
            self.person(pid, name, title, "Sales", "", boss, level, OUR_DOMAIN, "Boston", True)
        for spec in ACCOUNTS:
            people = self.build_org(spec)
            self.relationships(people, spec)
            self.activity(people, spec)

    def write(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        people = pd.DataFrame(self.people)
        people["internal"] = people["internal"].map({True: "true", False: "false"})
        rels = pd.DataFrame(self.rels)
        rels["directed"] = rels["directed"].map({True: "true", False: "false"})
        order = sorted(range(len(self.events)), key=lambda i: (self.events[i]["date"], i))
        events, parts = [], []
        for n, i in enumerate(order, start=1):
            e, eid = self.events[i], f"ev-{n:05d}"
            events.append({"id": eid, "date": e["date"].isoformat(), "type": e["type"],
                           "subject": e["subject"], "account": e["account"]})  # fmt: skip
            parts += [{"event_id": eid, "person_id": p, "role": r} for p, r in e["parts"]]
        tables = {"people": people, "relationships": rels, "events": pd.DataFrame(events),
                  "participants": pd.DataFrame(parts)}  # fmt: skip
        for file, frame in tables.items():
            frame.to_csv(out / f"{file}.csv", index=False, lineterminator="\n")


def main() -> None:
    gen = Generator(random.Random(SEED))
    gen.build()
    gen.write(OUT)
    print(f"wrote {len(gen.people)} people, {len(gen.rels)} relationships and "
          f"{len(gen.events)} events to {OUT}")  # fmt: skip


if __name__ == "__main__":
    main()
