#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A MongoDB TEST DOUBLE for the tests: not MongoDB, and no substitute for it.

Debian ships no MongoDB server and none can be downloaded here, so the appointments' MongoDB
adapter is tested against this double, assembled from two Debian packages:
  - python3-mockupdb speaks the wire protocol (OP_MSG, and OP_QUERY for the handshake); the
    double answers `hello`/`isMaster` as the primary of a one-member replica set (setName rs0,
    hosts = its own address, maxWireVersion 13, logicalSessionTimeoutMinutes), so that the C
    driver allows sessions and multi-document transactions;
  - python3-mongomock stores the documents and runs CRUD, filters, sort/limit, updates, indexes
    (unique ones answer duplicate keys with code 11000), counts and deletes.

What it does NOT do: isolation. Requests are handled one at a time and a transaction's writes
are applied immediately, visible to everyone; commitTransaction forgets them, abortTransaction
(or ending the session) puts back what they changed, from an undo log kept per transaction.
So it can check that an aborted unit leaves nothing behind, but never that two concurrent
transactions conflict: that needs a real MongoDB (MEDISECURE_TEST_MONGO_URL). No
authentication, no TLS, no write concern waits, one process's memory only.

Usage: mongo-double.py --port PORT [--host 127.0.0.1]; stops on SIGTERM or SIGINT.
"""

import argparse
import datetime
import signal
import sys
import threading
import traceback
import uuid

import bson
from bson.int64 import Int64
from bson.objectid import ObjectId
import mockupdb
import mongomock
from pymongo.errors import OperationFailure, WriteError

MAX_WIRE_VERSION = 13  # MongoDB 5.0: what the C driver needs for transactions on a replica set
SET_NAME = "rs0"
ELECTION_ID = ObjectId("7fffffff0000000000000001")


class Double:
    """Runs each command on mongomock; keeps the undo logs of open transactions."""

    def __init__(self, address):
        self.address = address
        self.client = mongomock.MongoClient()
        self.undo = {}  # (session id, txnNumber) -> [(collection, _id, document before or None)]
        self.connection_ids = 0
        self.commands = {
            "hello": self.hello, "ismaster": self.hello, "ping": self.ok,
            "buildinfo": self.build_info, "endsessions": self.end_sessions,
            "committransaction": self.commit, "aborttransaction": self.abort,
            "insert": self.insert, "update": self.update, "delete": self.delete,
            "find": self.find, "aggregate": self.aggregate, "count": self.count,
            "createindexes": self.create_indexes, "listindexes": self.list_indexes,
            "listcollections": self.list_collections, "drop": self.drop,
            "dropdatabase": self.drop_database, "killcursors": self.ok,
        }

    # --- dispatch ---

    def handle(self, request):
        doc = request.doc
        name = next(iter(doc)) if doc else ""
        handler = self.commands.get(name.lower())
        try:
            if handler is None:
                reply = {"ok": 0, "code": 59, "codeName": "CommandNotFound",
                         "errmsg": "the MongoDB test double does not implement %r" % name}
            else:
                reply = handler(request.namespace or "admin", doc)
        except OperationFailure as e:
            reply = {"ok": 0, "code": e.code or 8, "errmsg": str(e)}
        except Exception as e:  # answer, or the client would wait for its socket timeout
            traceback.print_exc()
            reply = {"ok": 0, "code": 1, "errmsg": "test double: %s: %s" % (type(e).__name__, e)}
        request.replies(reply)
        return True

    def ok(self, db, doc):
        return {"ok": 1}

    def hello(self, db, doc):
        self.connection_ids += 1
        return {
            "ismaster": True, "isWritablePrimary": True, "helloOk": True, "secondary": False,
            "setName": SET_NAME, "setVersion": 1, "electionId": ELECTION_ID,
            "hosts": [self.address], "primary": self.address, "me": self.address,
            "minWireVersion": 0, "maxWireVersion": MAX_WIRE_VERSION,
            "logicalSessionTimeoutMinutes": 30, "maxBsonObjectSize": 16 * 1024 * 1024,
            "maxMessageSizeBytes": 48000000, "maxWriteBatchSize": 100000,
            "localTime": datetime.datetime.now(datetime.timezone.utc),
            "connectionId": self.connection_ids, "readOnly": False, "ok": 1,
        }

    def build_info(self, db, doc):
        return {"version": "5.0.0-medisecure-test-double", "versionArray": [5, 0, 0, 0], "ok": 1}

    # --- transactions: applied at once, undone on abort ---

    @staticmethod
    def session_id(value):
        # A UUID (binary subtype 4), decoded as uuid.UUID or as bytes depending on the codec.
        return value.bytes if isinstance(value, uuid.UUID) else bytes(value)

    def txn_key(self, doc):
        if "txnNumber" not in doc or "lsid" not in doc:
            return None
        return (self.session_id(doc["lsid"]["id"]), int(doc["txnNumber"]))

    def undo_log(self, doc):
        key = self.txn_key(doc)
        if key is None or doc.get("autocommit", True) is not False:
            return None
        return self.undo.setdefault(key, [])

    def commit(self, db, doc):
        self.undo.pop(self.txn_key(doc), None)
        return {"ok": 1}

    def abort(self, db, doc):
        self.roll_back(self.undo.pop(self.txn_key(doc), []))
        return {"ok": 1}

    def end_sessions(self, db, doc):
        # A session that ends aborts its open transaction, as on a server.
        ended = {self.session_id(s["id"]) for s in doc.get("endSessions", [])}
        for key in [k for k in self.undo if k[0] in ended]:
            self.roll_back(self.undo.pop(key))
        return {"ok": 1}

    @staticmethod
    def roll_back(log):
        for collection, _id, before in reversed(log):
            collection.delete_one({"_id": _id})
            if before is not None:
                collection.insert_one(before)

    # --- CRUD ---

    def collection(self, db, doc):
        return self.client[db][doc[next(iter(doc))]]

    def insert(self, db, doc):
        coll, undo = self.collection(db, doc), self.undo_log(doc)
        n, errors = 0, []
        for i, d in enumerate(doc.get("documents", [])):
            try:
                coll.insert_one(d)
            except WriteError as e:
                errors.append({"index": i, "code": e.code or 2, "errmsg": str(e)})
                if doc.get("ordered", True):
                    break
                continue
            n += 1
            if undo is not None:
                undo.append((coll, d["_id"], None))
        return self.write_reply(n, errors)

    def update(self, db, doc):
        coll, undo = self.collection(db, doc), self.undo_log(doc)
        n, modified, upserted, errors = 0, 0, [], []
        for i, spec in enumerate(doc.get("updates", [])):
            try:
                result = self.update_one_spec(coll, spec, undo)
            except WriteError as e:
                errors.append({"index": i, "code": e.code or 2, "errmsg": str(e)})
                if doc.get("ordered", True):
                    break
                continue
            n += result.matched_count
            modified += result.modified_count
            if result.upserted_id is not None:
                n += 1
                upserted.append({"index": i, "_id": result.upserted_id})
        reply = self.write_reply(n, errors)
        reply["nModified"] = modified
        if upserted:
            reply["upserted"] = upserted
        return reply

    @staticmethod
    def update_one_spec(coll, spec, undo):
        q, u = spec.get("q", {}), spec["u"]
        multi, upsert = spec.get("multi", False), spec.get("upsert", False)
        if not isinstance(u, dict):
            raise OperationFailure("the MongoDB test double has no pipeline updates", 72)
        before = list(coll.find(q) if multi else coll.find(q).limit(1)) if undo is not None else []
        if u and not any(k.startswith("$") for k in u):
            result = coll.replace_one(q, u, upsert=upsert)
        elif multi:
            result = coll.update_many(q, u, upsert=upsert)
        else:
            result = coll.update_one(q, u, upsert=upsert)
        if undo is not None:
            undo.extend((coll, d["_id"], d) for d in before)
            if result.upserted_id is not None:
                undo.append((coll, result.upserted_id, None))
        return result

    def delete(self, db, doc):
        coll, undo = self.collection(db, doc), self.undo_log(doc)
        n = 0
        for spec in doc.get("deletes", []):
            q, one = spec.get("q", {}), spec.get("limit", 0) == 1
            matched = list(coll.find(q).limit(1) if one else coll.find(q))
            for d in matched:
                coll.delete_one({"_id": d["_id"]})
                if undo is not None:
                    undo.append((coll, d["_id"], d))
            n += len(matched)
        return {"n": n, "ok": 1}

    @staticmethod
    def write_reply(n, errors):
        reply = {"n": n, "ok": 1}
        if errors:
            reply["writeErrors"] = errors
        return reply

    # --- reads ---

    @staticmethod
    def cursor(db, name, docs):
        return {"cursor": {"id": Int64(0), "ns": "%s.%s" % (db, name), "firstBatch": docs},
                "ok": 1}

    def find(self, db, doc):
        coll = self.collection(db, doc)
        cur = coll.find(doc.get("filter", {}), doc.get("projection"))
        if doc.get("sort"):
            cur = cur.sort(list(doc["sort"].items()))
        if doc.get("skip"):
            cur = cur.skip(int(doc["skip"]))
        if doc.get("limit"):
            cur = cur.limit(abs(int(doc["limit"])))
        return self.cursor(db, doc["find"], list(cur))

    def aggregate(self, db, doc):
        coll = self.collection(db, doc)
        return self.cursor(db, doc["aggregate"], list(coll.aggregate(doc.get("pipeline", []))))

    def count(self, db, doc):
        return {"n": self.collection(db, doc).count_documents(doc.get("query") or {}), "ok": 1}

    # --- collections and indexes ---

    def create_indexes(self, db, doc):
        coll = self.collection(db, doc)
        before = len(coll.index_information())
        for spec in doc.get("indexes", []):
            options = {"name": spec["name"], "unique": spec.get("unique", False)}
            if "partialFilterExpression" in spec:
                options["partialFilterExpression"] = spec["partialFilterExpression"]
            coll.create_index(list(spec["key"].items()), **options)
        return {"numIndexesBefore": before, "numIndexesAfter": len(coll.index_information()),
                "createdCollectionAutomatically": before == 0, "ok": 1}

    def list_indexes(self, db, doc):
        return self.cursor(db, doc["listIndexes"],
                           list(self.collection(db, doc).list_indexes()))

    def list_collections(self, db, doc):
        names = self.client[db].list_collection_names()
        return self.cursor(db, "$cmd.listCollections",
                           [{"name": n, "type": "collection"} for n in names])

    def drop(self, db, doc):
        self.client[db].drop_collection(doc["drop"])
        return {"ok": 1}

    def drop_database(self, db, doc):
        self.client.drop_database(db)
        return {"ok": 1}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()

    address = "%s:%d" % (args.host, args.port)
    double = Double(address)
    server = mockupdb.MockupDB(port=args.port, request_timeout=int(1e6))
    # MockupDB binds ('localhost', port); the replica set's one member is named by address.
    server._address = (args.host, args.port)
    server.autoresponds(double.handle)
    server.run()
    print("mongo-double: MongoDB test double (no isolation) on mongodb://%s/?replicaSet=%s"
          % (address, SET_NAME), flush=True)

    stopped = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
