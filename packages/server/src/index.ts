// The API server's library surface.
export {};
