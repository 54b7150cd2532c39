"""People of a Salesforce export beyond ``Contact.csv``: contacts related to several
accounts (one more person row per other account) and buying roles from opportunity
contact roles."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from influence.io.frames import (
    lookup,
    lookup_table,
    skip_rows,
    text_frame,
    warn_rows,
)
from influence.io.quality import DataQuality
from influence.io.salesforce.reader import _account_of, _get, _Reader, _true
from influence.io.tables import _key

#: Opportunity contact roles (standard picklist and common custom values) → buying role.
ROLE_MAP = {
    _key(k): v
    for k, v in {
        "Decision Maker": "Decision Maker",
        "Economic Buyer": "Economic Buyer",
        "Economic Decision Maker": "Economic Buyer",
        "Budget Holder": "Economic Buyer",
        "Technical Buyer": "Technical Buyer",
        "Technical Decision Maker": "Technical Buyer",
        "Evaluator": "Evaluator",
        "Influencer": "Influencer",
        "Champion": "Champion",
        "Business User": "Business User",
        "End User": "Business User",
        "User": "Business User",
        "Executive Sponsor": "Executive Sponsor",
        "Executive": "Executive Sponsor",
        "Sponsor": "Executive Sponsor",
        "Other": "Other",
    }.items()
}


#: When a contact has several roles, the first in this order wins (primary roles first).
ROLE_PRIORITY = [
    "Economic Buyer",
    "Decision Maker",
    "Executive Sponsor",
    "Champion",
    "Technical Buyer",
    "Evaluator",
    "Influencer",
    "Business User",
    "Other",
    "",
]


def _roles(values: pd.Series, q: DataQuality, df: pd.DataFrame, column: str) -> pd.Series:
    """Buying roles of Salesforce role texts (multi-select: the highest-priority one)."""
    codes, uniques = pd.factorize(values)
    best, unknown = [], []
    for text in uniques:
        found = []
        for part in re.split(r"[;,]", str(text)):
            if part.strip():
                role = ROLE_MAP.get(_key(part))
                found.append(role or "Other")
                if role is None:
                    unknown.append(text)
        best.append(min(found, key=ROLE_PRIORITY.index) if found else "")
    if unknown:
        bad = values.isin(set(unknown))
        warn_rows(
            q,
            df,
            bad,
            "unknown_buying_role",
            column,
            lambda r: f"unknown role {r[column]!r}; read as 'Other'",
            skipped=False,
        )
    return pd.Series(np.asarray(best, dtype=object)[codes], index=values.index, dtype=object)


def _aliases(
    r: _Reader,
    contacts: pd.DataFrame,
    contact_acct: pd.Series,
    names: pd.Series,
    people: pd.DataFrame,
) -> pd.DataFrame:
    """One person row per (contact, other account) of ``AccountContactRelation.csv``."""
    cols = list(people.columns)
    acr = r.read("AccountContactRelation.csv")
    if acr is None or acr.empty:
        return pd.DataFrame(columns=cols)
    q = r.q
    acr = skip_rows(
        q,
        acr,
        ~acr["ContactId"].isin(contact_acct.index),
        "unknown_contact",
        "ContactId",
        lambda x: f"contact {x['ContactId']!r} is not in Contact.csv; the row is skipped",
    )
    if "IsActive" in acr:
        acr = skip_rows(
            q,
            acr,
            ~_true(acr, "IsActive") & (_get(acr, "IsActive") != ""),
            "inactive_relation",
            "IsActive",
            lambda x: "inactive account-contact relation; the row is skipped",
        )
    primary = lookup(acr["ContactId"], contact_acct).to_numpy() == acr["AccountId"]
    indirect = acr[~primary & (acr["AccountId"] != "")]
    indirect = skip_rows(
        q,
        indirect,
        indirect.duplicated(["ContactId", "AccountId"]).to_numpy(),
        "duplicate_relation",
        "AccountId",
        lambda x: f"{x['ContactId']!r} is related to {x['AccountId']!r} twice; counted once",
    )
    if names.size:
        warn_rows(
            q,
            indirect,
            ~indirect["AccountId"].isin(names.index),
            "unknown_account",
            "AccountId",
            lambda x: f"account {x['AccountId']!r} is not in Account.csv; named by its id",
            skipped=False,
        )
    base = people.drop_duplicates("id").set_index("id")
    src = base.loc[indirect["ContactId"].to_numpy()]
    out = text_frame(
        {
            "id": (indirect["ContactId"] + "@" + indirect["AccountId"]).to_numpy(),
            "name": src["name"].to_numpy(),
            "title": src["title"].to_numpy(),
            "department": src["department"].to_numpy(),
            "account": _account_of(indirect["AccountId"], names).to_numpy(),
            "reports_to": "",
            "email": src["email"].to_numpy(),
            "internal": "false",
            "crm_id": indirect["ContactId"].to_numpy(),
            "account_id": indirect["AccountId"].to_numpy(),
            "owner_id": src["owner_id"].to_numpy(),
            "_file": indirect["_file"].to_numpy(),
            "_row": indirect["_row"].to_numpy(),
        }
    )
    if "Roles" in indirect:
        out["acr_role"] = _roles(
            _get(indirect, "Roles"), q, indirect.reset_index(drop=True), "Roles"
        ).to_numpy()
    return out


def _buying_roles(r: _Reader, people: pd.DataFrame, contact_acct: pd.Series) -> pd.DataFrame:
    """``buying_role`` and ``is_primary`` from opportunity contact roles (per account)."""
    people["buying_role"] = people.pop("acr_role") if "acr_role" in people else ""
    people["buying_role"] = (
        people["buying_role"].astype(object).where(people["buying_role"].notna(), "")
    )
    people["is_primary"] = "false"
    ocr = r.read("OpportunityContactRole.csv")
    if ocr is None or ocr.empty:
        return people
    q = r.q
    opps = r.read("Opportunity.csv")
    ocr = skip_rows(
        q,
        ocr,
        ~ocr["ContactId"].isin(contact_acct.index),
        "unknown_contact",
        "ContactId",
        lambda x: f"contact {x['ContactId']!r} is not in Contact.csv; the row is skipped",
    ).reset_index(drop=True)
    opp_acct = lookup_table([], [])
    if opps is not None:
        opp_acct = lookup_table(opps["Id"], opps["AccountId"])
    acct = lookup(ocr["OpportunityId"], opp_acct)
    # The person row of the contact in the opportunity's account (an alias) or its own row.
    alias = ocr["ContactId"] + "@" + acct
    target = alias.where(alias.isin(people["id"]), ocr["ContactId"])
    role = _roles(_get(ocr, "Role"), q, ocr, "Role")
    best = pd.DataFrame(
        {
            "id": target,
            "role": role,
            "primary": _true(ocr, "IsPrimary"),
            "rank": role.map(ROLE_PRIORITY.index),
            "row": ocr["_row"],
        }
    )
    primary = best.groupby("id")["primary"].any()
    best = best.sort_values(["id", "primary", "rank", "row"], ascending=[True, False, True, True])
    best = best[best["role"] != ""].drop_duplicates("id").set_index("id")["role"]
    found = lookup(people["id"], best, None)
    people["buying_role"] = found.where(found.notna(), people["buying_role"])
    is_primary = people["id"].isin(primary.index[primary.to_numpy(dtype=bool)])
    people["is_primary"] = np.where(is_primary, "true", "false").astype(object)
    return people
