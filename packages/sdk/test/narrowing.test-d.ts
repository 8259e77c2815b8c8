import { describe, expectTypeOf, it } from "vitest";
import {
  type Connection,
  type ConnectionCreate,
  createManagementClient,
  type Strategy,
  type User,
} from "../src/index.js";

const client = createManagementClient({ namespace: "tenant.example", accessToken: "token" });

describe("connection types", () => {
  it("narrows options by strategy", async () => {
    const c = await client.connections.get("fabrikam-adfs");
    if (c.strategy === "adfs") {
      expectTypeOf(c.options.adfs_server).toEqualTypeOf<string | undefined>();
      expectTypeOf(c.provisioning_ticket_url).toEqualTypeOf<string>();
    }
    if (c.strategy === "google-oauth2") {
      expectTypeOf(c.options.gmail).toEqualTypeOf<boolean | undefined>();
      // A social connection may carry the provisioning fields only optionally (spec quirk 20).
      expectTypeOf(c.provisioning_ticket).toEqualTypeOf<string | undefined>();
    }
    // The document shows no id in a read connection (spec quirk 9).
    expectTypeOf(c.id).toEqualTypeOf<string | number | undefined>();
    // Without narrowing, adfs_server is only an unknown extra property of the other strategies.
    // @ts-expect-error the union does not know adfs_server as a string
    const server: string | undefined = c.options.adfs_server;
    void server;
  });

  it("knows the five strategies and nothing else", async () => {
    expectTypeOf<Strategy>().toEqualTypeOf<
      "adfs" | "google-apps" | "google-oauth2" | "office365" | "windowslive"
    >();
    const list = await client.connections.list();
    expectTypeOf(list).toEqualTypeOf<Connection[]>();
    const c = list[0] as Connection;
    // @ts-expect-error "saml" is not a strategy
    if (c.strategy === "saml") return;
    expectTypeOf(c.status).toEqualTypeOf<0 | 1>();
  });

  it("refuses an unknown strategy or a status other than 0/1 when creating", () => {
    const valid: ConnectionCreate = {
      name: "fabrikam-google-apps",
      status: 0,
      strategy: "google-apps",
      options: { client_id: "id", client_secret: "secret", tenant_domain: "fabrikam.com" },
    };
    void client.connections.create(valid);
    // @ts-expect-error "saml" is not a strategy
    const saml: ConnectionCreate = { name: "x", status: 1, strategy: "saml", options: {} };
    // @ts-expect-error status is 0 or 1
    const two: ConnectionCreate = { name: "x", status: 2, strategy: "windowslive", options: {} };
    void [saml, two];
    // @ts-expect-error tenant_domain is a string
    void client.connections.create({
      name: "x",
      status: 1,
      strategy: "adfs",
      options: { tenant_domain: 5 },
    });
  });

  it("takes the bodies of the API's own era (spec quirk 16)", async () => {
    // The Node client of the time documented exactly this create.
    const created = await client.connections.create({
      name: "thesuperstore-connection",
      strategy: "office365",
      options: { tenant_domain: "bigcompany.com" },
    });
    // The create answer always carries the id.
    expectTypeOf(created.id).toEqualTypeOf<string | number>();
    // Its update sent an object built by hand, without client_id.
    void client.connections.update("thesuperstore-connection", {
      name: "thesuperstore-connection",
      strategy: "office365",
      status: 1,
      options: { tenant_domain: "bigcompany.com" },
    });
  });

  it("takes a whole connection for update, including one that get answered", async () => {
    const current = await client.connections.get("fabrikam-office365");
    void client.connections.update(current.name, { ...current, status: 1 });
    void client.connections.update("fabrikam-office365", {
      client_id: "client",
      name: "fabrikam-office365",
      status: 1,
      strategy: "office365",
      options: { client_id: "id", client_secret: "secret", tenant_domain: "fabrikam.com" },
    });
    // @ts-expect-error a replacement carries every field the document lists, status included
    void client.connections.update("fabrikam-office365", {
      name: "fabrikam-office365",
      strategy: "office365",
      options: { client_id: "id", client_secret: "secret", tenant_domain: "fabrikam.com" },
    });
  });

  it("types users and the raw client", async () => {
    expectTypeOf(await client.users.list()).toEqualTypeOf<User[]>();
    for await (const user of client.users.iterate({ perPage: 100 })) {
      expectTypeOf(user.user_id).toEqualTypeOf<string>();
    }
    expectTypeOf(await client.connections.delete("x")).toEqualTypeOf<{
      removed: string | number;
    }>();
    const { data } = await client.raw.GET("/api/connections");
    expectTypeOf(data).toExtend<Connection[] | undefined>();
    // @ts-expect-error not a path of the API
    void client.raw.GET("/api/clients");
  });
});
