// SPDX-License-Identifier: Apache-2.0
// Initiates the replica set rs0 over MONGODB_HOSTS (comma-separated host:port, the first one
// preferred as primary) and creates the application's user, each only when missing: run again,
// it changes nothing. Used by Compose (one member) and Kubernetes (three, mongodb-init-job.yaml).
const fs = require("fs");
const read = (name) => fs.readFileSync(`${process.env.SECRETS_DIR || "/run/secrets"}/${name}`, "utf8").trim();
const hosts = process.env.MONGODB_HOSTS.split(",");
const rootPassword = read(process.env.ROOT_PASSWORD_FILE || "mongodb_root_password");
const appPassword = read(process.env.APP_PASSWORD_FILE || "mongodb_app_password");

function connect(host) {
  for (let attempt = 1; ; attempt++) {
    try {
      return new Mongo(`mongodb://root:${encodeURIComponent(rootPassword)}@${host}/admin?authSource=admin&directConnection=true`).getDB("admin");
    } catch (e) {
      if (attempt >= 60) throw e;
      sleep(2000);
    }
  }
}

const admin = connect(hosts[0]);
// mongosh returns or throws a failed command depending on its version: take both as a status.
let status;
try {
  status = admin.runCommand({ replSetGetStatus: 1 });
} catch (e) {
  status = { ok: 0, code: e.code, errmsg: e.message };
}
if (!status.ok) {
  if (status.code !== 94) throw new Error(`replSetGetStatus: ${status.errmsg}`); // 94: NotYetInitialized
  const members = hosts.map((h, i) => ({ _id: i, host: h, priority: i === 0 ? 2 : 1 }));
  printjson(admin.runCommand({ replSetInitiate: { _id: "rs0", members } }));
}
// Wait for a primary, then create the user there.
for (let i = 0; i < 120 && !admin.runCommand({ hello: 1 }).isWritablePrimary; i++) sleep(1000);
if (!admin.runCommand({ hello: 1 }).isWritablePrimary) throw new Error("no primary after 120 s");
if (!admin.getUser("medisecure")) {
  admin.createUser({
    user: "medisecure",
    pwd: appPassword,
    roles: [{ role: "readWrite", db: "medisecure_appointments" }],
  });
  print("mongodb-init: user medisecure created");
}
print(`mongodb-init: rs0 ready on ${hosts.length} member(s)`);
