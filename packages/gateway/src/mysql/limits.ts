/** Time a client has to finish the handshake (MySQL's connect_timeout is 10 s). */
export const HANDSHAKE_TIMEOUT_MS = 10_000;
/** Largest packet of the connection phase: a HandshakeResponse41 with a JWT and attributes fits. */
export const MAX_HANDSHAKE_PACKET_BYTES = 64 * 1024;
/** Largest packet accepted from the server: max_allowed_packet's ceiling. */
export const MAX_SERVER_PACKET_BYTES = 1024 * 1024 * 1024;
/** Time allowed to reach and log in to the upstream server. */
export const UPSTREAM_CONNECT_TIMEOUT_MS = 10_000;
/** How long a greeting waits for the listener's first look at the upstream before using defaults. */
export const PROFILE_WAIT_MS = 2_000;
/** Bytes of one bound parameter kept in the journal. */
export const PARAMETER_JOURNAL_LIMIT = 4096;
/** Thread ids Sluice hands out start here, far above the small numbers servers count from. */
export const FIRST_THREAD_ID = 0x40000000;
