// The most the host reads of one message from a server, on any transport.

/**
 * One stdio line, one HTTP response body, one SSE event: past this the host stops reading it
 * (stdio drops the line and reads on; HTTP ends the response with `ResponseTooLargeError`), so a
 * server cannot make the test process hold more than this for one message.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024

/** `64 MiB`, as messages say it. */
export const MAX_MESSAGE_SIZE = `${MAX_MESSAGE_BYTES / 1024 / 1024} MiB`
