// Checks messages our payment service sent against Adyen's own Terminal API code
// (@adyen/api-library): each captured request body is decrypted with the library's NexoCrypto,
// deserialized into the library's TerminalApiRequest model and serialized back; the result must be
// the same JSON tree as what we sent (no field lost, renamed or retyped). Also each envelope must
// fit the library's TerminalApiSecuredRequest model unchanged.
//
// node adyen_conformance.js --lib NODE_MODULES --key-id ID --key-version N --passphrase P FILE...
// Prints one line per file and "conformance: N messages, 0 differences"; exits 1 on any difference.
"use strict";

const fs = require("fs");
const path = require("path");

function args(argv) {
  const out = { files: [] };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) out[a.slice(2)] = argv[++i];
    else out.files.push(a);
  }
  return out;
}

// Paths where two JSON trees differ: missing or extra members, other values or types.
function diff(a, b, where, out) {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    out.push(`${where}: ${JSON.stringify(a)} became ${JSON.stringify(b)}`);
  } else if (Array.isArray(a)) {
    if (a.length !== b.length) out.push(`${where}: ${a.length} elements became ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) diff(a[i], b[i], `${where}[${i}]`, out);
  } else if (a !== null && typeof a === "object") {
    for (const k of Object.keys(a)) {
      if (!(k in b) || b[k] === undefined) out.push(`${where}.${k}: lost`);
      else diff(a[k], b[k], `${where}.${k}`, out);
    }
    for (const k of Object.keys(b)) if (!(k in a) && b[k] !== undefined) out.push(`${where}.${k}: added`);
  } else if (a !== b) {
    out.push(`${where}: ${JSON.stringify(a)} became ${JSON.stringify(b)}`);
  }
  return out;
}

// The library's serializer leaves undefined members in place; JSON has none.
const plain = (v) => JSON.parse(JSON.stringify(v));

function main() {
  const o = args(process.argv);
  const lib = require(path.join(o.lib, "@adyen", "api-library"));
  const { ObjectSerializer } = require(path.join(o.lib, "@adyen", "api-library", "lib", "src", "typings", "terminal",
                                                  "models"));
  const key = {
    AdyenCryptoVersion: 1,
    KeyIdentifier: o["key-id"],
    KeyVersion: Number(o["key-version"]),
    Passphrase: o.passphrase,
  };
  if (o.files.length === 0) throw new Error("no captured messages given");
  let differences = 0;
  const categories = new Set();
  for (const file of o.files) {
    const sent = JSON.parse(fs.readFileSync(file, "utf8"));
    const secured = sent.SaleToPOIRequest;
    if (!secured || !secured.NexoBlob || !secured.SecurityTrailer)
      throw new Error(`${file}: not an encrypted SaleToPOIRequest`);
    const problems = [];
    // The envelope through the library's model.
    const env = plain(ObjectSerializer.serialize(ObjectSerializer.deserialize(sent, "TerminalApiSecuredRequest"),
                                                 "TerminalApiSecuredRequest"));
    diff(sent, env, "envelope", problems);
    // Decrypt (this also checks the Hmac) and round-trip the message through the models.
    const text = new lib.NexoCrypto().decrypt(secured, key);
    const message = JSON.parse(text);
    const model = ObjectSerializer.deserialize(message, "TerminalApiRequest");
    const back = plain(ObjectSerializer.serialize(model, "TerminalApiRequest"));
    diff(message, back, "message", problems);
    if (JSON.stringify(message.SaleToPOIRequest.MessageHeader) !== JSON.stringify(secured.MessageHeader))
      problems.push("envelope.MessageHeader differs from the encrypted one");
    const category = message.SaleToPOIRequest.MessageHeader.MessageCategory;
    categories.add(category);
    console.log(`${path.basename(file)}: ${category} ${problems.length === 0 ? "ok" : "DIFFERS"}`);
    for (const p of problems) console.log(`  ${p}`);
    differences += problems.length;
  }
  console.log(`conformance: ${o.files.length} messages (${[...categories].sort().join(", ")}), ` +
              `${differences} differences`);
  process.exit(differences === 0 ? 0 : 1);
}

try {
  main();
} catch (e) {
  console.error(`conformance: ${e.message}`);
  process.exit(1);
}
