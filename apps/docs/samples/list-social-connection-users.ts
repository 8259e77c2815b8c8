import { createManagementClient } from "@mgmtkit/sdk";

const client = createManagementClient({
  namespace: "YOUR_NAMESPACE",
  clientId: "YOUR_CLIENT_ID",
  clientSecret: "YOUR_CLIENT_SECRET",
});

// Users who signed in through google-oauth2 or windowslive connections.
const users = await client.users.listSocial();
for (const user of users) {
  console.log(user.user_id, user.name);
}
