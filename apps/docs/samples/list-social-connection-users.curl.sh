# The access token in the Authorization header...
curl https://YOUR_NAMESPACE/api/socialconnections/users \
  --header "Authorization: bearer YOUR_ACCESS_TOKEN"

# ...or in the access_token query parameter.
curl "https://YOUR_NAMESPACE/api/socialconnections/users?access_token=YOUR_ACCESS_TOKEN"
