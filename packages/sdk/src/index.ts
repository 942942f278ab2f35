// The public surface of @attention-oracle/sdk.
export {};
