# Exchange the client credentials for an access token (form-encoded, as in the reference document).
curl https://YOUR_NAMESPACE/oauth/token \
  --data "client_id=YOUR_CLIENT_ID&client_secret=YOUR_CLIENT_SECRET&type=web_server&grant_type=client_credentials"
