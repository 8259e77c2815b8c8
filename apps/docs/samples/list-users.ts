import { createManagementClient } from "@mgmtkit/sdk";

const client = createManagementClient({
  namespace: "YOUR_NAMESPACE",
  clientId: "YOUR_CLIENT_ID",
  clientSecret: "YOUR_CLIENT_SECRET",
});

// Every user, with every page followed.
const users = await client.users.list();
console.log(`${users.length} users`);

// Or page by page, for tenants with many users.
for await (const user of client.users.iterate({ perPage: 100 })) {
  console.log(user.user_id, user.email);
}
