# Send the whole connection, not only what changed. The access token in the Authorization header...
curl https://YOUR_NAMESPACE/api/connections/fabrikam-office365 \
  --request PUT \
  --header "Authorization: bearer YOUR_ACCESS_TOKEN" \
  --header "Content-Type: application/json" \
  --data '{
    "client_id": "YOUR_CLIENT_ID",
    "name": "fabrikam-office365",
    "status": 1,
    "strategy": "office365",
    "options": {
      "client_id": "7c1d6f0e-2b8a-4e55-9f3d-0a6b1c2d3e4f",
      "client_secret": "OFFICE-365-CLIENT-SECRET",
      "tenant_domain": "fabrikam.onmicrosoft.com",
      "basic_profile": true,
      "ext_profile": true,
      "ext_groups": true,
      "ext_assigned_plans": false,
      "api_enable_users": true,
      "app_domain": "YOUR_NAMESPACE",
      "thumbprints": []
    }
  }'

# ...or in the access_token query parameter.
curl "https://YOUR_NAMESPACE/api/connections/fabrikam-office365?access_token=YOUR_ACCESS_TOKEN" \
  --request PUT \
  --header "Content-Type: application/json" \
  --data '{
    "client_id": "YOUR_CLIENT_ID",
    "name": "fabrikam-office365",
    "status": 1,
    "strategy": "office365",
    "options": {
      "client_id": "7c1d6f0e-2b8a-4e55-9f3d-0a6b1c2d3e4f",
      "client_secret": "OFFICE-365-CLIENT-SECRET",
      "tenant_domain": "fabrikam.onmicrosoft.com",
      "basic_profile": true,
      "ext_profile": true,
      "ext_groups": true,
      "ext_assigned_plans": false,
      "api_enable_users": true,
      "app_domain": "YOUR_NAMESPACE",
      "thumbprints": []
    }
  }'
