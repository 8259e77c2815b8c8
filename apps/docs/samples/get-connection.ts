import { ApiError, createManagementClient } from "@mgmtkit/sdk";

const client = createManagementClient({
  namespace: "YOUR_NAMESPACE",
  clientId: "YOUR_CLIENT_ID",
  clientSecret: "YOUR_CLIENT_SECRET",
});

try {
  const connection = await client.connections.get("fabrikam-office365");
  // `strategy` narrows `options` to the settings of that kind of provider.
  if (connection.strategy === "office365") {
    console.log(connection.options.tenant_domain, connection.provisioning_ticket_url);
  }
} catch (error) {
  if (error instanceof ApiError && error.status === 404) {
    console.log("No connection named fabrikam-office365.");
  } else {
    throw error;
  }
}
