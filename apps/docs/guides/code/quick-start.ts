import { ApiError, createManagementClient } from "@mgmtkit/sdk";

const client = createManagementClient({
  namespace: "YOUR_NAMESPACE",
  clientId: process.env.MGMTKIT_CLIENT_ID ?? "YOUR_CLIENT_ID",
  clientSecret: process.env.MGMTKIT_CLIENT_SECRET ?? "YOUR_CLIENT_SECRET",
});

// Create a connection, read it back, list the users who signed in through it, then remove it.
// Only name and strategy are required; status defaults to 1 (active).
const created = await client.connections.create({
  name: "fabrikam-office365",
  strategy: "office365",
  options: { tenant_domain: "fabrikam.onmicrosoft.com" },
});
console.log(`Created ${created.name} (${created.id}).`);

const connection = await client.connections.get("fabrikam-office365");
if (connection.strategy === "office365") {
  console.log(`Send ${connection.provisioning_ticket_url} to the Office 365 administrator.`);
}

const users = await client.users.listByConnection("fabrikam-office365");
console.log(`${users.length} users signed in through it.`);

try {
  await client.connections.delete("fabrikam-office365");
  await client.connections.get("fabrikam-office365");
} catch (error) {
  if (!(error instanceof ApiError) || error.status !== 404) throw error;
  console.log("Deleted; the name now answers 404.");
}
