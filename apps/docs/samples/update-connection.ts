import { createManagementClient } from "@mgmtkit/sdk";

const client = createManagementClient({
  namespace: "YOUR_NAMESPACE",
  clientId: "YOUR_CLIENT_ID",
  clientSecret: "YOUR_CLIENT_SECRET",
});

// A replace sends the whole connection, not only what changed.
const updated = await client.connections.update("fabrikam-office365", {
  client_id: "YOUR_CLIENT_ID",
  name: "fabrikam-office365",
  status: 1,
  strategy: "office365",
  options: {
    client_id: "7c1d6f0e-2b8a-4e55-9f3d-0a6b1c2d3e4f",
    client_secret: "OFFICE-365-CLIENT-SECRET",
    tenant_domain: "fabrikam.onmicrosoft.com",
    basic_profile: true,
    ext_profile: true,
    ext_groups: true,
    ext_assigned_plans: false,
    api_enable_users: true,
    app_domain: "YOUR_NAMESPACE",
    thumbprints: [],
  },
});
console.log(updated.status);
