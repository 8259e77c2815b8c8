# Send the whole connection (name, strategy, status, options), not only what changed; the
# server-owned fields may be left out. The access token in the Authorization header...
curl https://YOUR_NAMESPACE/api/connections/fabrikam-office365 \
  --request PUT \
  --header "Authorization: bearer YOUR_ACCESS_TOKEN" \
  --header "Content-Type: application/json" \
  --data '{
    "name": "fabrikam-office365",
    "strategy": "office365",
    "status": 1,
    "options": {
      "tenant_domain": "fabrikam.onmicrosoft.com",
      "ext_groups": true
    }
  }'

# ...or in the access_token query parameter.
curl "https://YOUR_NAMESPACE/api/connections/fabrikam-office365?access_token=YOUR_ACCESS_TOKEN" \
  --request PUT \
  --header "Content-Type: application/json" \
  --data '{
    "name": "fabrikam-office365",
    "strategy": "office365",
    "status": 1,
    "options": {
      "tenant_domain": "fabrikam.onmicrosoft.com",
      "ext_groups": true
    }
  }'
