/**
 * Create bodies for every documented strategy, from the option objects of the document
 * (lines 90-118), with realistic values in place of its placeholders. `changed` is a second set
 * of options used to prove that a full PUT persists.
 */
export interface StrategyFixture {
  strategy: string;
  options: Record<string, unknown>;
  changed: Record<string, unknown>;
}

export const fixtures: Record<string, StrategyFixture> = {
  adfs: {
    strategy: "adfs",
    options: {
      tenant_domain: "contoso.example",
      adfs_server: "https://adfs.contoso.example/FederationMetadata/2007-06/FederationMetadata.xml",
      thumbprints: ["9b250aad7e4950604072ffaa60cde7795f23b52a"],
      signInEndpoint: "https://adfs.contoso.example/adfs/ls/",
    },
    changed: {
      tenant_domain: "contoso.example",
      adfs_server:
        "https://adfs2.contoso.example/FederationMetadata/2007-06/FederationMetadata.xml",
      thumbprints: ["f97702a42c893a0fb1bc6dad21c79fb720473a85"],
      signInEndpoint: "https://adfs2.contoso.example/adfs/ls/",
    },
  },
  "google-apps": {
    strategy: "google-apps",
    options: {
      client_id: "1234567890.apps.googleusercontent.example",
      client_secret: "contract-google-apps-client-secret",
      tenant_domain: "contoso.example",
      ext_groups: true,
    },
    changed: {
      client_id: "1234567890.apps.googleusercontent.example",
      client_secret: "contract-google-apps-client-secret-2",
      tenant_domain: "contoso.example",
      email: true,
      ext_groups: false,
      scope: [],
    },
  },
  "google-oauth2": {
    strategy: "google-oauth2",
    options: {
      client_id: "0987654321.apps.googleusercontent.example",
      client_secret: "contract-google-oauth2-client-secret",
      email: true,
      profile: true,
      scope: [],
    },
    changed: {
      client_id: "0987654321.apps.googleusercontent.example",
      client_secret: "contract-google-oauth2-client-secret",
      email: false,
      profile: true,
      calendar: true,
      scope: [],
    },
  },
  office365: {
    strategy: "office365",
    options: {
      client_id: "7c1d6f0e-2b8a-4e55-9f3d-0a6b1c2d3e4f",
      client_secret: "contract-office365-client-secret",
      tenant_domain: "contoso.onmicrosoft.example",
      basic_profile: true,
      ext_groups: true,
      app_domain: "contoso.example",
      thumbprints: [],
    },
    changed: {
      client_id: "7c1d6f0e-2b8a-4e55-9f3d-0a6b1c2d3e4f",
      client_secret: "contract-office365-client-secret",
      tenant_domain: "contoso.onmicrosoft.example",
      basic_profile: false,
      ext_profile: true,
      ext_groups: true,
      app_domain: "contoso.example",
      thumbprints: [],
    },
  },
  windowslive: {
    strategy: "windowslive",
    options: {
      client_id: "000000004C0FFEE0",
      client_secret: "contract-windowslive-client-secret",
      signin: true,
      emails: true,
      scope: [],
    },
    changed: {
      client_id: "000000004C0FFEE0",
      client_secret: "contract-windowslive-client-secret",
      signin: true,
      emails: false,
      birthday: true,
      scope: [],
    },
  },
};

/** A valid create body for a strategy. */
export function createBody(name: string, strategy = "google-oauth2", status = 0) {
  const fixture = fixtures[strategy] ?? fixtures["google-oauth2"];
  return { name, status, strategy, options: structuredClone(fixture?.options ?? {}) };
}
