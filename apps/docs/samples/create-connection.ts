import { createManagementClient } from "@mgmtkit/sdk";

const client = createManagementClient({
  namespace: "YOUR_NAMESPACE",
  clientId: "YOUR_CLIENT_ID",
  clientSecret: "YOUR_CLIENT_SECRET",
});

// Only name and strategy are required; status defaults to 1 (active).
const connection = await client.connections.create({
  name: "thesuperstore-connection",
  strategy: "office365",
  options: {
    tenant_domain: "bigcompany.com",
  },
});
console.log(connection.id);
