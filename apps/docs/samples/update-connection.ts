import { createManagementClient } from "@mgmtkit/sdk";

const client = createManagementClient({
  namespace: "YOUR_NAMESPACE",
  clientId: "YOUR_CLIENT_ID",
  clientSecret: "YOUR_CLIENT_SECRET",
});

// A replace sends the whole connection (name, strategy, status, options), not only what changed;
// the server-owned fields (id, client_id, provisioning_*) may be left out.
const updated = await client.connections.update("fabrikam-office365", {
  name: "fabrikam-office365",
  strategy: "office365",
  status: 1,
  options: {
    tenant_domain: "fabrikam.onmicrosoft.com",
    ext_groups: true,
  },
});
console.log(updated.status);
