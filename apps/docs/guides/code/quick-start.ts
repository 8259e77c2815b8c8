import { ApiError, createManagementClient } from "@mgmtkit/sdk";

// The tenant and its client credentials come from the environment, as in the rest of mgmtkit.
const client = createManagementClient({
  baseUrl: process.env.MGMTKIT_BASE_URL ?? "https://YOUR_NAMESPACE",
  clientId: process.env.MGMTKIT_CLIENT_ID,
  clientSecret: process.env.MGMTKIT_CLIENT_SECRET,
});

const existing = await client.connections.list();
console.log(`The tenant has ${existing.length} connections.`);

// Create a connection, read it back, list the users who signed in through it, then remove it.
// Only name and strategy are required; status defaults to 1 (active).
const created = await client.connections.create({
  name: "contoso-office365",
  strategy: "office365",
  options: { tenant_domain: "contoso.onmicrosoft.com" },
});
console.log(`Created ${created.name} (${created.id}).`);

const connection = await client.connections.get("contoso-office365");
if (connection.strategy === "office365") {
  console.log(`Send ${connection.provisioning_ticket_url} to the Office 365 administrator.`);
}

const users = await client.users.listByConnection("contoso-office365");
console.log(`${users.length} users signed in through it.`);

await client.connections.delete("contoso-office365");
try {
  await client.connections.get("contoso-office365");
} catch (error) {
  if (!(error instanceof ApiError) || error.status !== 404) throw error;
  console.log("Deleted; the name now answers 404.");
}
