import { createManagementClient } from "@mgmtkit/sdk";

const client = createManagementClient({
  namespace: "YOUR_NAMESPACE",
  clientId: "YOUR_CLIENT_ID",
  clientSecret: "YOUR_CLIENT_SECRET",
});

const users = await client.users.listByConnection("fabrikam-office365");
for (const user of users) {
  console.log(user.user_id, user.lastLogin);
}
