// ajv (JSON Schema 2020-12, strict, with ajv-formats) judging every Catapult vector of
// specs/examples/index.json against the component schema it names. Prints one JSON object,
// {file: verdict}, and exits 1 if any verdict differs from the index (a vector of layer "rules"
// is valid against the schema: it breaks a rule that only the schema's description states).
// Usage: node dist/src/vectors.js SPEC_FILE EXAMPLES_DIR
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";

interface Vector {
  file: string;
  platform: string;
  schema: string;
  valid: boolean;
  array?: boolean; // the file holds a JSON array of `schema`
  layer?: string; // "rules": valid against the schema, breaking a rule only its text states
}

const [specFile, examples] = process.argv.slice(2);
if (!specFile || !examples) throw new Error("usage: vectors.js SPEC_FILE EXAMPLES_DIR");
const spec = parse(readFileSync(specFile, "utf8")) as { components: Record<string, unknown> };
const index = JSON.parse(readFileSync(join(examples, "index.json"), "utf8")) as { vectors: Vector[] };

// strict: any keyword ajv does not know is an error, except OpenAPI's own: its annotation
// keywords, and `components`, the container the schemas' "#/components/schemas/..." refs point in.
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
ajv.addVocabulary(["components", "example", "xml", "externalDocs", "discriminator"]);
ajv.addSchema({ $id: "https://bandwidth-apps.invalid/catapult", components: spec.components });

const verdicts: Record<string, boolean> = {};
const disagreements: string[] = [];
for (const vector of index.vectors.filter((each) => each.platform === "catapult")) {
  const validate = ajv.getSchema(`https://bandwidth-apps.invalid/catapult#/components/schemas/${vector.schema}`);
  if (!validate) throw new Error(`no schema ${vector.schema}`);
  const body: unknown = JSON.parse(readFileSync(join(examples, vector.file), "utf8"));
  const valid = vector.array
    ? Array.isArray(body) && body.every((item) => validate(item) as boolean)
    : (validate(body) as boolean);
  verdicts[vector.file] = valid;
  const expected = vector.valid || vector.layer === "rules";
  if (valid !== expected) disagreements.push(`${vector.file}: ajv says ${valid ? "valid" : "invalid"}`);
}
console.log(JSON.stringify(verdicts));
if (disagreements.length > 0) {
  console.error(disagreements.join("\n"));
  process.exit(1);
}
