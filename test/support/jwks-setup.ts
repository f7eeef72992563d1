// Placeholder replaced by the JWKS test server.
export default async function setup() {}
