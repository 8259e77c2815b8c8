import { describe, expectTypeOf, it } from "vitest";
import {
  type ApiPromise,
  type Connection,
  createManagementClient,
  type ManagementError,
  type RemovedConnection,
  type User,
} from "../src/index.js";

describe("option types", () => {
  it("take a token, or a function that answers one now or later", () => {
    createManagementClient({ namespace: "t.example", accessToken: "token" });
    createManagementClient({ namespace: "t.example", accessToken: () => "token" });
    createManagementClient({ namespace: "t.example", accessToken: async () => "token" });
    // @ts-expect-error a token is a string
    createManagementClient({ namespace: "t.example", accessToken: async () => 42 });
  });

  it("take hooks with typed events, and a logger with its levels", () => {
    createManagementClient({
      namespace: "t.example",
      accessToken: "token",
      onRequest: (e) =>
        expectTypeOf(e).toEqualTypeOf<{ method: string; url: string; attempt: number }>(),
      onResponse: (e) => {
        expectTypeOf(e.response).toEqualTypeOf<Response>();
        expectTypeOf(e.ms).toEqualTypeOf<number>();
      },
      onError: (e) => expectTypeOf(e).toEqualTypeOf<ManagementError>(),
      logger: console,
      logLevel: "debug",
    });
    // @ts-expect-error not a level
    createManagementClient({ namespace: "t.example", accessToken: "t", logLevel: "verbose" });
  });
});

describe("withResponse()", () => {
  const client = createManagementClient({ namespace: "t.example", accessToken: "token" });

  it("answers the method's data and a Response", async () => {
    expectTypeOf(client.connections.list()).toEqualTypeOf<ApiPromise<Connection[]>>();
    expectTypeOf(await client.connections.list().withResponse()).toEqualTypeOf<{
      data: Connection[];
      response: Response;
    }>();
    expectTypeOf(
      (await client.connections.delete("x").withResponse()).data,
    ).toEqualTypeOf<RemovedConnection>();
    expectTypeOf((await client.users.list().withResponse()).data).toEqualTypeOf<User[]>();
    expectTypeOf(await client.getAccessToken()).toEqualTypeOf<string>();
  });

  it("is still a promise of the data", async () => {
    const connections: Connection[] = await client.connections.list();
    const asPromise: Promise<Connection> = client.connections.get("x");
    void [connections, asPromise];
  });
});
