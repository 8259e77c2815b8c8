# Only name and strategy are required; status defaults to 1 (active). The access token in the
# Authorization header...
curl https://YOUR_NAMESPACE/api/connections \
  --header "Authorization: bearer YOUR_ACCESS_TOKEN" \
  --header "Content-Type: application/json" \
  --data '{
    "name": "fabrikam-google-apps",
    "strategy": "google-apps",
    "options": {
      "client_id": "1234567890.apps.googleusercontent.com",
      "client_secret": "GOOG-APPS-CLIENT-SECRET",
      "tenant_domain": "fabrikam.com"
    }
  }'

# ...or in the access_token query parameter.
curl "https://YOUR_NAMESPACE/api/connections?access_token=YOUR_ACCESS_TOKEN" \
  --header "Content-Type: application/json" \
  --data '{
    "name": "fabrikam-google-apps",
    "strategy": "google-apps",
    "options": {
      "client_id": "1234567890.apps.googleusercontent.com",
      "client_secret": "GOOG-APPS-CLIENT-SECRET",
      "tenant_domain": "fabrikam.com"
    }
  }'
