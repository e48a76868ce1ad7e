// Full CRUD on the Catapult applications of a running sandbox, through openapi-fetch and the
// types openapi-typescript made from specs/catapult-v1.openapi.yaml. Prints one JSON summary.
// Usage: CATAPULT_URL=http://127.0.0.1:PORT/v1 CATAPULT_USER=u-1 CATAPULT_TOKEN=t CATAPULT_SECRET=s node dist/src/crud.js
import createClient from "openapi-fetch";
import type { components, paths } from "../generated/catapult.js";

type Application = components["schemas"]["Application"];

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const baseUrl = setting("CATAPULT_URL");
const userId = setting("CATAPULT_USER");
const basic = Buffer.from(`${setting("CATAPULT_TOKEN")}:${setting("CATAPULT_SECRET")}`).toString("base64");
const client = createClient<paths>({ baseUrl, headers: { Authorization: `Basic ${basic}` } });

function nextLink(header: string | null): string | undefined {
  // RFC 8288: <url>; rel="next"
  for (const part of (header ?? "").split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

async function main(): Promise<void> {
  const created: string[] = [];
  for (const name of ["ts-first", "ts-second", "ts-third"]) {
    // Only what the user sets: defaults (autoAnswer, callbackHttpMethod, timeouts) stay optional.
    const { response, error } = await client.POST("/users/{userId}/applications", {
      params: { path: { userId } },
      body: { name, incomingCallUrl: `https://example.com/${name}` },
    });
    if (response.status !== 201 || error) throw new Error(`create: ${response.status} ${JSON.stringify(error)}`);
    const location = response.headers.get("location");
    if (!location) throw new Error("create: no Location");
    // Absolute or a path: resolved against the request's URL, the id is the last segment.
    const id = new URL(location, response.url).pathname.split("/").pop();
    if (!id) throw new Error(`create: no id in ${location}`);
    created.push(id);
  }

  // List, one application a page, following rel="next" to the end.
  const listed: Application[] = [];
  let page = await client.GET("/users/{userId}/applications", {
    params: { path: { userId }, query: { size: 1 } },
  });
  for (let pages = 0; pages < 100; pages++) {
    if (!page.data) throw new Error(`list: ${page.response.status}`);
    listed.push(...page.data);
    const next = nextLink(page.response.headers.get("link"));
    if (!next) break;
    const answer = await fetch(next, { headers: { Authorization: `Basic ${basic}` } });
    page = { data: (await answer.json()) as Application[], response: answer, error: undefined };
  }

  const id = created[0]!;
  const got = await client.GET("/users/{userId}/applications/{applicationId}", {
    params: { path: { userId, applicationId: id } },
  });
  if (!got.data) throw new Error(`get: ${got.response.status}`);

  const updated = await client.POST("/users/{userId}/applications/{applicationId}", {
    params: { path: { userId, applicationId: id } },
    body: { name: "ts-renamed", autoAnswer: false },
  });
  if (updated.response.status !== 200) throw new Error(`update: ${updated.response.status}`);
  const after = await client.GET("/users/{userId}/applications/{applicationId}", {
    params: { path: { userId, applicationId: id } },
  });

  for (const each of created) {
    const deleted = await client.DELETE("/users/{userId}/applications/{applicationId}", {
      params: { path: { userId, applicationId: each } },
    });
    if (deleted.response.status !== 200) throw new Error(`delete: ${deleted.response.status}`);
  }
  const gone = await client.GET("/users/{userId}/applications/{applicationId}", {
    params: { path: { userId, applicationId: id } },
  });

  console.log(
    JSON.stringify({
      created,
      listed: listed.map((application) => application.id),
      got: { id: got.data.id, name: got.data.name, autoAnswer: got.data.autoAnswer },
      updated: { name: after.data?.name, autoAnswer: after.data?.autoAnswer },
      goneStatus: gone.response.status,
      goneCode: gone.error?.code,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(String(error));
  process.exit(1);
});
