import { createManagementClient } from "@mgmtkit/sdk";

// The client exchanges the credentials for an access token on its first call, caches it, shares one
// token request between concurrent calls and fetches a new token when the server refuses the old one.
const client = createManagementClient({
  namespace: "YOUR_NAMESPACE",
  clientId: "YOUR_CLIENT_ID",
  clientSecret: "YOUR_CLIENT_SECRET",
});

// Any call obtains the token first; there is no token call to make yourself.
const connections = await client.connections.list();
console.log(`${connections.length} connections`);
