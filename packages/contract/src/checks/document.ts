import { createBody } from "./bodies.js";
import type { Check } from "./check.js";
import { createConnection, encodeName, isRecord, remove, sameId, unknownName } from "./support.js";

export const documentChecks: Check[] = [
  {
    id: "document.accept-xml",
    profile: "core",
    title: "Accept: application/xml still gets JSON",
    requirement:
      "The Accept header is ignored: with Accept: application/xml the server still answers JSON (never 406), for successes and errors.",
    source:
      '"All content is returned in JSON. The Accept header is ignored for now." (API endpoint); spec quirk 6, listConnections',
    async run(ctx) {
      const xml = { Accept: "application/xml" };
      await ctx.step(async () => {
        const list = await ctx.call({ method: "GET", path: "/api/connections", headers: xml });
        ctx.expectStatus(
          list,
          [200],
          'GET /api/connections with Accept: application/xml answers 200, not 406 — "The Accept header is ignored for now." (API endpoint).',
        );
        ctx.expectJsonType(
          list,
          'The answer is JSON whatever the Accept header says — "The Accept header is ignored for now." (API endpoint).',
        );
        ctx.jsonBody(
          list,
          'The answer is JSON whatever the Accept header says — "The Accept header is ignored for now." (API endpoint).',
        );
      });
      await ctx.step(async () => {
        const missing = await ctx.call({
          method: "GET",
          path: encodeName(unknownName(ctx)),
          headers: xml,
        });
        ctx.expectStatus(
          missing,
          [404],
          'An unknown connection with Accept: application/xml answers 404, not 406 — "The Accept header is ignored for now." (API endpoint); RFC 9110 section 15.5.5.',
        );
        // An error answer needs no body (open point errors.body); one it has is JSON.
        if (missing.bytes > 0) {
          ctx.expectJsonType(
            missing,
            'An error answer is JSON whatever the Accept header says — "The Accept header is ignored for now." (API endpoint).',
          );
        }
      });
      await ctx.step(async () => {
        const name = ctx.uniqueName("accept-xml");
        const created = await ctx.call({
          method: "POST",
          path: "/api/connections",
          json: createBody(name),
          headers: xml,
        });
        ctx.expectStatus(
          created,
          [200, 201],
          'A create with Accept: application/xml succeeds with JSON — "The Accept header is ignored for now." (API endpoint).',
        );
        ctx.expectJsonType(
          created,
          'The created connection comes back as JSON — "All content is returned in JSON." (API endpoint).',
        );
        await remove(ctx, name);
      });
    },
  },
  {
    id: "document.trailing-slash",
    profile: "core",
    title: "The document's trailing-slash URLs work",
    requirement:
      "The URLs of the document's examples, which end in a slash (/api/connections/?access_token=…, /api/connections/{name}/?access_token=…), work like those without.",
    source:
      '"GET https://YOUR_NAMESPACE/api/connections/?access_token={ACCESS-TOKEN}" (List all Connections); "GET https://YOUR_NAMESPACE/api/connections/{A-CONNECTION-NAME}/?access_token=..." (Get a specific Connection); "DELETE https://YOUR_NAMESPACE/api/connections/{A-CONNECTION-NAME}/?access_token=..." (Delete a connection); spec quirk 5',
    async run(ctx) {
      const query = { kind: "query" } as const;
      await ctx.step(async () => {
        const list = await ctx.call({ method: "GET", path: "/api/connections/", auth: query });
        ctx.expectStatus(
          list,
          [200],
          'GET /api/connections/?access_token=… answers 200 — "GET https://YOUR_NAMESPACE/api/connections/?access_token={ACCESS-TOKEN}" (List all Connections).',
        );
        ctx.expectThat(
          list,
          'GET /api/connections/ answers the list, a JSON array — "To return a list of all defined connections in Auth0, use this syntax" (List all Connections).',
          (json) => (Array.isArray(json) ? undefined : "the body is not an array"),
        );
      });
      const { name, body } = await createConnection(ctx, "trailing-slash");
      await ctx.step(async () => {
        const got = await ctx.call({ method: "GET", path: `${encodeName(name)}/`, auth: query });
        ctx.expectStatus(
          got,
          [200],
          'GET /api/connections/{name}/?access_token=… answers 200 — "GET https://YOUR_NAMESPACE/api/connections/{A-CONNECTION-NAME}/?access_token=..." (Get a specific Connection).',
        );
        ctx.expectLike(
          got,
          { name },
          'GET /api/connections/{name}/ answers that connection — "will return the matching connection object only" (List all Connections).',
        );
      });
      await ctx.step(async () => {
        const removed = await ctx.call({
          method: "DELETE",
          path: `${encodeName(name)}/`,
          auth: query,
        });
        ctx.expectStatus(
          removed,
          [200],
          'DELETE /api/connections/{name}/?access_token=… answers 200 — "DELETE https://YOUR_NAMESPACE/api/connections/{A-CONNECTION-NAME}/?access_token=..." (Delete a connection).',
        );
        ctx.expectThat(
          removed,
          'DELETE /api/connections/{name}/ answers { "removed": <id> } — "If successful, the response body will contain a confirmation object" (Delete a connection).',
          (json) =>
            isRecord(json) && sameId(json.removed, body.id)
              ? undefined
              : `removed is ${JSON.stringify(isRecord(json) ? json.removed : json)}`,
        );
      });
    },
  },
  {
    id: "document.media-types",
    profile: "core",
    title: "Ordinary media-type details work",
    requirement:
      "A create sent as application/json; charset=utf-8 succeeds, and requests with Accept: */* or a browser's Accept list are answered as without one, in JSON.",
    source:
      '"POST https://YOUR_NAMESPACE/connections Content-Type: application/json" (Create a new Connection); RFC 8259 section 11 and RFC 9110 section 8.3 (a charset parameter is the same media type); "The Accept header is ignored for now." (API endpoint)',
    async run(ctx) {
      await ctx.step(async () => {
        const name = ctx.uniqueName("charset");
        const created = await ctx.call({
          method: "POST",
          path: "/api/connections",
          raw: JSON.stringify(createBody(name)),
          headers: { "Content-Type": "application/json; charset=utf-8" },
        });
        ctx.expectStatus(
          created,
          [200, 201],
          "A create sent as application/json; charset=utf-8 succeeds with 200 or 201.",
        );
        await remove(ctx, name);
      });
      for (const accept of ["*/*", "application/json, text/plain, */*", "text/html, */*;q=0.8"]) {
        await ctx.step(async () => {
          const list = await ctx.call({
            method: "GET",
            path: "/api/connections",
            headers: { Accept: accept },
          });
          ctx.expectStatus(
            list,
            [200],
            `GET /api/connections with Accept: ${accept} answers 200 — "The Accept header is ignored for now." (API endpoint).`,
          );
          ctx.expectJsonType(
            list,
            `GET /api/connections with Accept: ${accept} answers JSON — "The Accept header is ignored for now." (API endpoint).`,
          );
        });
      }
    },
  },
];
