// `node --conditions=@attention-oracle/source --import tsx packages/indexer/src/chain/main.ts [--data-dir D] [--port P]
// [--no-program]`
// Runs the local chain (with the local Attention Oracle program unless --no-program) until SIGINT/SIGTERM and prints
// its URL and bootstrapped accounts.
import { parseArgs } from 'node:util';
import { startLocalChain } from './local-chain.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: process.env.LOCAL_CHAIN_DIR ?? '.data/chain' },
    port: { type: 'string', default: process.env.LOCAL_CHAIN_PORT ?? '8899' },
    'slot-ms': { type: 'string', default: '400' },
    'no-program': { type: 'boolean', default: false },
  },
});
const chain = await startLocalChain({
  dataDir: values['data-dir'],
  port: Number(values.port),
  slotMs: Number(values['slot-ms']),
  bootstrap: values['no-program'] ? { program: false } : {},
});
const accounts = chain.accounts;
console.log(
  JSON.stringify({
    url: chain.url,
    wsUrl: chain.wsUrl,
    mint: accounts?.mint.toBase58(),
    treasuryTokenAccount: accounts?.treasuryTokenAccount.toBase58(),
    treasuryAuthority: accounts?.treasuryAuthority.toBase58(),
    publisher: accounts?.publisher.toBase58(),
    sponsorFeePayer: accounts?.sponsorFeePayer.toBase58(),
    programId: accounts?.programId?.toBase58() ?? null,
    programTreasury: accounts?.programTreasury?.toBase58() ?? null,
    keyPaths: accounts?.keyPaths,
  }),
);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await chain.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
