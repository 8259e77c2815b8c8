import { createManagementClient } from "@mgmtkit/sdk";

const client = createManagementClient({
  namespace: "YOUR_NAMESPACE",
  clientId: "YOUR_CLIENT_ID",
  clientSecret: "YOUR_CLIENT_SECRET",
});

// Only name and strategy are required; status defaults to 1 (active).
const connection = await client.connections.create({
  name: "fabrikam-google-apps",
  strategy: "google-apps",
  options: {
    client_id: "1234567890.apps.googleusercontent.com",
    client_secret: "GOOG-APPS-CLIENT-SECRET",
    tenant_domain: "fabrikam.com",
  },
});
console.log(connection.id);
