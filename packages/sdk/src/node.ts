// Node-only additions: role keys from files or environment variables.
export {};
