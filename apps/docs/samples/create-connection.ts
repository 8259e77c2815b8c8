import { createManagementClient } from "@mgmtkit/sdk";

const client = createManagementClient({
  namespace: "YOUR_NAMESPACE",
  clientId: "YOUR_CLIENT_ID",
  clientSecret: "YOUR_CLIENT_SECRET",
});

// A Google Apps connection, created inactive (status 0).
const connection = await client.connections.create({
  name: "fabrikam-google-apps",
  status: 0,
  strategy: "google-apps",
  options: {
    client_id: "1234567890.apps.googleusercontent.com",
    client_secret: "GOOG-APPS-CLIENT-SECRET",
    tenant_domain: "fabrikam.com",
    ext_groups: true,
  },
});
console.log(connection.id);
