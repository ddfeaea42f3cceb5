// A writer process for lock.test.ts (node --import tsx counter-writer.ts FILE
// COUNT AT): from time AT (epoch ms, so that two writers overlap) increments
// one counter record COUNT times, each a read then a write in one store
// transaction, on the database FILE; prints how many transactions failed and
// the first error, as JSON.
import { openSqliteStore } from '../../src/store/sqlite.ts';

const file = process.argv[2];
const count = Number(process.argv[3]);
const at = Number(process.argv[4]);
const store = openSqliteStore(file);
while (Date.now() < at); // spin: both writers start their loops together
const scope = { account: '111111111111', region: 'us-east-1' };
let failed = 0;
let firstError: string | undefined;
for (let i = 0; i < count; i++) {
  try {
    store.transaction(() => {
      const c = store.get<{ n: number }>('test:counter', scope, 'c');
      store.put('test:counter', scope, 'c', { n: (c?.n ?? 0) + 1 });
    });
  } catch (err) {
    failed++;
    firstError ??= String(err);
  }
}
store.close();
process.stdout.write(JSON.stringify({ failed, firstError }));
