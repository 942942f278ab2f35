// The shared test vectors, read from the committed copy of vectors/attention-oracle-v1.json.
import { readFileSync } from 'node:fs';

const file = new URL('./vectors/attention-oracle-v1.json', import.meta.url);

interface TreeVector {
  leaves: string;
  root: string;
  proofs: string[][];
}

/** The subset of the vector file the core library reproduces. */
export interface Vectors {
  format: string;
  keccak256: { input_utf8: string; hash: string }[];
  user_key: { twitch_user_id: string; hash: string }[];
  login_hash: { login: string; hash: string }[];
  channel_subject: { channel: string; hex: string; base58: string }[];
  global_v4_leaf: { mint_hex: string; root_seq: string; wallet_hex: string; cumulative_total: string; hash: string }[];
  global_v5_leaf: {
    mint_hex: string;
    root_seq: string;
    wallet_hex: string;
    base_yield: string;
    attention_bonus: string;
    hash: string;
  }[];
  trees_v4: Record<string, TreeVector>;
  program: { program_id: string; mint: string; pda_protocol_state: { address: string } };
}

export const vectors: Vectors = JSON.parse(readFileSync(file, 'utf8'));
