// Settings the integration server runs with, shared with the tests that mint tokens for it.
export const SERVER_JWT_SECRET = 'integration-test-secret-0123456789abcdefghijklmnopqrstuvwxyz';
export const SERVER_JWT_ISSUER = 'edge-users-api';
export const SERVER_JWT_AUDIENCE = 'edge-users-api';
