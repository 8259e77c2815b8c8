import { createManagementClient } from "@mgmtkit/sdk";

const client = createManagementClient({
  namespace: "YOUR_NAMESPACE",
  clientId: "YOUR_CLIENT_ID",
  clientSecret: "YOUR_CLIENT_SECRET",
});

const connections = await client.connections.list();
for (const connection of connections) {
  console.log(
    connection.name,
    connection.strategy,
    connection.status === 1 ? "active" : "inactive",
  );
}
