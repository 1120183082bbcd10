# SPDX-License-Identifier: Apache-2.0
"""The reference peer: the specification's original stack (FastAPI + uvicorn) serving the same
authenticated, audited patient read from the same SQLite files, written as a competent team
would write it.

- The access token is MediSecure's own (HS256, verified with the standard library's hmac, with
  the key derived exactly as the server derives it), so both servers see the same requests.
- The patient is read from MediSecure's patients.db (read-only connection per worker).
- Every read appends an audit row to its own SQLite file (WAL, synchronous=FULL) and commits it
  before answering, as MediSecure does; the commit is per request (no group commit).

Run: /usr/bin/python3 -m uvicorn fastapi_ref:app --workers 2 (with MEDISECURE_DATA_DIR and
BENCH_AUDIT_DB in the environment).
"""
import base64
import hashlib
import hmac
import json
import os
import sqlite3
import threading
import time
import uuid

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

DATA_DIR = os.environ["MEDISECURE_DATA_DIR"]
AUDIT_DB = os.environ["BENCH_AUDIT_DB"]

with open(os.path.join(DATA_DIR, "secrets", "jwt_secret.key"), "rb") as f:
    _secret = f.read().strip()
if len(_secret) > 64:
    _secret = hashlib.sha256(_secret).digest()
JWT_KEY = hashlib.blake2b(b"medisecure access token v1", key=_secret, digest_size=32).digest()
HEADER = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=").decode()

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
_local = threading.local()


def _connections():
    c = getattr(_local, "c", None)
    if c is None:
        patients = sqlite3.connect(f"file:{os.path.join(DATA_DIR, 'patients.db')}?mode=ro", uri=True,
                                   check_same_thread=False)
        patients.row_factory = sqlite3.Row
        audit = sqlite3.connect(AUDIT_DB, isolation_level=None, check_same_thread=False, timeout=10)
        audit.execute("PRAGMA journal_mode=WAL")
        audit.execute("PRAGMA synchronous=FULL")
        audit.execute(
            "CREATE TABLE IF NOT EXISTS audit_log (id INTEGER PRIMARY KEY, at INTEGER, actor TEXT, role TEXT, "
            "action TEXT, resource_id TEXT, client_ip TEXT, request_id TEXT, outcome TEXT)")
        c = _local.c = (patients, audit)
    return c


def _b64d(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def verify(token: str):
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != HEADER:
        return None
    mac = hmac.new(JWT_KEY, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(mac, _b64d(parts[2])):
        return None
    claims = json.loads(_b64d(parts[1]))
    if claims.get("exp", 0) < time.time() or claims.get("iss") != "medisecure":
        return None
    return claims


def problem(status: int, title: str):
    return JSONResponse({"type": "about:blank", "title": title, "status": status}, status_code=status,
                        media_type="application/problem+json")


def to_json(r: sqlite3.Row) -> dict:
    return {
        "id": r["id"], "mrn": r["mrn"], "first_name": r["first_name"], "last_name": r["last_name"],
        "birth_name": r["birth_name"], "sex": r["sex"], "birth_date": r["birth_date"], "nir": r["nir"],
        "address": {"line1": r["address_line1"], "line2": r["address_line2"], "postal_code": r["postal_code"],
                    "city": r["city"], "country": r["country"]},
        "insurance": {"amo_number": r["amo_number"], "amo_fund": r["amo_fund"], "amc_name": r["amc_name"],
                      "amc_number": r["amc_number"]},
        "archived": bool(r["archived"]), "created_at": r["created_at"], "updated_at": r["updated_at"],
        "version": r["version"], "birth_place_code": r["birth_place_code"], "ins_oid": r["ins_oid"],
        "identity_status": r["identity_status"], "email": r["email"], "phone": r["phone"],
        "emergency_contact": {"name": r["emergency_name"], "relationship": r["emergency_relationship"],
                              "phone": r["emergency_phone"]},
        "preferred_language": r["preferred_language"], "primary_practitioner_id": r["primary_practitioner_id"],
    }


@app.get("/health/live")
async def live():
    return {"status": "ok"}


@app.get("/api/v1/patients/{patient_id}")
async def get_patient(patient_id: str, request: Request):
    auth = request.headers.get("authorization", "")
    claims = verify(auth[7:]) if auth.startswith("Bearer ") else None
    if claims is None:
        return problem(401, "Authentication required")
    role = claims.get("role")
    if role == "patient" and claims.get("pid") != patient_id:
        return problem(404, "Not found")
    patients, audit = _connections()
    row = patients.execute("SELECT * FROM patients WHERE id = ?", (patient_id,)).fetchone()
    outcome = "success" if row is not None else "not_found"
    audit.execute(
        "INSERT INTO audit_log (at, actor, role, action, resource_id, client_ip, request_id, outcome) "
        "VALUES (?, ?, ?, 'patient.read', ?, ?, ?, ?)",
        (time.time_ns() // 1000, claims["sub"], role, patient_id, request.client.host if request.client else "",
         str(uuid.uuid4()), outcome))
    if row is None:
        return problem(404, "Not found")
    body = json.dumps(to_json(row), ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, media_type="application/json",
                    headers={"ETag": f'"v{row["version"]}"', "Cache-Control": "no-store"})
