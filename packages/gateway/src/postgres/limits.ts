/** Time a client has to finish startup and authentication (PostgreSQL's authentication_timeout is 60 s). */
export const HANDSHAKE_TIMEOUT_MS = 30_000;
/** PostgreSQL refuses startup packets over 10,000 bytes (MAX_STARTUP_PACKET_LENGTH). */
export const MAX_STARTUP_FRAME_BYTES = 10_000;
/** Largest password-phase message: a JWT with many claims still fits easily. */
export const MAX_AUTH_FRAME_BYTES = 64 * 1024;
/** Largest message accepted from the server: PostgreSQL caps a message near 1 GiB. */
export const MAX_SERVER_FRAME_BYTES = 1024 * 1024 * 1024 + 1024;
/** Time allowed to reach and log in to the upstream server. */
export const UPSTREAM_CONNECT_TIMEOUT_MS = 10_000;
