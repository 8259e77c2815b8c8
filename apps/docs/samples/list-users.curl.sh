# The access token in the Authorization header...
curl https://YOUR_NAMESPACE/api/users \
  --header "Authorization: bearer YOUR_ACCESS_TOKEN"

# ...or in the access_token query parameter, here with a page size.
curl "https://YOUR_NAMESPACE/api/users?per_page=50&page=0&access_token=YOUR_ACCESS_TOKEN"
