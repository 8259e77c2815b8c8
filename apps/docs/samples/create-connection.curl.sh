# Only name and strategy are required; status defaults to 1 (active). The access token in the
# Authorization header...
curl https://YOUR_NAMESPACE/api/connections \
  --header "Authorization: bearer YOUR_ACCESS_TOKEN" \
  --header "Content-Type: application/json" \
  --data '{
    "name": "thesuperstore-connection",
    "strategy": "office365",
    "options": {
      "tenant_domain": "bigcompany.com"
    }
  }'

# ...or in the access_token query parameter.
curl "https://YOUR_NAMESPACE/api/connections?access_token=YOUR_ACCESS_TOKEN" \
  --header "Content-Type: application/json" \
  --data '{
    "name": "thesuperstore-connection",
    "strategy": "office365",
    "options": {
      "tenant_domain": "bigcompany.com"
    }
  }'
