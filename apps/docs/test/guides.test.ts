import { fileURLToPath } from "node:url";
import { startServer } from "@mgmtkit/reference-server";
import { createManagementClient } from "@mgmtkit/sdk";
import { describe, expect, it } from "vitest";
import { parseCatalog, renderCatalog } from "../scripts/check-catalog.mjs";
import { expandDirectives } from "../scripts/guides.mjs";
import { resolveBin } from "../scripts/package-cli.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

const check = {
  id: "auth.no-token",
  profile: "core",
  title: "A call without a token is refused",
  requirement: "Each API request must include an access token.",
  source: "API endpoint, line 7",
};

describe("guide directives", () => {
  it("include a file as a fenced code block", () => {
    const markdown = expandDirectives(
      "Before\n<!-- include: guides/code/start-server.ts ts -->\nAfter",
      {
        root,
        generators: {},
        guide: "test",
      },
    );
    expect(markdown).toMatch(
      /^Before\n```ts\nimport \{ startServer \} from "@mgmtkit\/reference-server";\n[\s\S]*\n```\nAfter$/,
    );
  });

  it("put a generator's output in place of its line", () => {
    const markdown = expandDirectives("<!-- generated: answer -->", {
      root,
      generators: { answer: () => "42" },
      guide: "test",
    });
    expect(markdown).toBe("42");
  });

  it("refuse an unknown generator", () => {
    expect(() =>
      expandDirectives("<!-- generated: nope -->", { root, generators: {}, guide: "test" }),
    ).toThrow('guides/test.md asks for an unknown generated block "nope".');
  });
});

describe("the check catalog", () => {
  it.each([
    ["output that is not JSON", { given: "id profile title", want: "did not print JSON" }],
    ["an empty catalog", { given: "[]", want: "printed no checks" }],
    [
      "a check without a source",
      {
        given: JSON.stringify([{ ...check, source: "" }]),
        want: 'Check 0 of the catalog has no "source"',
      },
    ],
    [
      "a check listed twice",
      { given: JSON.stringify([check, check]), want: 'lists the check "auth.no-token" twice' },
    ],
  ])("refuses %s", (_, { given, want }) => {
    expect(() => parseCatalog(given)).toThrow(want);
  });

  it("renders one row per check, escaped", () => {
    const html = renderCatalog(
      parseCatalog(
        JSON.stringify([
          check,
          { ...check, id: "strict.x", profile: "strict", title: "<b>bold</b>" },
        ]),
      ),
    );
    expect(html).toContain('data-check-count="2"');
    expect(html).toContain("1 in <code>core</code>, 1 in <code>strict</code>");
    expect(html).toContain('<tr id="auth.no-token">');
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(html).not.toContain("<b>bold</b>");
  });
});

describe("package commands", () => {
  it("name the command a package does not declare", () => {
    expect(() => resolveBin("@mgmtkit/spec", "mgmtkit-spec")).toThrow(
      '@mgmtkit/spec declares no "mgmtkit-spec" command',
    );
  });
});

describe("the reference server guide", () => {
  it("shows a seed file that the server loads, its users listed per connection", async () => {
    const server = await startServer({
      port: 0,
      db: ":memory:",
      clientId: "docs-client",
      clientSecret: "docs-secret",
      seed: `${root}guides/code/seed.example.json`,
    });
    try {
      const client = createManagementClient({
        baseUrl: server.url,
        clientId: "docs-client",
        clientSecret: "docs-secret",
      });
      expect((await client.connections.list()).map((c) => c.name).sort()).toEqual([
        "fabrikam-adfs",
        "fabrikam-google",
      ]);
      expect((await client.users.listByConnection("fabrikam-adfs")).map((u) => u.user_id)).toEqual([
        "adfs|john@fabrikam.com",
      ]);
      expect((await client.users.listSocial()).map((u) => u.user_id)).toEqual([
        "google-oauth2|104982367182736451234",
      ]);
    } finally {
      await server.close();
    }
  });
});
